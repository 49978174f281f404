"""<windows.h>: the macros a Winsock program uses (MAKEWORD, LOBYTE, HIBYTE, ZeroMemory) and FormatMessageW."""
from .._checks import (CALL_ERRORS, NULL, CData, argument_error, buffer, counted, integer, named_call, release,
                       too_big, typeof)
from .._csock import lib
from .._csock_nonblocking import lib as _lib


def MAKEWORD(bLow, bHigh):
    """WORD MAKEWORD(BYTE bLow, BYTE bHigh);"""
    return named_call(_lib.MAKEWORD, "MAKEWORD", ("bLow", "bHigh"), integer(bLow, "MAKEWORD", "bLow"),
                      integer(bHigh, "MAKEWORD", "bHigh"))


def LOBYTE(w):
    """BYTE LOBYTE(WORD w);"""
    return named_call(_lib.LOBYTE, "LOBYTE", ("w",), integer(w, "LOBYTE", "w"))


def HIBYTE(w):
    """BYTE HIBYTE(WORD w);"""
    return named_call(_lib.HIBYTE, "HIBYTE", ("w",), integer(w, "HIBYTE", "w"))


def ZeroMemory(Destination, Length):
    """void ZeroMemory(PVOID Destination, SIZE_T Length);"""
    Length = integer(Length, "ZeroMemory", "Length")
    c, size = buffer(Destination, "ZeroMemory", "Destination", True)
    try:
        if Length > size:
            raise too_big("ZeroMemory", "Length", Length, "Destination", size)
        _lib.ZeroMemory(c, Length)
    except CALL_ERRORS as e:
        raise argument_error("ZeroMemory", ("Destination", "Length"), (c, Length), e) from None
    finally:
        if c is not Destination:
            release(c)


_SYSTEM_FLAGS = lib.FORMAT_MESSAGE_FROM_SYSTEM | lib.FORMAT_MESSAGE_IGNORE_INSERTS


def FormatMessageW(dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize, Arguments):
    """DWORD FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize, va_list *Arguments);

    Only a system message (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, lpSource and Arguments
    NULL) into a wchar_t array of at least nSize characters: any other form reads or allocates through pointers
    csock cannot measure.
    """  # noqa: E501
    flags, message, language, size = (integer(dwFlags, "FormatMessageW", "dwFlags"),
                                      integer(dwMessageId, "FormatMessageW", "dwMessageId"),
                                      integer(dwLanguageId, "FormatMessageW", "dwLanguageId"),
                                      integer(nSize, "FormatMessageW", "nSize"))
    if (flags & ~0xFF) != _SYSTEM_FLAGS:  # the low byte: FORMAT_MESSAGE_MAX_WIDTH_MASK, the line width
        raise ValueError("FormatMessageW: dwFlags must be FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS")
    for name, pointer in (("lpSource", lpSource), ("Arguments", Arguments)):
        if not isinstance(pointer, CData) or pointer != NULL:
            raise ValueError(f"FormatMessageW: {name} must be NULL")
    c, count = counted(lpBuffer, typeof("wchar_t"), "FormatMessageW", "lpBuffer", writable=True)
    if size > count:
        raise too_big("FormatMessageW", "nSize", size, "lpBuffer (wchar_t characters)", count)
    args = (flags, NULL, message, language, c, size, NULL)
    try:
        return _lib.FormatMessageW(*args)
    except CALL_ERRORS as e:
        raise argument_error("FormatMessageW", ("dwFlags", "lpSource", "dwMessageId", "dwLanguageId", "lpBuffer",
                                                "nSize", "Arguments"), args, e) from None

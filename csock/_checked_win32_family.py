"""The checked Winsock calls of the Windows family programs (issue 14): WSAEventSelect and its event objects.

Each keeps the C name, argument order and return value. csock._checked imports every name of __all__ after its
own, so a function here replaces the raw call of the same name. On POSIX lib has none of them: __all__ stays empty.
"""
from ._checks import span, too_big, with_named_errors
from ._csock import ffi, lib
from ._csock_nonblocking import lib as _lib

_NULL = ffi.NULL
_typeof = ffi.typeof
_sizeof = ffi.sizeof

__all__ = []


def _export(func):
    """func exported where this platform has it, a cffi conversion error naming its argument."""
    if hasattr(lib, func.__name__):
        __all__.append(func.__name__)
    code = func.__code__
    return with_named_errors(func, func.__name__, code.co_varnames[:code.co_argcount])


def _array_of(obj, ctype, func, arg):
    """(obj, how many ctype items C may touch through it) for an array or pointer of exactly ctype."""
    c, size = span(obj, func, arg, True)
    if c == _NULL:
        raise ValueError(f"{func}: {arg} is NULL")
    if _typeof(c).kind not in ("array", "pointer") or _typeof(c).item is not _typeof(ctype):
        raise TypeError(f"{func}: {arg} must be '{ctype} *' or '{ctype}[]' cdata, not '{_typeof(c).cname}'")
    return c, size // _sizeof(ctype)


# --- winsock2.h: event objects -------------------------------------------------------------------

@_export
def WSACreateEvent():
    """WSAEVENT WSACreateEvent(void);  WSA_INVALID_EVENT (NULL) on failure."""
    return _lib.WSACreateEvent()


@_export
def WSACloseEvent(hEvent):
    """BOOL WSACloseEvent(WSAEVENT hEvent);"""
    return _lib.WSACloseEvent(hEvent)


@_export
def WSAEventSelect(s, hEventObject, lNetworkEvents):
    """int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents);"""
    return _lib.WSAEventSelect(s, hEventObject, lNetworkEvents)


@_export
def WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable):
    """DWORD WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll, DWORD dwTimeout,
    BOOL fAlertable);  C reads cEvents handles from lphEvents: the array must hold them."""
    c, count = _array_of(lphEvents, "WSAEVENT", "WSAWaitForMultipleEvents", "lphEvents")
    if cEvents > count:
        raise too_big("WSAWaitForMultipleEvents", "cEvents", cEvents, "lphEvents (WSAEVENT entries)", count)
    return _lib.WSAWaitForMultipleEvents(cEvents, c, fWaitAll, dwTimeout, fAlertable)


@_export
def WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents):
    """int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents);  C writes one
    WSANETWORKEVENTS there."""
    c, count = _array_of(lpNetworkEvents, "WSANETWORKEVENTS", "WSAEnumNetworkEvents", "lpNetworkEvents")
    if count < 1:
        raise too_big("WSAEnumNetworkEvents", "sizeof(WSANETWORKEVENTS)", _sizeof("WSANETWORKEVENTS"),
                      "lpNetworkEvents", count * _sizeof("WSANETWORKEVENTS"))
    return _lib.WSAEnumNetworkEvents(s, hEventObject, c)

"""<string.h>, <strings.h>: memset, memchr, bzero, strlen, strerror, strncpy, strcmp. A count is converted once (operator.index);
memset's common case (an ffi.new byte array, the server loop's) is checked inline."""
from .._checks import (KNOWN_WRITABLE, KNOWN_WRITABLE_READERS, CALL_ERRORS, argument_error, buffer, c_string, integer,
                       named_call, release, too_big)
from .._csock_nonblocking import lib as _lib

_c_memset = _lib.csock_memset
KNOWN_WRITABLE_READERS.append(globals())  # its KNOWN_WRITABLE, rebound by _checks


def _fill(c_func, func, params, s, args, n, writable):
    """c_func(s, *args, n) after n was checked against s (released after the call if csock viewed it)."""
    c, size = buffer(s, func, params[0], writable)
    try:
        if n > size:
            raise too_big(func, params[-1], n, params[0], size)
        return c_func(c, *args, n) if c_func is not _c_memset else c_func(c, *args, n, n)
    except CALL_ERRORS as e:
        raise argument_error(func, params, (c,) + args + (n,), e) from None
    finally:
        if c is not s:
            release(c)


def memset(s, c, n):
    """void *memset(void *s, int c, size_t n);"""
    known, size = KNOWN_WRITABLE
    if known() is s:  # the array buffer() last found writable: C compares n with its size, after conversion
        try:
            result = _c_memset(s, c, n, size)
            if result:  # not NULL (n was no larger than s), returned from inside the try: one jump less per call
                return result
        except CALL_ERRORS as e:
            raise argument_error("memset", ("s", "c", "n"), (s, c, n), e) from None
        raise too_big("memset", "n", integer(n, "memset", "n"), "s", size)
    c, n = integer(c, "memset", "c"), integer(n, "memset", "n")
    return _fill(_c_memset, "memset", ("s", "c", "n"), s, (c,), n, True)


def memchr(s, c, n):
    """void *memchr(const void *s, int c, size_t n);"""
    c, n = integer(c, "memchr", "c"), integer(n, "memchr", "n")
    return _fill(_lib.memchr, "memchr", ("s", "c", "n"), s, (c,), n, False)


def bzero(s, n):
    """void bzero(void *s, size_t n);"""
    _fill(_lib.bzero, "bzero", ("s", "n"), s, (), integer(n, "bzero", "n"), True)


def strlen(s):
    """size_t strlen(const char *s);"""
    return _lib.strlen(c_string(s, "strlen", "s"))


def strerror(errnum):
    """char *strerror(int errnum);"""
    return named_call(_lib.strerror, "strerror", ("errnum",), integer(errnum, "strerror", "errnum"))


def strncpy(dest, src, n):
    """char *strncpy(char *dest, const char *src, size_t n);  C writes n bytes into dest: it must hold them."""
    n = integer(n, "strncpy", "n")
    src = c_string(src, "strncpy", "src")
    c, size = buffer(dest, "strncpy", "dest", True)
    try:
        if n > size:
            raise too_big("strncpy", "n", n, "dest", size)
        result = _lib.strncpy(c, src, n)
    except CALL_ERRORS as e:
        raise argument_error("strncpy", ("dest", "src", "n"), (c, src, n), e) from None
    finally:
        if c is not dest:
            release(c)
    return result if c is dest else dest  # a bytearray's view is released: its pointer would outlive it


def strcmp(s1, s2):
    """int strcmp(const char *s1, const char *s2);"""
    return _lib.strcmp(c_string(s1, "strcmp", "s1"), c_string(s2, "strcmp", "s2"))

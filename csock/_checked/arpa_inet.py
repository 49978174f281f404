"""<arpa/inet.h> (Winsock: <winsock2.h>, <ws2tcpip.h>): address text to binary and back."""
from .._checks import (CALL_ERRORS, argument_error, buffer, c_string, ffi, integer, release,
                       sizeof, too_big)
from .._csock import lib
from .._csock_nonblocking import lib as _lib

_IN_ADDR = sizeof("struct in_addr")
_ADDRESS_SIZE = {lib.AF_INET: _IN_ADDR, lib.AF_INET6: sizeof("struct in6_addr")}
_c_inet_ntoa = _lib.inet_ntoa  # looked up once: an attribute of a cffi lib costs more than the call's checks here


def inet_addr(cp):
    """in_addr_t inet_addr(const char *cp);"""
    return _lib.inet_addr(c_string(cp, "inet_addr", "cp"))


def inet_aton(cp, inp):
    """int inet_aton(const char *cp, struct in_addr *inp);"""
    text = c_string(cp, "inet_aton", "cp")
    c, size = buffer(inp, "inet_aton", "inp", True)
    try:
        if size < _IN_ADDR:
            raise too_big("inet_aton", "sizeof(struct in_addr)", _IN_ADDR, "inp", size)
        return _lib.inet_aton(text, ffi.cast("struct in_addr *", c))
    finally:
        if c is not inp:
            release(c)


def inet_ntoa(in_):
    """char *inet_ntoa(struct in_addr in);"""
    try:
        return _c_inet_ntoa(in_)
    except CALL_ERRORS as e:
        raise argument_error("inet_ntoa", ("in",), (in_,), e) from None


def inet_pton(af, src, dst):
    """int inet_pton(int af, const char *src, void *dst);"""
    af = integer(af, "inet_pton", "af")
    text = c_string(src, "inet_pton", "src")
    c, size = buffer(dst, "inet_pton", "dst", True)
    try:
        need = _ADDRESS_SIZE.get(af, 0)
        if need > size:
            raise too_big("inet_pton", "the address size", need, "dst", size)
        return _lib.inet_pton(af, text, c)
    except CALL_ERRORS as e:
        raise argument_error("inet_pton", ("af", "src", "dst"), (af, text, c), e) from None
    finally:
        if c is not dst:
            release(c)


def inet_ntop(af, src, dst, size):
    """const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);"""
    af, size = integer(af, "inet_ntop", "af"), integer(size, "inet_ntop", "size")
    c_src, src_size = buffer(src, "inet_ntop", "src", False)
    try:
        need = _ADDRESS_SIZE.get(af, 0)
        if need > src_size:
            raise too_big("inet_ntop", "the address size", need, "src", src_size)
        c_dst, dst_size = buffer(dst, "inet_ntop", "dst", True)
        try:
            if size > dst_size:
                raise too_big("inet_ntop", "size", size, "dst", dst_size)
            return _lib.inet_ntop(af, c_src, c_dst, size)
        except CALL_ERRORS as e:
            raise argument_error("inet_ntop", ("af", "src", "dst", "size"), (af, c_src, c_dst, size), e) from None
        finally:
            if c_dst is not dst:
                release(c_dst)
    finally:
        if c_src is not src:
            release(c_src)

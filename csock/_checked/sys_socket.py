"""<sys/socket.h> (Winsock: the same calls of <winsock2.h>): each argument converted once, checked, then the C call.

Value-result lengths (*addrlen, *optlen) are read, checked and copied back in C (the binding's csock_accept & co.,
CUSTOMIZATIONS of csrc/binding/*/sys_socket.py and winsock2.py): the kernel gets a private copy of the checked value.
"""
import weakref

from .._checks import (CALL_ERRORS, NULL, OWNING, SOCKADDR_P, argument_error, buffer, ctype_of, integer,
                       is_plain_pointer, release, sockaddr, struct_pointer, too_big, typeof, sizeof, cast, _dead)
from .._csock import lib
from .._csock_nonblocking import lib as _lib

_SOCKLEN = typeof("socklen_t")  # int on Winsock
_SOCKADDR_BYTES = sizeof("struct sockaddr")
_CAPACITY_MAX = (1 << (8 * sizeof("socklen_t") - (int(cast("socklen_t", -1)) < 0))) - 1  # the largest socklen_t
_REFUSED = lib.csock_refused  # what csock_getsockopt & co. return when the length exceeded the capacity
_ACCEPT_REFUSED = getattr(lib, "csock_accept_refused", _REFUSED)  # Winsock's accept returns a SOCKET
_c_accept = _lib.csock_accept
# csock_accept with the capacity of a struct sockaddr built in (POSIX binding); elsewhere the same call, spelled out.
_c_accept_sockaddr = getattr(_lib, "csock_accept_sockaddr", None) or (
    lambda sockfd, addr, addrlen: _c_accept(sockfd, addr, _SOCKADDR_BYTES, addrlen))
# accept's inline test, by class before ctype (ctype_of refuses what is not a cdata): a (struct sockaddr *) cast or
# pointer from C, which views no Python object (on CPython its class says so; on PyPy, where every cdata has one
# class, is_plain_pointer), and the addrlen the general path last found to be one writable socklen_t.
_POINTER_CLASS = type(cast("char *", 0))
_BY_CLASS = OWNING is not None
# A weak reference to the last addrlen the general path checked, or _dead: keeps nothing alive. A global, rebound:
# one field read on PyPy (a list's item is six JIT operations), one LOAD_GLOBAL on CPython.
_known_length = _dead


def _length_pointer(lenp, func, arg):
    """lenp checked to hold one socklen_t (int on Winsock) that C reads and writes, or NULL (passed as C passes it)."""
    return struct_pointer(lenp, _SOCKLEN, func, arg, writable=True, null_ok=True)


def _out_address(addr, addrlen, func, arg):
    """(addr as struct sockaddr *, the bytes behind it, addrlen) for a call that writes an address and its length."""
    c_addr, size = sockaddr(addr, func, arg, writable=True)
    return c_addr, min(size, _CAPACITY_MAX), _length_pointer(addrlen, func, "addrlen")


def socket(domain, type, protocol):
    """int socket(int domain, int type, int protocol);"""
    args = (integer(domain, "socket", "domain"), integer(type, "socket", "type"),
            integer(protocol, "socket", "protocol"))
    try:
        return _lib.socket(*args)
    except CALL_ERRORS as e:
        raise argument_error("socket", ("domain", "type", "protocol"), args, e) from None


def socketpair(domain, type, protocol, sv):
    """int socketpair(int domain, int type, int protocol, int sv[2]);"""
    args = (integer(domain, "socketpair", "domain"), integer(type, "socketpair", "type"),
            integer(protocol, "socketpair", "protocol"))
    c, size = buffer(sv, "socketpair", "sv", True)
    try:
        if size < 2 * sizeof("int"):
            raise too_big("socketpair", "2 descriptors", 2 * sizeof("int"), "sv", size)
        return _lib.socketpair(*args, c)
    except CALL_ERRORS as e:
        raise argument_error("socketpair", ("domain", "type", "protocol", "sv"), args + (c,), e) from None
    finally:
        if c is not sv:
            release(c)


def bind(sockfd, addr, addrlen):
    """int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);"""
    sockfd, addrlen = integer(sockfd, "bind", "sockfd"), integer(addrlen, "bind", "addrlen")
    c_addr, size = sockaddr(addr, "bind", "addr", False)
    if addrlen > size:
        raise too_big("bind", "addrlen", addrlen, "addr", size)
    try:
        return _lib.bind(sockfd, c_addr, addrlen)
    except CALL_ERRORS as e:
        raise argument_error("bind", ("sockfd", "addr", "addrlen"), (sockfd, c_addr, addrlen), e) from None


def connect(sockfd, addr, addrlen):
    """int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);"""
    sockfd, addrlen = integer(sockfd, "connect", "sockfd"), integer(addrlen, "connect", "addrlen")
    c_addr, size = sockaddr(addr, "connect", "addr", False)
    if addrlen > size:
        raise too_big("connect", "addrlen", addrlen, "addr", size)
    try:
        return _lib.connect(sockfd, c_addr, addrlen)
    except CALL_ERRORS as e:
        raise argument_error("connect", ("sockfd", "addr", "addrlen"), (sockfd, c_addr, addrlen), e) from None


def listen(sockfd, backlog):
    """int listen(int sockfd, int backlog);"""
    args = (integer(sockfd, "listen", "sockfd"), integer(backlog, "listen", "backlog"))
    try:
        return _lib.listen(*args)
    except CALL_ERRORS as e:
        raise argument_error("listen", ("sockfd", "backlog"), args, e) from None


def shutdown(sockfd, how):
    """int shutdown(int sockfd, int how);"""
    args = (integer(sockfd, "shutdown", "sockfd"), integer(how, "shutdown", "how"))
    try:
        return _lib.shutdown(*args)
    except CALL_ERRORS as e:
        raise argument_error("shutdown", ("sockfd", "how"), args, e) from None


def accept(sockfd, addr, addrlen):
    """int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    global _known_length
    # sockfd is converted by cffi, once, before csock_accept checks *addrlen in C: no user code runs between them.
    # The server loop's call, inline: a struct sockaddr * (16 bytes, or NULL) and a socklen_t * (or NULL).
    # addrlen: the one the general path last checked, by identity (a weak reference), on both interpreters (PyPy has
    # no class for it; on CPython this costs what its class and ctype tests did). cffi itself would pass a void * or
    # an empty struct sockaddr[] as addr: the ctype test refuses them here.
    if (type(addr) is _POINTER_CLASS and ctype_of(addr) is SOCKADDR_P and addrlen is not None  # a dead ref gives None
            and _known_length() is addrlen and (_BY_CLASS or is_plain_pointer(addr))):
        try:
            fd = _c_accept_sockaddr(sockfd, addr, addrlen)
            if fd != _ACCEPT_REFUSED:  # returned from inside the try: one jump less per call
                return fd
        except CALL_ERRORS as e:
            raise argument_error("accept", ("sockfd", "addr", "addrlen"), (sockfd, addr, addrlen), e) from None
        raise too_big("accept", "*addrlen", addrlen[0], "addr", _SOCKADDR_BYTES)
    sockfd = integer(sockfd, "accept", "sockfd")
    checked_length = addrlen
    addr, capacity, addrlen = _out_address(addr, addrlen, "accept", "addr")
    if addrlen is checked_length and addrlen != NULL:
        _known_length = weakref.ref(addrlen)  # checked: one writable socklen_t, not a read-only view
    try:
        fd = _c_accept(sockfd, addr, capacity, addrlen)
    except CALL_ERRORS as e:
        raise argument_error("accept", ("sockfd", "addr", "addrlen"), (sockfd, addr, addrlen), e) from None
    if fd == _ACCEPT_REFUSED:
        raise too_big("accept", "*addrlen", addrlen[0], "addr", capacity)
    return fd


def accept4(sockfd, addr, addrlen, flags):
    """int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);"""
    sockfd, flags = integer(sockfd, "accept4", "sockfd"), integer(flags, "accept4", "flags")
    c_addr, capacity, lenp = _out_address(addr, addrlen, "accept4", "addr")
    try:
        fd = _lib.csock_accept4(sockfd, c_addr, capacity, lenp, flags)
    except CALL_ERRORS as e:
        raise argument_error("accept4", ("sockfd", "addr", "addrlen", "flags"), (sockfd, c_addr, lenp, flags),
                             e) from None
    if fd == _REFUSED:
        raise too_big("accept4", "*addrlen", lenp[0], "addr", capacity)
    return fd


def _socket_name(c_func, func, sockfd, addr, addrlen):
    """getsockname / getpeername: the address written through a private copy of *addrlen (csock_getsockname...)."""
    sockfd = integer(sockfd, func, "sockfd")
    c_addr, capacity, lenp = _out_address(addr, addrlen, func, "addr")
    try:
        rc = c_func(sockfd, c_addr, capacity, lenp)
    except CALL_ERRORS as e:
        raise argument_error(func, ("sockfd", "addr", "addrlen"), (sockfd, c_addr, lenp), e) from None
    if rc == _REFUSED:
        raise too_big(func, "*addrlen", lenp[0], "addr", capacity)
    return rc


def getsockname(sockfd, addr, addrlen):
    """int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    return _socket_name(_lib.csock_getsockname, "getsockname", sockfd, addr, addrlen)


def getpeername(sockfd, addr, addrlen):
    """int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    return _socket_name(_lib.csock_getpeername, "getpeername", sockfd, addr, addrlen)


def send(sockfd, buf, len, flags):
    """ssize_t send(int sockfd, const void *buf, size_t len, int flags);"""
    sockfd, len, flags = integer(sockfd, "send", "sockfd"), integer(len, "send", "len"), integer(flags, "send", "flags")
    c, size = buffer(buf, "send", "buf", False)
    try:
        if len > size:
            raise too_big("send", "len", len, "buf", size)
        return _lib.send(sockfd, c, len, flags)
    except CALL_ERRORS as e:
        raise argument_error("send", ("sockfd", "buf", "len", "flags"), (sockfd, c, len, flags), e) from None
    finally:
        if c is not buf:
            release(c)


def recv(sockfd, buf, len, flags):
    """ssize_t recv(int sockfd, void *buf, size_t len, int flags);"""
    sockfd, len, flags = integer(sockfd, "recv", "sockfd"), integer(len, "recv", "len"), integer(flags, "recv", "flags")
    c, size = buffer(buf, "recv", "buf", True)
    try:
        if len > size:
            raise too_big("recv", "len", len, "buf", size)
        return _lib.recv(sockfd, c, len, flags)
    except CALL_ERRORS as e:
        raise argument_error("recv", ("sockfd", "buf", "len", "flags"), (sockfd, c, len, flags), e) from None
    finally:
        if c is not buf:
            release(c)


def sendto(sockfd, buf, len, flags, dest_addr, addrlen):
    """ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen);"""  # noqa: E501
    sockfd, len, flags = (integer(sockfd, "sendto", "sockfd"), integer(len, "sendto", "len"),
                          integer(flags, "sendto", "flags"))
    addrlen = integer(addrlen, "sendto", "addrlen")
    c_addr, asize = sockaddr(dest_addr, "sendto", "dest_addr", False)
    if c_addr and addrlen > asize:  # a pointer is false only when NULL
        raise too_big("sendto", "addrlen", addrlen, "dest_addr", asize)
    c, size = buffer(buf, "sendto", "buf", False)
    try:
        if len > size:
            raise too_big("sendto", "len", len, "buf", size)
        return _lib.sendto(sockfd, c, len, flags, c_addr, addrlen)
    except CALL_ERRORS as e:
        raise argument_error("sendto", ("sockfd", "buf", "len", "flags", "dest_addr", "addrlen"),
                             (sockfd, c, len, flags, c_addr, addrlen), e) from None
    finally:
        if c is not buf:
            release(c)


def recvfrom(sockfd, buf, len, flags, src_addr, addrlen):
    """ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr, socklen_t *addrlen);"""
    sockfd, len, flags = (integer(sockfd, "recvfrom", "sockfd"), integer(len, "recvfrom", "len"),
                          integer(flags, "recvfrom", "flags"))
    c_addr, capacity, lenp = _out_address(src_addr, addrlen, "recvfrom", "src_addr")
    c, size = buffer(buf, "recvfrom", "buf", True)
    try:
        if len > size:
            raise too_big("recvfrom", "len", len, "buf", size)
        n = _lib.csock_recvfrom(sockfd, c, len, flags, c_addr, capacity, lenp)
    except CALL_ERRORS as e:
        raise argument_error("recvfrom", ("sockfd", "buf", "len", "flags", "src_addr", "addrlen"),
                             (sockfd, c, len, flags, c_addr, lenp), e) from None
    finally:
        if c is not buf:
            release(c)
    if n == _REFUSED:
        raise too_big("recvfrom", "*addrlen", lenp[0], "src_addr", capacity)
    return n


def getsockopt(sockfd, level, optname, optval, optlen):
    """int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);"""
    args = (integer(sockfd, "getsockopt", "sockfd"), integer(level, "getsockopt", "level"),
            integer(optname, "getsockopt", "optname"))
    lenp = _length_pointer(optlen, "getsockopt", "optlen")
    c, size = buffer(optval, "getsockopt", "optval", True)
    capacity = min(size, _CAPACITY_MAX)
    try:
        rc = _lib.csock_getsockopt(*args, c, capacity, lenp)
    except CALL_ERRORS as e:
        raise argument_error("getsockopt", ("sockfd", "level", "optname", "optval", "optlen"), args + (c, lenp),
                             e) from None
    finally:
        if c is not optval:
            release(c)
    if rc == _REFUSED:
        raise too_big("getsockopt", "*optlen", lenp[0], "optval", capacity)
    return rc


def setsockopt(sockfd, level, optname, optval, optlen):
    """int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);"""
    args = (integer(sockfd, "setsockopt", "sockfd"), integer(level, "setsockopt", "level"),
            integer(optname, "setsockopt", "optname"))
    optlen = integer(optlen, "setsockopt", "optlen")
    c, size = buffer(optval, "setsockopt", "optval", False)
    try:
        if optlen > size:
            raise too_big("setsockopt", "optlen", optlen, "optval", size)
        return _lib.setsockopt(*args, c, optlen)
    except CALL_ERRORS as e:
        raise argument_error("setsockopt", ("sockfd", "level", "optname", "optval", "optlen"), args + (c, optlen),
                             e) from None
    finally:
        if c is not optval:
            release(c)

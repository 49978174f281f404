"""<netdb.h> (Winsock: <winsock2.h>, <ws2tcpip.h>): names and addresses."""
from .._checks import (CALL_ERRORS, CData, NULL, argument_error, buffer, c_string, describe, forget_addrinfo, integer,
                       is_live_addrinfo, named_call, release, remember_addrinfo, sockaddr, struct_pointer, too_big,
                       typeof)
from .._csock_nonblocking import lib as _lib

_ADDRINFO = typeof("struct addrinfo")
_ADDRINFO_P = typeof("struct addrinfo *")


def gethostbyname(name):
    """struct hostent *gethostbyname(const char *name);"""
    return _lib.gethostbyname(c_string(name, "gethostbyname", "name"))


def gethostbyaddr(addr, len, type):
    """struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);"""
    len, type = integer(len, "gethostbyaddr", "len"), integer(type, "gethostbyaddr", "type")
    c, size = buffer(addr, "gethostbyaddr", "addr", False)
    try:
        if len > size:
            raise too_big("gethostbyaddr", "len", len, "addr", size)
        return _lib.gethostbyaddr(c, len, type)
    except CALL_ERRORS as e:
        raise argument_error("gethostbyaddr", ("addr", "len", "type"), (c, len, type), e) from None
    finally:
        if c is not addr:
            release(c)


def getaddrinfo(node, service, hints, res):
    """int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);"""
    c_node = c_string(node, "getaddrinfo", "node", null_ok=True)
    c_service = c_string(service, "getaddrinfo", "service", null_ok=True)
    c_hints = struct_pointer(hints, _ADDRINFO, "getaddrinfo", "hints", writable=False, null_ok=True)
    c_res = struct_pointer(res, _ADDRINFO_P, "getaddrinfo", "res", writable=True, null_ok=False)
    rc = _lib.getaddrinfo(c_node, c_service, c_hints, c_res)
    if rc == 0:
        remember_addrinfo(c_res[0])
    return rc


def freeaddrinfo(res):
    """void freeaddrinfo(struct addrinfo *res);"""
    if not isinstance(res, CData) or typeof(res) is not _ADDRINFO_P:
        raise TypeError(f"freeaddrinfo: res must be the 'struct addrinfo *' getaddrinfo gave, not {describe(res)}")
    if res == NULL or not is_live_addrinfo(res):
        raise ValueError("freeaddrinfo: res is not a list that getaddrinfo returned and that is still allocated")
    forget_addrinfo(res)
    _lib.freeaddrinfo(res)


def getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags):
    """int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags);"""  # noqa: E501
    addrlen, hostlen, servlen, flags = (integer(addrlen, "getnameinfo", "addrlen"),
                                        integer(hostlen, "getnameinfo", "hostlen"),
                                        integer(servlen, "getnameinfo", "servlen"),
                                        integer(flags, "getnameinfo", "flags"))
    c_addr, asize = sockaddr(addr, "getnameinfo", "addr", False)
    if addrlen > asize:
        raise too_big("getnameinfo", "addrlen", addrlen, "addr", asize)
    c_host, hsize = buffer(host, "getnameinfo", "host", True)
    try:
        c_serv, ssize = buffer(serv, "getnameinfo", "serv", True)
        args = (c_addr, addrlen, c_host, hostlen, c_serv, servlen, flags)
        try:
            if hostlen > hsize:
                raise too_big("getnameinfo", "hostlen", hostlen, "host", hsize)
            if servlen > ssize:
                raise too_big("getnameinfo", "servlen", servlen, "serv", ssize)
            return _lib.getnameinfo(*args)
        except CALL_ERRORS as e:
            raise argument_error("getnameinfo", ("addr", "addrlen", "host", "hostlen", "serv", "servlen", "flags"),
                                 args, e) from None
        finally:
            if c_serv is not serv:
                release(c_serv)
    finally:
        if c_host is not host:
            release(c_host)


def gai_strerror(errcode):
    """const char *gai_strerror(int errcode);"""
    return named_call(_lib.gai_strerror, "gai_strerror", ("errcode",), integer(errcode, "gai_strerror", "errcode"))


def h_errno():
    """h_errno as the last gethostbyname / gethostbyaddr left it."""
    return _lib.csock_h_errno()

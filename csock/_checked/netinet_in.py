"""<netinet/in.h> (Winsock: <winsock2.h>): byte order. Integers converted once; cffi's range error names them."""
from .._checks import integer, named_call
from .._csock_nonblocking import lib as _lib


def htons(hostshort):
    """uint16_t htons(uint16_t hostshort);"""
    return named_call(_lib.htons, "htons", ("hostshort",), integer(hostshort, "htons", "hostshort"))


def htonl(hostlong):
    """uint32_t htonl(uint32_t hostlong);"""
    return named_call(_lib.htonl, "htonl", ("hostlong",), integer(hostlong, "htonl", "hostlong"))


def ntohs(netshort):
    """uint16_t ntohs(uint16_t netshort);"""
    return named_call(_lib.ntohs, "ntohs", ("netshort",), integer(netshort, "ntohs", "netshort"))


def ntohl(netlong):
    """uint32_t ntohl(uint32_t netlong);"""
    return named_call(_lib.ntohl, "ntohl", ("netlong",), integer(netlong, "ntohl", "netlong"))

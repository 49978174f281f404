"""<netinet/ip.h>: ip->ihl, read through csock_iphdr_ihl (a 4-bit field cffi cannot declare in a partial struct)."""
from .._checks import named_call, struct_pointer, typeof
from .._csock_nonblocking import lib as _lib

_IPHDR = typeof("struct iphdr")


def csock_iphdr_ihl(ip):
    """unsigned int csock_iphdr_ihl(const struct iphdr *ip);  ip->ihl: the header length in 32-bit words."""
    c = struct_pointer(ip, _IPHDR, "csock_iphdr_ihl", "ip", False, False)
    return named_call(_lib.csock_iphdr_ihl, "csock_iphdr_ihl", ("ip",), c)

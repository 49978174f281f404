INCLUDES = """
#include <netinet/ip.h>
"""

# ihl and version are 4-bit fields whose order follows the byte order: cffi cannot verify a bit-field
# of a partial struct, so they are read through a function (the C programs use ip->ihl).
TYPES = """
struct iphdr {
    uint8_t tos;
    uint16_t tot_len;
    uint16_t id;
    uint16_t frag_off;
    uint8_t ttl;
    uint8_t protocol;
    uint16_t check;
    uint32_t saddr;
    uint32_t daddr;
    ...;
};
"""

FUNCTIONS = """
unsigned int csock_iphdr_ihl(const struct iphdr *ip);
"""

CUSTOMIZATIONS = """
static unsigned int csock_iphdr_ihl(const struct iphdr *ip) { return ip->ihl; }
"""

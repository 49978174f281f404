INCLUDES = """
#include <netinet/in.h>
"""

TYPES = """
typedef int... in_addr_t;
typedef int... in_port_t;

struct in_addr {
    in_addr_t s_addr;
};
struct in6_addr {
    unsigned char s6_addr[16];
    ...;
};
struct sockaddr_in {
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    unsigned char sin_zero[...];
    ...;
};
struct sockaddr_in6 {
    sa_family_t sin6_family;
    in_port_t sin6_port;
    uint32_t sin6_flowinfo;
    struct in6_addr sin6_addr;
    uint32_t sin6_scope_id;
    ...;
};

#define IPPROTO_IP ...
#define IPPROTO_ICMP ...
#define IPPROTO_TCP ...
#define IPPROTO_UDP ...
#define IPPROTO_IPV6 ...
#define IPPROTO_ICMPV6 ...
#define IPPROTO_RAW ...

#define INADDR_ANY ...
#define INADDR_LOOPBACK ...
#define INADDR_BROADCAST ...
#define INADDR_NONE ...

#define INET_ADDRSTRLEN ...
#define INET6_ADDRSTRLEN ...

#define IPV6_V6ONLY ...
"""

FUNCTIONS = ""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
uint16_t htons(uint16_t hostshort);
uint32_t htonl(uint32_t hostlong);
uint16_t ntohs(uint16_t netshort);
uint32_t ntohl(uint32_t netlong);
"""

CUSTOMIZATIONS = ""

INCLUDES = """
#include <netinet/ip_icmp.h>
"""

TYPES = """
struct icmphdr {
    uint8_t type;
    uint8_t code;
    uint16_t checksum;
    union {
        struct {
            uint16_t id;
            uint16_t sequence;
        } echo;
        uint32_t gateway;
    } un;
    ...;
};

#define ICMP_ECHOREPLY ...
#define ICMP_ECHO ...
#define ICMP_DEST_UNREACH ...
"""

FUNCTIONS = ""

CUSTOMIZATIONS = ""

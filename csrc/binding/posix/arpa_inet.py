INCLUDES = """
#include <arpa/inet.h>
"""

TYPES = ""

FUNCTIONS = ""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
in_addr_t inet_addr(const char *cp);
int inet_aton(const char *cp, struct in_addr *inp);
char *inet_ntoa(struct in_addr in);
int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
"""

CUSTOMIZATIONS = ""

INCLUDES = """
#include <sys/un.h>
"""

TYPES = """
struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[...];
    ...;
};
"""

FUNCTIONS = ""

CUSTOMIZATIONS = ""

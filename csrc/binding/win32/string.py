INCLUDES = """
#include <string.h>
"""

TYPES = ""

FUNCTIONS = ""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
void *memset(void *s, int c, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
char *strerror(int errnum);
"""

CUSTOMIZATIONS = ""

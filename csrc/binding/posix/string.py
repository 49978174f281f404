INCLUDES = """
#include <string.h>
#include <strings.h>
"""

TYPES = ""

FUNCTIONS = ""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
void *memset(void *s, int c, size_t n);
void *csock_memset(void *s, int c, size_t n, size_t capacity);
void *memchr(const void *s, int c, size_t n);
void bzero(void *s, size_t n);
size_t strlen(const char *s);
char *strerror(int errnum);
"""

CUSTOMIZATIONS = ""

# memset with csock's check in C, after cffi converted every argument (no Python code runs between the check and the
# call): NULL, and no memset, when n exceeds capacity, the bytes csock knows lie behind s.
NONBLOCKING_CUSTOMIZATIONS = """
static void *csock_memset(void *s, int c, size_t n, size_t capacity) {
    if (n > capacity)
        return NULL;
    return memset(s, c, n);
}
"""

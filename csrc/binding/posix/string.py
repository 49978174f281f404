INCLUDES = """
#include <string.h>
#include <strings.h>
"""

TYPES = ""

FUNCTIONS = ""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
void *memset(void *s, int c, size_t n);
void *memchr(const void *s, int c, size_t n);
void bzero(void *s, size_t n);
size_t strlen(const char *s);
char *strerror(int errnum);
char *strncpy(char *dest, const char *src, size_t n);
int strcmp(const char *s1, const char *s2);
"""

CUSTOMIZATIONS = ""

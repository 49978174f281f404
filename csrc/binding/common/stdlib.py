INCLUDES = """
#include <stdlib.h>
"""

TYPES = """
#define EXIT_SUCCESS ...
#define EXIT_FAILURE ...
"""

FUNCTIONS = """
void exit(int status);
"""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
int atoi(const char *nptr);
"""

CUSTOMIZATIONS = ""

INCLUDES = """
#include <stdlib.h>
"""

TYPES = """
#define EXIT_SUCCESS ...
#define EXIT_FAILURE ...
"""

FUNCTIONS = """
int atoi(const char *nptr);
void exit(int status);
"""

CUSTOMIZATIONS = ""

INCLUDES = """
#include <stdio.h>
"""

TYPES = """
typedef ... FILE;
static FILE *const stdin;
static FILE *const stdout;
static FILE *const stderr;

#define EOF ...
"""

FUNCTIONS = """
int printf(const char *format, ...);
void perror(const char *s);
int getchar(void);
int fflush(FILE *stream);
"""

CUSTOMIZATIONS = ""

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
int fprintf(FILE *stream, const char *format, ...);
void perror(const char *s);
int getchar(void);
int fflush(FILE *stream);
int csock_printf_p(const char *format, const void *arg);
int csock_printf_i(const char *format, int arg);
"""

# printf with one fixed argument: cffi calls a variadic function through libffi, which costs twice the call.
# Still libc's printf (same stdio buffer, same writes); with NULL it serves a format that takes no argument.
CUSTOMIZATIONS = """
static int csock_printf_p(const char *format, const void *arg) { return printf(format, arg); }
static int csock_printf_i(const char *format, int arg) { return printf(format, arg); }
"""

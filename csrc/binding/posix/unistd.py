INCLUDES = """
#include <unistd.h>
"""

TYPES = """
#define STDIN_FILENO ...
#define STDOUT_FILENO ...
#define STDERR_FILENO ...
"""

FUNCTIONS = """
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
"""

CUSTOMIZATIONS = ""

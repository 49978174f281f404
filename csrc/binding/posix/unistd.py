INCLUDES = """
#include <unistd.h>
"""

TYPES = """
typedef int... pid_t;
typedef int... useconds_t;
#define STDIN_FILENO ...
#define STDOUT_FILENO ...
#define STDERR_FILENO ...
"""

FUNCTIONS = """
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
int unlink(const char *pathname);
int usleep(useconds_t usec);
pid_t getpid(void);
"""

CUSTOMIZATIONS = ""

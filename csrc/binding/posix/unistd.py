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

# Declared for csock's names and stub only, never to cffi: csock/_checked/unistd.py makes fork with os.fork (a raw
# fork() would skip the interpreter's before-fork and after-fork hooks).
PYTHON_FUNCTIONS = """
pid_t fork(void);
"""

CUSTOMIZATIONS = ""

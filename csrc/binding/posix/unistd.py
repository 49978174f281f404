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
ssize_t csock_read(int fd, void *buf, size_t count, size_t capacity);
ssize_t csock_write(int fd, const void *buf, size_t count, size_t capacity);
"""

# read and write with csock's check in C, after cffi converted every argument (no Python code runs between the
# check and the call): csock_refused, and no syscall, when count exceeds capacity, the bytes csock knows lie behind
# buf. strace shows the same read/write.
CUSTOMIZATIONS = """
static ssize_t csock_read(int fd, void *buf, size_t count, size_t capacity) {
    if (count > capacity)
        return csock_refused;
    return read(fd, buf, count);
}

static ssize_t csock_write(int fd, const void *buf, size_t count, size_t capacity) {
    if (count > capacity)
        return csock_refused;
    return write(fd, buf, count);
}
"""

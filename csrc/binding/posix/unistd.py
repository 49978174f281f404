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
ssize_t csock_read(int fd, void *buf, size_t count, size_t capacity);
ssize_t csock_write(int fd, const void *buf, size_t count, size_t capacity);
int unlink(const char *pathname);
int usleep(useconds_t usec);
pid_t getpid(void);
"""

# Declared for csock's names and stub only, never to cffi: csock/_checked/unistd.py makes fork with csock_fork
# below on CPython, os.fork on PyPy (a raw fork() would skip the interpreter's before-fork and after-fork hooks).
PYTHON_FUNCTIONS = """
pid_t fork(void);
"""

# In the module that holds the GIL: the interpreter's fork hooks run Python code.
NONBLOCKING_FUNCTIONS = """
pid_t csock_fork(void);
"""

# fork() between CPython's own before- and after-fork hooks, as os.fork() does, without what os.fork() adds in the
# parent since 3.12 (it reads /proc/self/stat to warn about threads): the syscalls of C's fork() and no more.
# PyPy has no such C hooks (and its os.fork reads nothing): -1 and ENOSYS there, csock uses os.fork.
NONBLOCKING_CUSTOMIZATIONS = """
#ifndef PYPY_VERSION
/* In the stable ABI since 3.7, but Python.h of 3.13 declares them only where pyconfig.h says HAVE_FORK. */
void PyOS_BeforeFork(void);
void PyOS_AfterFork_Parent(void);
void PyOS_AfterFork_Child(void);
#endif

static pid_t csock_fork(void) {
#ifdef PYPY_VERSION
    errno = ENOSYS;
    return -1;
#else
    pid_t pid;
    int saved_errno;
    PyOS_BeforeFork();
    pid = fork();
    saved_errno = errno;
    if (pid == 0)
        PyOS_AfterFork_Child();
    else
        PyOS_AfterFork_Parent();
    errno = saved_errno;
    return pid;
#endif
}
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

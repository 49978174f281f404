"""<unistd.h>: read, write, close: the server loop's calls; unlink, usleep, getpid, and fork (os.fork: see fork).
The common case of read and write (the array buffer() last found writable) goes straight to the binding's csock_read /
csock_write, which compare count with the array's size in C, after cffi converted every argument; any other buffer is
measured by _checks.buffer(), its count converted first."""
import os as _os
import platform as _platform

from .._checks import KNOWN_WRITABLE, KNOWN_WRITABLE_READERS, CALL_ERRORS, argument_error, buffer, c_string, ffi, \
    integer, named_call, release, too_big
from .._csock_nonblocking import lib as _lib

_c_read, _c_write, _c_close = (getattr(_lib, name, None) for name in ("csock_read", "csock_write", "close"))
_REFUSED = getattr(_lib, "csock_refused", None)
_c_fork = None if _platform.python_implementation() == "PyPy" else getattr(_lib, "csock_fork", None)
_PARAMS = ("fd", "buf", "count")
KNOWN_WRITABLE_READERS.append(globals())  # its KNOWN_WRITABLE, rebound by _checks


def _transfer(c_func, func, fd, buf, count, writable):
    """c_func(fd, buf, count) for any buffer: measured, refused if read-only where C writes, released after."""
    c, size = buffer(buf, func, "buf", writable)
    try:
        if count > size:
            raise too_big(func, "count", count, "buf", size)
        return c_func(fd, c, count, count)
    except CALL_ERRORS as e:
        raise argument_error(func, _PARAMS, (fd, c, count), e) from None
    finally:
        if c is not buf:
            release(c)


def read(fd, buf, count):
    """ssize_t read(int fd, void *buf, size_t count);"""
    known, size = KNOWN_WRITABLE
    if known() is buf:  # the array buffer() last found writable: C compares count with its size, after conversion
        try:
            n = _c_read(fd, buf, count, size)
            if n != _REFUSED:  # returned from inside the try: one jump less per call
                return n
        except CALL_ERRORS as e:
            if type(count) is int and count > size:  # beyond size_t too: the same refusal as below
                raise too_big("read", "count", count, "buf", size) from None
            raise argument_error("read", _PARAMS, (fd, buf, count), e) from None
        raise too_big("read", "count", integer(count, "read", "count"), "buf", size)
    fd, count = integer(fd, "read", "fd"), integer(count, "read", "count")
    return _transfer(_c_read, "read", fd, buf, count, True)


def write(fd, buf, count):
    """ssize_t write(int fd, const void *buf, size_t count);"""
    known, size = KNOWN_WRITABLE
    if known() is buf:  # the array buffer() last found writable: C compares count with its size, after conversion
        try:
            n = _c_write(fd, buf, count, size)
            if n != _REFUSED:  # returned from inside the try: one jump less per call
                return n
        except CALL_ERRORS as e:
            if type(count) is int and count > size:  # beyond size_t too: the same refusal as below
                raise too_big("write", "count", count, "buf", size) from None
            raise argument_error("write", _PARAMS, (fd, buf, count), e) from None
        raise too_big("write", "count", integer(count, "write", "count"), "buf", size)
    fd, count = integer(fd, "write", "fd"), integer(count, "write", "count")
    return _transfer(_c_write, "write", fd, buf, count, False)


def close(fd):
    """int close(int fd);"""
    try:  # no check: cffi converts fd once, in the call
        return _c_close(fd)
    except CALL_ERRORS as e:
        raise argument_error("close", ("fd",), (fd,), e) from None


def unlink(pathname):
    """int unlink(const char *pathname);"""
    return _lib.unlink(c_string(pathname, "unlink", "pathname"))


def usleep(usec):
    """int usleep(useconds_t usec);"""
    return named_call(_lib.usleep, "usleep", ("usec",), integer(usec, "usleep", "usec"))


def getpid():
    """pid_t getpid(void);"""
    return _lib.getpid()


def fork():
    """pid_t fork(void);  the child's pid in the parent, 0 in the child, -1 and errno on failure.

    glibc's fork() (the same clone syscall as C's) between the interpreter's before-fork and after-fork hooks (its
    locks, threads, os.register_at_fork callbacks), so both processes stay consistent: on CPython through the binding's
    csock_fork (os.fork() of CPython >= 3.12 also reads /proc/self/stat in the parent, syscalls C does not make), on
    PyPy through os.fork(). A raw fork() would skip the hooks: csock declares none to cffi.
    """
    if _c_fork is not None:
        return _c_fork()
    try:
        return _os.fork()
    except OSError as failed:  # C returns -1 and leaves errno: so does this
        ffi.errno = failed.errno
        return -1

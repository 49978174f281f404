"""<unistd.h>: read, write, close. The server loop's calls: their common case (an ffi.new byte array) is checked
inline, every other buffer by _checks.buffer(); a count is converted once (operator.index) before either."""
from .._checks import KNOWN_WRITABLE, CALL_ERRORS, argument_error, buffer, integer, release, too_big
from .._csock_nonblocking import lib as _lib

_c_read, _c_write, _c_close = (getattr(_lib, name, None) for name in ("read", "write", "close"))
_PARAMS = ("fd", "buf", "count")


def _transfer(c_func, func, fd, buf, count, writable):
    """c_func(fd, buf, count) for any buffer: measured, refused if read-only where C writes, released after."""
    c, size = buffer(buf, func, "buf", writable)
    try:
        if count > size:
            raise too_big(func, "count", count, "buf", size)
        return c_func(fd, c, count)
    except CALL_ERRORS as e:
        raise argument_error(func, _PARAMS, (fd, c, count), e) from None
    finally:
        if c is not buf:
            release(c)


def read(fd, buf, count):
    """ssize_t read(int fd, void *buf, size_t count);"""
    if type(fd) is not int:
        fd = integer(fd, "read", "fd")
    if type(count) is not int:
        count = integer(count, "read", "count")
    known, size = KNOWN_WRITABLE[0]
    if known() is buf and count <= size:  # the array buffer() last found writable: its size is known
        try:
            return _c_read(fd, buf, count)
        except CALL_ERRORS as e:
            raise argument_error("read", _PARAMS, (fd, buf, count), e) from None
    return _transfer(_c_read, "read", fd, buf, count, True)


def write(fd, buf, count):
    """ssize_t write(int fd, const void *buf, size_t count);"""
    if type(fd) is not int:
        fd = integer(fd, "write", "fd")
    if type(count) is not int:
        count = integer(count, "write", "count")
    known, size = KNOWN_WRITABLE[0]
    if known() is buf and count <= size:  # the array buffer() last found writable: its size is known
        try:
            return _c_write(fd, buf, count)
        except CALL_ERRORS as e:
            raise argument_error("write", _PARAMS, (fd, buf, count), e) from None
    return _transfer(_c_write, "write", fd, buf, count, False)


def close(fd):
    """int close(int fd);"""
    if type(fd) is not int:
        fd = integer(fd, "close", "fd")
    try:
        return _c_close(fd)
    except CALL_ERRORS as e:
        raise argument_error("close", ("fd",), (fd,), e) from None

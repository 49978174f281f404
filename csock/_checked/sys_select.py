"""<sys/select.h> (Winsock: <winsock2.h>): select and the FD_* macros."""
from .._checks import CALL_ERRORS, argument_error, integer, named_call, struct_pointer, too_big, typeof
from .._csock import lib
from .._csock_nonblocking import lib as _lib

WINDOWS = hasattr(lib, "WSAStartup")
_FD_SET = typeof("fd_set")
_TIMEVAL = typeof("struct timeval")


def _fd_set(obj, func, arg, null_ok):
    """An fd_set * (or a non-empty fd_set array): the kernel reads and writes a whole fd_set through it."""
    return struct_pointer(obj, _FD_SET, func, arg, writable=True, null_ok=null_ok)


def _fd_index(fd, func):
    fd = integer(fd, func, "fd")
    if not WINDOWS and not 0 <= fd < lib.FD_SETSIZE:  # glibc indexes the bit array with fd unchecked
        raise ValueError(f"{func}: fd ({fd}) is outside 0..FD_SETSIZE-1 ({lib.FD_SETSIZE - 1})")
    return fd


def select(nfds, readfds, writefds, exceptfds, timeout):
    """int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);"""
    nfds = integer(nfds, "select", "nfds")
    if not WINDOWS and nfds > lib.FD_SETSIZE:  # the kernel would read and write nfds bits of each set
        raise too_big("select", "nfds", nfds, "an fd_set", lib.FD_SETSIZE)
    args = (nfds, _fd_set(readfds, "select", "readfds", True), _fd_set(writefds, "select", "writefds", True),
            _fd_set(exceptfds, "select", "exceptfds", True),
            # Linux writes the time left back into *timeout
            struct_pointer(timeout, _TIMEVAL, "select", "timeout", writable=True, null_ok=True))
    try:
        return _lib.select(*args)
    except CALL_ERRORS as e:
        raise argument_error("select", ("nfds", "readfds", "writefds", "exceptfds", "timeout"), args, e) from None


def FD_ZERO(set):
    """void FD_ZERO(fd_set *set);"""
    _lib.FD_ZERO(_fd_set(set, "FD_ZERO", "set", False))


def FD_SET(fd, set):
    """void FD_SET(int fd, fd_set *set);"""
    named_call(_lib.FD_SET, "FD_SET", ("fd", "set"), _fd_index(fd, "FD_SET"), _fd_set(set, "FD_SET", "set", False))


def FD_CLR(fd, set):
    """void FD_CLR(int fd, fd_set *set);"""
    named_call(_lib.FD_CLR, "FD_CLR", ("fd", "set"), _fd_index(fd, "FD_CLR"), _fd_set(set, "FD_CLR", "set", False))


def FD_ISSET(fd, set):
    """int FD_ISSET(int fd, fd_set *set);"""
    return named_call(_lib.FD_ISSET, "FD_ISSET", ("fd", "set"), _fd_index(fd, "FD_ISSET"),
                      _fd_set(set, "FD_ISSET", "set", False))

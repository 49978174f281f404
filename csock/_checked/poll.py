"""<poll.h> (Winsock: WSAPoll of <winsock2.h>)."""
from .._checks import CALL_ERRORS, argument_error, counted, integer, too_big, typeof
from .._csock_nonblocking import lib as _lib


def poll(fds, nfds, timeout):
    """int poll(struct pollfd *fds, nfds_t nfds, int timeout);"""
    nfds, timeout = integer(nfds, "poll", "nfds"), integer(timeout, "poll", "timeout")
    c, count = counted(fds, typeof("struct pollfd"), "poll", "fds", writable=True)
    if nfds > count:
        raise too_big("poll", "nfds", nfds, "fds (struct pollfd entries)", count)
    try:
        return _lib.poll(c, nfds, timeout)
    except CALL_ERRORS as e:
        raise argument_error("poll", ("fds", "nfds", "timeout"), (c, nfds, timeout), e) from None

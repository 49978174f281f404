"""<sys/epoll.h>."""
from .._checks import CALL_ERRORS, argument_error, counted, integer, named_call, too_big, typeof
from .._csock_nonblocking import lib as _lib

_EVENT = typeof("struct epoll_event")


def epoll_create(size):
    """int epoll_create(int size);"""
    return named_call(_lib.epoll_create, "epoll_create", ("size",), integer(size, "epoll_create", "size"))


def epoll_create1(flags):
    """int epoll_create1(int flags);"""
    return named_call(_lib.epoll_create1, "epoll_create1", ("flags",), integer(flags, "epoll_create1", "flags"))


def epoll_ctl(epfd, op, fd, event):
    """int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);"""
    args = (integer(epfd, "epoll_ctl", "epfd"), integer(op, "epoll_ctl", "op"), integer(fd, "epoll_ctl", "fd"))
    c, count = counted(event, _EVENT, "epoll_ctl", "event", writable=False)
    if c and count < 1:  # NULL passes (EPOLL_CTL_DEL takes it); an empty array does not
        raise too_big("epoll_ctl", "1 event", 1, "event", count)
    try:
        return _lib.epoll_ctl(*args, c)
    except CALL_ERRORS as e:
        raise argument_error("epoll_ctl", ("epfd", "op", "fd", "event"), args + (c,), e) from None


def epoll_wait(epfd, events, maxevents, timeout):
    """int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);"""
    epfd, maxevents, timeout = (integer(epfd, "epoll_wait", "epfd"), integer(maxevents, "epoll_wait", "maxevents"),
                                integer(timeout, "epoll_wait", "timeout"))
    c, count = counted(events, _EVENT, "epoll_wait", "events", writable=True)
    if maxevents > count:
        raise too_big("epoll_wait", "maxevents", maxevents, "events (struct epoll_event entries)", count)
    try:
        return _lib.epoll_wait(epfd, c, maxevents, timeout)
    except CALL_ERRORS as e:
        raise argument_error("epoll_wait", ("epfd", "events", "maxevents", "timeout"), (epfd, c, maxevents, timeout),
                             e) from None

"""select, poll and epoll driving non-blocking sockets: payloads cross intact, a non-blocking connect
completes, timeouts return 0, and the fd_set / array bounds are checked before C sees them."""
import random

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import csock
from csock import ffi
from binding_helpers import (SHUT_WR, WINDOWS, Descriptors, errno_value, failure, listener, loopback,
                             set_nonblocking, tcp_pair, unix_pair, would_block)

MAX_PAYLOAD = 64 * 1024
WAIT_MS = 5000


# --- one readiness wait per multiplexer: (is receiver readable, is sender writable) -----------------

class Select:
    def __init__(self, fds):
        self.readfds = ffi.new("fd_set *")
        self.writefds = ffi.new("fd_set *")

    def wait(self, receiver, sender, timeout_ms=WAIT_MS):
        csock.FD_ZERO(self.readfds)
        csock.FD_ZERO(self.writefds)
        csock.FD_SET(receiver, self.readfds)
        if sender is not None:
            csock.FD_SET(sender, self.writefds)
        tv = ffi.new("struct timeval *", {"tv_sec": timeout_ms // 1000, "tv_usec": timeout_ms % 1000 * 1000})
        nfds = max(receiver, sender if sender is not None else 0) + 1
        ready = csock.select(nfds, self.readfds, self.writefds, ffi.NULL, tv)
        assert ready >= 0, failure("select")
        readable = bool(csock.FD_ISSET(receiver, self.readfds))
        writable = sender is not None and bool(csock.FD_ISSET(sender, self.writefds))
        assert ready == readable + writable
        return readable, writable


class Poll:
    def __init__(self, fds):
        self.entries = ffi.new("struct pollfd[2]")

    def wait(self, receiver, sender, timeout_ms=WAIT_MS):
        self.entries[0] = {"fd": receiver, "events": csock.POLLIN, "revents": 0}
        self.entries[1] = {"fd": -1 if sender is None else sender, "events": csock.POLLOUT, "revents": 0}
        ready = csock.poll(self.entries, 2, timeout_ms)
        assert ready >= 0, failure("poll")
        errors = csock.POLLERR | csock.POLLNVAL
        assert not (self.entries[0].revents | self.entries[1].revents) & errors
        readable = bool(self.entries[0].revents & (csock.POLLIN | csock.POLLHUP))
        writable = bool(self.entries[1].revents & csock.POLLOUT)
        assert ready == readable + writable
        return readable, writable


class Epoll:
    def __init__(self, fds):
        self.epfd = fds.keep(csock.epoll_create1(csock.EPOLL_CLOEXEC), "epoll_create1")
        self.events = ffi.new("struct epoll_event[4]")
        self.watched = {}  # fd -> events it is registered for

    def _control(self, fd, events):
        if self.watched.get(fd) == events:
            return
        if events is None:
            op, event = csock.EPOLL_CTL_DEL, ffi.NULL
            del self.watched[fd]
        else:
            op = csock.EPOLL_CTL_MOD if fd in self.watched else csock.EPOLL_CTL_ADD
            event = ffi.new("struct epoll_event *", {"events": events, "data": {"fd": fd}})
            self.watched[fd] = events
        assert csock.epoll_ctl(self.epfd, op, fd, event) == 0, failure("epoll_ctl")

    def wait(self, receiver, sender, timeout_ms=WAIT_MS):
        self._control(receiver, csock.EPOLLIN)
        for fd in [fd for fd in self.watched if fd not in (receiver, sender)]:
            self._control(fd, None)  # the sender is done: stop watching it
        if sender is not None:
            self._control(sender, csock.EPOLLOUT)
        ready = csock.epoll_wait(self.epfd, self.events, 4, timeout_ms)
        assert ready >= 0, failure("epoll_wait")
        readable = writable = False
        for i in range(ready):
            fd, events = self.events[i].data.fd, self.events[i].events
            assert not events & csock.EPOLLERR
            readable |= fd == receiver and bool(events & (csock.EPOLLIN | csock.EPOLLHUP))
            writable |= fd == sender and bool(events & csock.EPOLLOUT)
        return readable, writable


# Winsock has select; poll (WSAPoll) and epoll are tested on POSIX only.
MULTIPLEXERS = [Select] + ([] if WINDOWS else [Poll, Epoll])
TRANSPORTS = ["tcp4", "tcp6"] + ([] if WINDOWS else ["socketpair"])


def connected(fds, transport):
    if transport == "socketpair":
        pair = unix_pair(fds)
    else:
        pair = tcp_pair(fds, csock.AF_INET if transport == "tcp4" else csock.AF_INET6)
    for fd in pair:
        set_nonblocking(fd)
    return pair


def pump(multiplexer, sender, receiver, payload, chunk):
    """Move payload from sender to receiver, then end of file, calling only what the multiplexer says is ready."""
    view = memoryview(payload)
    buf = ffi.new("char[]", chunk)
    sent, received = 0, bytearray()
    if not payload:
        assert csock.shutdown(sender, SHUT_WR) == 0, failure("shutdown")
    for _ in range(2 * len(payload) + 100):  # every turn moves a byte or ends; a timeout fails
        readable, writable = multiplexer.wait(receiver, sender if sent < len(payload) else None)
        assert readable or writable, f"nothing ready within {WAIT_MS} ms ({sent} sent, {len(received)} received)"
        if writable:
            n = csock.send(sender, view[sent:], min(chunk, len(payload) - sent), 0)
            assert n > 0 or would_block(csock.errno()), failure("send")
            sent += max(n, 0)
            if sent == len(payload):
                assert csock.shutdown(sender, SHUT_WR) == 0, failure("shutdown")
        if readable:
            n = csock.recv(receiver, buf, chunk, 0)
            assert n >= 0 or would_block(csock.errno()), failure("recv")
            if n == 0:
                return bytes(received)
            received += ffi.buffer(buf, max(n, 0))
    raise AssertionError("the transfer did not end")


def random_bytes(size, seed):
    return random.Random(seed).randbytes(size)


payloads = st.one_of(
    st.binary(max_size=2048),
    st.builds(random_bytes, st.integers(0, MAX_PAYLOAD), st.integers(0, 2**32 - 1)),
)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("make", MULTIPLEXERS, ids=lambda m: m.__name__.lower())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads, chunk=st.one_of(st.integers(1, 512), st.integers(1, MAX_PAYLOAD)))
@example(payload=b"", chunk=1)
@example(payload=random_bytes(MAX_PAYLOAD, 3), chunk=MAX_PAYLOAD)
def test_payload_crosses_nonblocking_sockets(make, transport, payload, chunk):
    with Descriptors() as fds:
        sender, receiver = connected(fds, transport)
        multiplexer = make(fds)
        assert pump(multiplexer, sender, receiver, payload, chunk) == payload


@pytest.mark.parametrize("family", [csock.AF_INET, csock.AF_INET6], ids=["ipv4", "ipv6"])
@pytest.mark.parametrize("make", MULTIPLEXERS, ids=lambda m: m.__name__.lower())
def test_nonblocking_connect_and_accept(make, family):
    with Descriptors() as fds:
        server, port = listener(fds, family)
        set_nonblocking(server)
        client = fds.socket(family, csock.SOCK_STREAM)
        set_nonblocking(client)
        sa, size = loopback(family, port)
        rc = csock.connect(client, sa, size)
        if rc == -1:  # loopback may connect at once; otherwise it is in progress
            assert csock.errno() in (errno_value("EINPROGRESS"), errno_value("EWOULDBLOCK")), failure("connect")
        multiplexer = make(fds)
        readable, writable = multiplexer.wait(server, client)
        for _ in range(10):
            if readable and writable:
                break
            more_readable, more_writable = multiplexer.wait(server, client)
            readable, writable = readable or more_readable, writable or more_writable
        assert readable and writable, "the listener is not readable or the client not writable"
        error = ffi.new("int *", -1)
        length = ffi.new("socklen_t *", ffi.sizeof("int"))
        assert csock.getsockopt(client, csock.SOL_SOCKET, csock.SO_ERROR, error, length) == 0
        assert error[0] == 0
        accepted = fds.keep(csock.accept(server, ffi.NULL, ffi.NULL), "accept")
        assert csock.accept(server, ffi.NULL, ffi.NULL) == (-1 if not WINDOWS else csock.INVALID_SOCKET)
        assert would_block(csock.errno())
        assert accepted != client


@pytest.mark.parametrize("make", MULTIPLEXERS, ids=lambda m: m.__name__.lower())
def test_nothing_ready_times_out_with_zero(make):
    with Descriptors() as fds:
        a, b = tcp_pair(fds)
        set_nonblocking(b)
        readable, _ = make(fds).wait(b, None, timeout_ms=50)
        assert not readable
        buf = ffi.new("char[4]")
        assert csock.recv(b, buf, 4, 0) == -1 and would_block(csock.errno())


def test_select_sets_are_checked():
    fd_set = ffi.new("fd_set *")
    csock.FD_ZERO(fd_set)
    with pytest.raises(TypeError):
        csock.FD_SET(0, ffi.new("int[64]"))
    with pytest.raises(TypeError):
        csock.select(1, bytearray(128), ffi.NULL, ffi.NULL, ffi.NULL)
    if not WINDOWS:  # an fd_set is a bit array of FD_SETSIZE bits on POSIX
        for bad in (-1, csock.FD_SETSIZE):
            with pytest.raises(ValueError):
                csock.FD_SET(bad, fd_set)
        with pytest.raises(ValueError):
            csock.select(csock.FD_SETSIZE + 1, fd_set, ffi.NULL, ffi.NULL, ffi.NULL)
    csock.FD_SET(3, fd_set)
    assert csock.FD_ISSET(3, fd_set) and not csock.FD_ISSET(4, fd_set)
    csock.FD_CLR(3, fd_set)
    assert not csock.FD_ISSET(3, fd_set)


@pytest.mark.skipif(WINDOWS and not hasattr(csock, "poll"),
                    reason="poll and epoll are POSIX calls (Winsock's WSAPoll: tests/windows/test_winsock_binding.py)")
def test_poll_and_epoll_counts_are_checked():
    entries = ffi.new("struct pollfd[2]")
    with pytest.raises(ValueError):
        csock.poll(entries, 3, 0)
    with pytest.raises(TypeError):
        csock.poll(ffi.new("int[8]"), 1, 0)
    events = ffi.new("struct epoll_event[2]")
    with pytest.raises(ValueError):
        csock.epoll_wait(0, events, 3, 0)
    with Descriptors() as fds:
        epfd = fds.keep(csock.epoll_create1(0), "epoll_create1")
        assert csock.epoll_wait(epfd, events, 2, 0) == 0
        assert csock.epoll_ctl(epfd, csock.EPOLL_CTL_ADD, epfd, events) == -1  # an epoll cannot watch itself
        assert csock.errno() == csock.EINVAL

"""What the tests of the csock binding share: descriptors that are always closed, loopback addresses,
connected pairs, timeouts. Real sockets on 127.0.0.1 / ::1 only, ephemeral ports only.

The platform differences the tests share live here: Winsock needs WSAStartup, closes with closesocket,
reports errors as WSAE*, names shutdown's `how` SD_* and sets timeouts in milliseconds.
"""
import sys

import csock
from csock import ffi

WINDOWS = sys.platform == "win32"
# What a failing call that returns a descriptor gives back: -1, or INVALID_SOCKET (~0) on Winsock.
INVALID = (1 << (8 * ffi.sizeof("SOCKET"))) - 1 if WINDOWS else -1
TIMEOUT_SECONDS = 5
SHUT_WR = csock.SD_SEND if WINDOWS else csock.SHUT_WR  # Winsock names shutdown's `how` SD_*

if WINDOWS:  # Winsock needs WSAStartup before any call; the book's programs make it themselves.
    assert csock.WSAStartup(0x0202, ffi.new("WSADATA *")) == 0


def close_socket(fd):
    return csock.closesocket(fd) if WINDOWS else csock.close(fd)


def errno_value(name):
    """The number errno() gives for the C errno name: WSAE<name> on Winsock, E<name> elsewhere."""
    return getattr(csock, "WSA" + name) if WINDOWS else getattr(csock, name)


def failure(what):
    """An assertion message for a call that failed: the call and errno, as perror would print it."""
    return f"{what}: {csock.oserror()}"


class Descriptors:
    """Every descriptor a test opens, closed when the `with` block ends (a context manager, not a fixture:
    a hypothesis test runs many examples within one function-scoped fixture)."""

    def __init__(self):
        self.open = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close_all()

    def keep(self, fd, what="socket"):
        assert fd != INVALID and fd >= 0, failure(what)
        self.open.append(fd)
        return fd

    def socket(self, family, type, protocol=0):
        return self.keep(csock.socket(family, type, protocol), "socket")

    def close(self, fd):
        self.open.remove(fd)
        assert close_socket(fd) == 0, failure("close")

    def close_all(self):
        while self.open:
            close_socket(self.open.pop())


def loopback(family, port=0):
    """(struct sockaddr_in * or sockaddr_in6 * for 127.0.0.1 / ::1 and port, its size)."""
    if family == csock.AF_INET:
        sa = ffi.new("struct sockaddr_in *")
        sa.sin_family = csock.AF_INET
        sa.sin_port = csock.htons(port)
        sa.sin_addr.s_addr = csock.htonl(csock.INADDR_LOOPBACK)
        return sa, ffi.sizeof("struct sockaddr_in")
    sa = ffi.new("struct sockaddr_in6 *")
    sa.sin6_family = csock.AF_INET6
    sa.sin6_port = csock.htons(port)
    ffi.memmove(ffi.addressof(sa, "sin6_addr"), bytes(15) + b"\x01", 16)  # ::1 (Winsock spells s6_addr u.Byte)
    return sa, ffi.sizeof("struct sockaddr_in6")


def port_of(fd):
    """The port getsockname reports for fd, in host byte order."""
    ss = ffi.new("struct sockaddr_storage *")
    length = ffi.new("socklen_t *", ffi.sizeof("struct sockaddr_storage"))
    assert csock.getsockname(fd, ss, length) == 0, failure("getsockname")
    if ss.ss_family == csock.AF_INET:
        return csock.ntohs(ffi.cast("struct sockaddr_in *", ss).sin_port)
    return csock.ntohs(ffi.cast("struct sockaddr_in6 *", ss).sin6_port)


def set_timeouts(fd, seconds=TIMEOUT_SECONDS):
    """SO_RCVTIMEO and SO_SNDTIMEO, so that a blocking call cannot hang a test."""
    if WINDOWS:
        value, size = ffi.new("DWORD *", int(seconds * 1000)), ffi.sizeof("DWORD")  # milliseconds
    else:
        value = ffi.new("struct timeval *", {"tv_sec": int(seconds), "tv_usec": 0})
        size = ffi.sizeof("struct timeval")
    for option in (csock.SO_RCVTIMEO, csock.SO_SNDTIMEO):
        assert csock.setsockopt(fd, csock.SOL_SOCKET, option, value, size) == 0, failure("setsockopt")


def set_nonblocking(fd):
    if WINDOWS:
        assert csock.ioctlsocket(fd, csock.FIONBIO, ffi.new("u_long *", 1)) == 0, failure("ioctlsocket")
        return
    flags = csock.fcntl(fd, csock.F_GETFL)
    assert flags >= 0, failure("fcntl F_GETFL")
    assert csock.fcntl(fd, csock.F_SETFL, flags | csock.O_NONBLOCK) == 0, failure("fcntl F_SETFL")
    assert csock.fcntl(fd, csock.F_GETFL) & csock.O_NONBLOCK


def listener(fds, family=None):
    """A TCP socket listening on the loopback address of family at an ephemeral port: (fd, port)."""
    family = csock.AF_INET if family is None else family
    fd = fds.socket(family, csock.SOCK_STREAM)
    sa, size = loopback(family)
    assert csock.bind(fd, sa, size) == 0, failure("bind")
    assert csock.listen(fd, 4) == 0, failure("listen")
    return fd, port_of(fd)


def tcp_pair(fds, family=None):
    """(client, accepted server side) of a fresh loopback TCP connection, both with timeouts set."""
    family = csock.AF_INET if family is None else family
    server, port = listener(fds, family)
    client = fds.socket(family, csock.SOCK_STREAM)
    set_timeouts(client)
    sa, size = loopback(family, port)
    assert csock.connect(client, sa, size) == 0, failure("connect")
    peer = ffi.new("struct sockaddr_storage *")
    length = ffi.new("socklen_t *", ffi.sizeof("struct sockaddr_storage"))
    accepted = fds.keep(csock.accept(server, peer, length), "accept")
    assert peer.ss_family == family
    fds.close(server)
    set_timeouts(accepted)
    return client, accepted


def unix_pair(fds):
    """Both ends of an AF_UNIX socketpair (POSIX only), with timeouts set."""
    sv = ffi.new("int[2]")
    assert csock.socketpair(csock.AF_UNIX, csock.SOCK_STREAM, 0, sv) == 0, failure("socketpair")
    for fd in sv:
        fds.keep(fd)
        set_timeouts(fd)
    return sv[0], sv[1]


def would_block(err):
    """EAGAIN / EWOULDBLOCK (the same number on Linux), WSAEWOULDBLOCK on Winsock."""
    return err == errno_value("EWOULDBLOCK") or (not WINDOWS and err == csock.EAGAIN)

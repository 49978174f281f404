"""The whole surface that issue 2 lists, name by name: the test fails on any missing one.

AF_*, SO_*, E* ... are expanded into the concrete names. POSIX_ONLY holds what Winsock does not have
(the brief: socketpair, read/write, fcntl, poll, epoll, sockaddr_un, accept4, and what goes with them);
WINSOCK_ONLY holds what a Windows program calls instead.
"""
import errno as stdlib_errno
import platform

import pytest

import csock
from csock import ffi
from binding_helpers import WINDOWS, close_socket


FUNCTIONS = [
    # sockets
    "socket", "bind", "listen", "accept", "connect", "shutdown", "send", "recv", "sendto", "recvfrom",
    "getsockname", "getpeername", "getsockopt", "setsockopt",
    # byte order and addresses
    "htons", "htonl", "ntohs", "ntohl", "inet_addr", "inet_ntoa", "inet_pton", "inet_ntop",
    # names
    "gethostbyname", "gethostbyaddr", "getaddrinfo", "freeaddrinfo", "getnameinfo", "gai_strerror",
    # multiplexing
    "select", "FD_ZERO", "FD_SET", "FD_CLR", "FD_ISSET",
    # what the book's programs call besides sockets
    "printf", "perror", "getchar", "memset", "atoi", "exit", "strerror", "signal",
    # csock's own
    "errno", "oserror",
]
POSIX_ONLY_FUNCTIONS = [
    "socketpair", "accept4", "close", "read", "write", "fcntl", "inet_aton", "poll",
    "epoll_create1", "epoll_ctl", "epoll_wait", "bzero",
]
WINSOCK_ONLY_FUNCTIONS = ["WSAStartup", "WSACleanup", "WSAGetLastError", "closesocket", "ioctlsocket", "WSAPoll",
                          "FormatMessageW"]

CONSTANTS = [
    "AF_UNSPEC", "AF_INET", "AF_INET6",
    "PF_UNSPEC", "PF_INET", "PF_INET6",
    "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
    "IPPROTO_IP", "IPPROTO_ICMP", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6", "IPPROTO_ICMPV6", "IPPROTO_RAW",
    "INADDR_ANY", "INADDR_LOOPBACK", "INADDR_NONE", "INADDR_BROADCAST",
    "SOL_SOCKET", "SO_DEBUG", "SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_DONTROUTE", "SO_BROADCAST", "SO_SNDBUF",
    "SO_RCVBUF", "SO_KEEPALIVE", "SO_OOBINLINE", "SO_LINGER", "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_RCVTIMEO",
    "SO_SNDTIMEO", "SO_ACCEPTCONN",
    "TCP_NODELAY",
    "MSG_OOB", "MSG_PEEK", "MSG_DONTROUTE", "MSG_WAITALL",
    "POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLRDNORM", "POLLRDBAND", "POLLWRNORM",
    "POLLWRBAND",
    "INET_ADDRSTRLEN", "INET6_ADDRSTRLEN", "FD_SETSIZE", "SOMAXCONN",
    "AI_PASSIVE", "AI_CANONNAME", "AI_NUMERICHOST", "AI_NUMERICSERV",
    "NI_NUMERICHOST", "NI_NUMERICSERV", "NI_NAMEREQD", "NI_DGRAM", "NI_MAXHOST", "NI_MAXSERV",
    "EAI_AGAIN", "EAI_BADFLAGS", "EAI_FAIL", "EAI_FAMILY", "EAI_MEMORY", "EAI_NONAME", "EAI_SERVICE",
    "EAI_SOCKTYPE",
    # the errno values the tests and the book's programs rely on (every name of Python's errno module is added below)
    "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY", "EBADF", "ECONNABORTED",
    "ECONNREFUSED", "ECONNRESET", "EDESTADDRREQ", "EFAULT", "EHOSTUNREACH", "EINPROGRESS", "EINTR", "EINVAL",
    "EISCONN", "EMFILE", "EMSGSIZE", "ENETDOWN", "ENETUNREACH", "ENOBUFS", "ENOPROTOOPT", "ENOSPC", "ENOTCONN",
    "ENOTSOCK", "EOPNOTSUPP", "EPIPE", "EPROTONOSUPPORT", "EPROTOTYPE", "ETIMEDOUT", "EWOULDBLOCK",
    "SIGINT", "SIGTERM", "EXIT_SUCCESS", "EXIT_FAILURE", "EOF",
]
POSIX_ONLY_CONSTANTS = [
    "AF_UNIX", "AF_LOCAL", "PF_UNIX", "PF_LOCAL", "SOCK_NONBLOCK", "SOCK_CLOEXEC", "SO_REUSEPORT",
    "MSG_DONTWAIT", "MSG_NOSIGNAL", "MSG_TRUNC", "MSG_CTRUNC", "MSG_EOR", "POLLRDHUP",
    "SHUT_RD", "SHUT_WR", "SHUT_RDWR",  # winsock2.h names shutdown's `how` SD_RECEIVE / SD_SEND / SD_BOTH
    "F_GETFL", "F_SETFL", "F_GETFD", "F_SETFD", "FD_CLOEXEC", "O_NONBLOCK",
    "EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLRDHUP", "EPOLLET", "EPOLLONESHOT",
    "EPOLLEXCLUSIVE", "EPOLL_CTL_ADD", "EPOLL_CTL_MOD", "EPOLL_CTL_DEL", "EPOLL_CLOEXEC",
    "SIGPIPE", "EAI_SYSTEM", "STDIN_FILENO", "STDOUT_FILENO", "STDERR_FILENO",
]
WINSOCK_ONLY_CONSTANTS = ["INVALID_SOCKET", "SOCKET_ERROR", "FIONBIO", "SD_RECEIVE", "SD_SEND", "SD_BOTH"]

# C values that are not integers: the two handlers signal() accepts.
HANDLERS = ["SIG_IGN", "SIG_DFL"]

TYPES = [
    "struct sockaddr", "struct sockaddr_in", "struct sockaddr_in6", "struct sockaddr_storage", "struct in_addr",
    "struct in6_addr", "struct hostent", "struct addrinfo", "struct pollfd", "fd_set", "struct timeval",
    "socklen_t",
]
POSIX_ONLY_TYPES = ["struct sockaddr_un", "struct epoll_event"]


def on_this_platform(common, posix_only, winsock_only):
    return common + (winsock_only if WINDOWS else posix_only)


def missing(names):
    return [name for name in names if not hasattr(csock, name)]


def test_functions():
    names = on_this_platform(FUNCTIONS, POSIX_ONLY_FUNCTIONS, WINSOCK_ONLY_FUNCTIONS)
    assert not missing(names)
    assert not [name for name in names if not callable(getattr(csock, name))]


def test_constants_are_integers():
    names = on_this_platform(CONSTANTS, POSIX_ONLY_CONSTANTS, WINSOCK_ONLY_CONSTANTS)
    assert not missing(names)
    assert not [name for name in names if type(getattr(csock, name)) is not int]


def test_every_errno_name_of_this_platform():
    names = sorted(set(stdlib_errno.errorcode.values()))
    assert not missing(names)
    if not WINDOWS:  # Python's errno module and libc agree on every value; Winsock's differ (WSAE*)
        assert not [name for name in names if getattr(csock, name) != getattr(stdlib_errno, name)]


def test_signal_handlers():
    assert not missing(HANDLERS)
    for name in HANDLERS:
        assert isinstance(getattr(csock, name), ffi.CData)


def test_types():
    for ctype in on_this_platform(TYPES, POSIX_ONLY_TYPES, []):
        assert ffi.sizeof(ctype) > 0, ctype


def test_ffi_lib_and_all():
    assert csock.ffi is ffi
    assert csock.lib is csock._csock.lib
    assert not missing(csock.__all__)
    names = on_this_platform(FUNCTIONS + CONSTANTS + HANDLERS, POSIX_ONLY_FUNCTIONS + POSIX_ONLY_CONSTANTS,
                             WINSOCK_ONLY_FUNCTIONS + WINSOCK_ONLY_CONSTANTS)
    assert not [name for name in names if name not in csock.__all__]
    # `from csock import *` gives C names, never csock's internals
    assert not [name for name in csock.__all__ if name.startswith(("_", "csock_"))]


@pytest.mark.parametrize("name", ["socket", "htons", "inet_addr", "SOCK_STREAM"])
def test_importable_as_in_c(name):
    namespace = {}
    exec(f"from csock import {name}", namespace)
    assert namespace[name] is getattr(csock, name)


def test_socket_returns_an_int_descriptor():
    fd = csock.socket(csock.AF_INET, csock.SOCK_STREAM, 0)
    try:
        assert type(fd) is int and fd >= 0
    finally:
        assert close_socket(fd) == 0


# Calls that may wait (on the network, a peer, a file or a lock) must release the GIL: never in the module that holds it.
MAY_BLOCK = ["accept", "connect", "read", "write", "recv", "send", "recvfrom", "sendto", "close", "closesocket",
             "select", "poll", "WSAPoll", "epoll_wait", "getaddrinfo", "gethostbyname", "gethostbyaddr", "getnameinfo",
             "printf", "perror", "fflush", "getchar", "exit", "WSAStartup", "WSACleanup"]


def test_nonblocking_module_redeclares_only_lib_functions_that_never_block():
    held = csock._csock_nonblocking.lib
    names = [name for name in dir(held) if not name.startswith("__")]
    assert "htons" in names and "memset" in names and "inet_ntoa" in names
    assert not [name for name in names if name in MAY_BLOCK]
    for name in names:  # the same C function, the same C type: only the GIL handling differs
        assert _signature(ffi.typeof(getattr(held, name))) == _signature(ffi.typeof(getattr(csock.lib, name))), name


def _signature(ct):
    """A function ctype as (result, arguments), each by kind and C name: PyPy's cffi gives an anonymous typedef'd
    struct (fd_set) a second ctype, 'struct $2', in an included module, where CPython's shares one."""
    def one(t):
        item = t.item if t.kind == "pointer" else t
        if item.kind in ("struct", "union") and platform.python_implementation() == "PyPy":
            return t.kind, item.kind  # there the included module's ctype has neither the name nor the size
        return t.kind, item.kind, item.cname
    return one(ct.result), tuple(one(a) for a in ct.args), ct.ellipsis


def test_csock_calls_the_nonblocking_ones_and_lib_for_the_rest():
    held = csock._csock_nonblocking.lib
    # each checked function calls `_lib.<its name>`, _lib being the never-blocking module (which includes lib)
    for func in (csock.htons, csock.listen, csock.memset):
        assert func.__globals__["_lib"] is held and func.__name__ in func.__code__.co_names + func.__code__.co_consts \
            or func.__globals__["_lib"] is held, func.__name__
    assert held.listen is not None and ffi.typeof(held.listen) is ffi.typeof(csock.lib.listen)
    assert csock.htons(0x1234) == csock.lib.htons(0x1234)
    buf = ffi.new("char[]", b"xxxx")
    csock.memset(buf, ord("a"), 3)
    assert ffi.string(buf) == b"aaax"

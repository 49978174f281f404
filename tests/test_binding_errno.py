"""Known failures return -1 with the right errno (and oserror() gives the matching OSError subclass);
bad input raises before any syscall: ValueError for a count larger than its buffer, TypeError for str
where C takes char *, OverflowError for an integer outside the C type."""
import errno as stdlib_errno
import os
import threading

import pytest
from hypothesis import given, settings, strategies as st

import csock
from csock import ffi
from binding_helpers import (INVALID, WINDOWS, Descriptors, close_socket, errno_value, failure, listener, loopback,
                             port_of, tcp_pair, unix_pair)


def expect_failure(result, name, exception):
    """result is the C failure value, errno() is the errno called name, oserror() is exception."""
    err = csock.errno()
    assert result in (-1, INVALID), f"expected a failure, got {result}"
    assert err == errno_value(name), f"errno {err} ({csock.oserror(err)}), expected {name}"
    assert isinstance(csock.oserror(), exception)
    if WINDOWS:  # Winsock's code is the winerror; Python maps it to errno, as for its own socket errors
        assert csock.oserror().winerror == err
    else:
        assert csock.oserror().errno == err
    assert csock.oserror(err).strerror


def test_econnrefused():
    with Descriptors() as fds:
        # A bound socket that never listens: its port is taken, and a connection to it is refused.
        closed = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        sa, size = loopback(csock.AF_INET)
        assert csock.bind(closed, sa, size) == 0, failure("bind")
        target, target_size = loopback(csock.AF_INET, port_of(closed))
        client = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        expect_failure(csock.connect(client, target, target_size), "ECONNREFUSED", ConnectionRefusedError)


def test_eaddrinuse():
    with Descriptors() as fds:
        _, port = listener(fds)
        second = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        sa, size = loopback(csock.AF_INET, port)
        expect_failure(csock.bind(second, sa, size), "EADDRINUSE", OSError)


def test_einval_bind_twice_and_accept_without_listen():
    with Descriptors() as fds:
        fd = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        sa, size = loopback(csock.AF_INET)
        assert csock.bind(fd, sa, size) == 0, failure("bind")
        expect_failure(csock.bind(fd, sa, size), "EINVAL", OSError)
        expect_failure(csock.accept(fd, ffi.NULL, ffi.NULL), "EINVAL", OSError)


def test_einval_bad_shutdown_how():
    with Descriptors() as fds:
        a, _ = tcp_pair(fds)
        expect_failure(csock.shutdown(a, 99), "EINVAL", OSError)


@pytest.mark.skipif(WINDOWS, reason="Winsock reports a bad SOCKET as WSAENOTSOCK (tested below), not EBADF")
def test_ebadf():
    with Descriptors() as fds:
        fd = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        fds.close(fd)
        # Nothing else in this process opens descriptors while this test runs, so fd stays closed.
        buf = ffi.new("char[8]")
        expect_failure(csock.close(fd), "EBADF", OSError)
        expect_failure(csock.recv(fd, buf, 8, 0), "EBADF", OSError)
        expect_failure(csock.send(-1, buf, 8, 0), "EBADF", OSError)
        expect_failure(csock.read(-1, buf, 8), "EBADF", OSError)
        expect_failure(csock.listen(-1, 1), "EBADF", OSError)


def test_enotsock():
    if WINDOWS:
        expect_failure(csock.listen(INVALID - 1, 1), "ENOTSOCK", OSError)
        return
    fd = os.open(os.devnull, os.O_RDONLY)  # a descriptor that is not a socket
    try:
        expect_failure(csock.listen(fd, 1), "ENOTSOCK", OSError)
        sa, size = loopback(csock.AF_INET)
        expect_failure(csock.connect(fd, sa, size), "ENOTSOCK", OSError)
        expect_failure(csock.getsockname(fd, ffi.new("struct sockaddr_in *"),
                                         ffi.new("socklen_t *", size)), "ENOTSOCK", OSError)
    finally:
        os.close(fd)


def test_errno_is_per_thread_and_left_by_the_last_call():
    # Winsock's WSAGetLastError() is per thread too; its failures: a SOCKET that is none, recv unconnected
    bad_fd, bad_fd_error = (INVALID - 1, "ENOTSOCK") if WINDOWS else (-1, "EBADF")
    with Descriptors() as fds:
        expect_failure(csock.listen(bad_fd, 1), bad_fd_error, OSError)
        seen = {}

        def other_thread():
            if WINDOWS:
                seen["rc"] = csock.recv(fds.socket(csock.AF_INET, csock.SOCK_STREAM), bytearray(8), 8, 0)
                seen["errno"] = csock.errno()
                return
            fd = os.open(os.devnull, os.O_RDONLY)
            try:
                seen["rc"] = csock.listen(fd, 1)
                seen["errno"] = csock.errno()
            finally:
                os.close(fd)

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(5)
        assert seen == {"rc": -1, "errno": errno_value("ENOTCONN" if WINDOWS else "ENOTSOCK")}
        assert csock.errno() == errno_value(bad_fd_error)  # this thread's errno is untouched
        if WINDOWS:  # wine 8 accepts connect's namelen 0 (Windows refuses it with WSAEFAULT)
            expect_failure(csock.recv(fds.socket(csock.AF_INET, csock.SOCK_STREAM), bytearray(8), 8, 0),
                           "ENOTCONN", OSError)
            return
        sa, size = loopback(csock.AF_INET)
        expect_failure(csock.connect(fds.socket(csock.AF_INET, csock.SOCK_STREAM), sa, 0), "EINVAL", OSError)


def test_oserror_maps_to_subclasses():
    for name, exception in [("ECONNREFUSED", ConnectionRefusedError), ("ECONNRESET", ConnectionResetError),
                            ("ETIMEDOUT", TimeoutError), ("EWOULDBLOCK", BlockingIOError)]:
        error = csock.oserror(errno_value(name))
        assert isinstance(error, exception), (name, error)
    if not WINDOWS:
        assert isinstance(csock.oserror(csock.EPIPE), BrokenPipeError)
        assert isinstance(csock.oserror(csock.ENOENT), FileNotFoundError)
        assert ffi.string(csock.strerror(csock.ECONNREFUSED)).decode() == os.strerror(csock.ECONNREFUSED)
    else:  # the system's text of the WSAE* code, trimmed as Python trims it (the C runtime has none for WSAE*)
        import ctypes
        for name in ("ECONNREFUSED", "ECONNRESET", "EINVAL"):
            error = csock.oserror(errno_value(name))
            assert error.winerror == errno_value(name)
            assert error.strerror == ctypes.FormatError(errno_value(name)).rstrip(".") != ""
        assert csock.oserror(csock.WSAEINVAL).errno == stdlib_errno.EINVAL  # Python maps the six CRT-like WSAE* codes


# --- bad input: raised before any syscall ---------------------------------------------------------

def pending(fd):
    """How many bytes wait on fd, read without consuming them (MSG_PEEK)."""
    buf = ffi.new("char[64]")
    return csock.recv(fd, buf, 64, csock.MSG_PEEK)


@settings(max_examples=50, deadline=None)
@given(size=st.integers(0, 4096), excess=st.one_of(st.integers(1, 4096), st.integers(1, 1 << 70)))
def test_count_larger_than_buffer_is_value_error_and_no_syscall(size, excess):
    with Descriptors() as fds:
        a, b = tcp_pair(fds)
        assert csock.send(a, b"data", 4, 0) == 4
        for _ in range(100):  # loopback delivers at once; wait for it without sleeping long
            if pending(b) == 4:
                break
        buffer = ffi.new("char[]", size) if size else bytearray(0)
        count = size + excess
        with pytest.raises(ValueError):
            csock.recv(b, buffer, count, 0)
        with pytest.raises(ValueError):
            csock.recv(b, bytearray(size), count, 0)
        if not WINDOWS:
            with pytest.raises(ValueError):
                csock.read(b, buffer, count)
            with pytest.raises(ValueError):
                csock.write(a, bytes(size), count)
        assert pending(b) == 4  # nothing was consumed: the recv never ran
        with pytest.raises(ValueError):
            csock.send(a, bytes(size), count, 0)
        with pytest.raises(ValueError):
            csock.memset(buffer, 0, count)
        assert pending(b) == 4  # nothing was sent either


def test_read_4096_into_1024_bytes():
    with Descriptors() as fds:
        a, b = tcp_pair(fds)
        assert csock.send(a, b"x" * 8, 8, 0) == 8
        buf = ffi.new("char[1024]")
        with pytest.raises(ValueError):
            csock.recv(b, buf, 4096, 0)
        if not WINDOWS:
            with pytest.raises(ValueError):
                csock.read(b, buf, 4096)
        assert csock.recv(b, buf, 1024, 0) == 8


def test_address_length_larger_than_address_is_value_error():
    with Descriptors() as fds:
        fd = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        sa, size = loopback(csock.AF_INET)
        with pytest.raises(ValueError):
            csock.bind(fd, sa, size + 1)
        with pytest.raises(ValueError):
            csock.connect(fd, sa, ffi.sizeof("struct sockaddr_in6"))
        with pytest.raises(ValueError):
            csock.getsockname(fd, sa, ffi.new("socklen_t *", 1024))
        with pytest.raises(ValueError):
            csock.setsockopt(fd, csock.SOL_SOCKET, csock.SO_REUSEADDR, ffi.new("int *", 1), 8)
        with pytest.raises(ValueError):
            csock.getsockopt(fd, csock.SOL_SOCKET, csock.SO_TYPE, ffi.new("int *"), ffi.new("socklen_t *", 8))
        assert csock.bind(fd, sa, size) == 0  # the same call with the right length works


@pytest.mark.parametrize("call", [
    lambda: csock.inet_addr("127.0.0.1"),
    lambda: csock.gethostbyname("localhost"),
    lambda: csock.atoi("42"),
    lambda: csock.printf("%d\n", 1),
    lambda: csock.printf(b"%s\n", "text"),
    lambda: csock.perror("csock"),
    lambda: csock.inet_pton(csock.AF_INET, "127.0.0.1", ffi.new("struct in_addr *")),
    lambda: csock.getaddrinfo("localhost", b"80", ffi.NULL, ffi.new("struct addrinfo **")),
    lambda: csock.send(0, "text", 4, 0),
    lambda: csock.recv(0, b"immutable", 4, 0),
    lambda: csock.bind(0, b"\0" * 16, 16),
    lambda: csock.printf(b"%d\n", "1"),
], ids=["inet_addr", "gethostbyname", "atoi", "printf-format", "printf-%s", "perror", "inet_pton", "getaddrinfo",
        "send-str", "recv-bytes", "bind-bytes", "printf-%d-str"])
def test_wrong_type_is_type_error(call):
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize("call", [
    lambda: csock.socket(1 << 31, csock.SOCK_STREAM, 0),
    lambda: csock.socket(csock.AF_INET, -(1 << 31) - 1, 0),
    lambda: csock.listen(0, 1 << 31),
    lambda: close_socket(1 << 70),
    lambda: csock.shutdown(0, 1 << 31),
    lambda: csock.htons(1 << 16),
    lambda: csock.htonl(-1),
    lambda: csock.send(0, b"x", -(1 << 31) - 1, 0),  # below size_t and below Winsock's int
    lambda: csock.send(0, b"x", 1, 1 << 31),
    lambda: csock.printf(b"%d\n", 1 << 31),
    lambda: csock.printf(b"%u\n", -1),
    lambda: csock.memset(ffi.new("char[4]"), 1 << 40, 4),
    lambda: csock.inet_ntop(csock.AF_INET, ffi.new("struct in_addr *"), ffi.new("char[16]"), -1),
], ids=["socket-domain", "socket-type", "listen-backlog", "close", "shutdown", "htons", "htonl", "send-len",
        "send-flags", "printf-%d", "printf-%u", "memset-c", "inet_ntop-size"])
def test_out_of_range_is_overflow_error(call):
    with pytest.raises(OverflowError):
        call()


@pytest.mark.skipif(WINDOWS,
                    reason="fcntl is a POSIX call (Winsock's ioctlsocket: tests/windows/test_winsock_binding.py)")
def test_fcntl_checks_its_arguments():
    with Descriptors() as fds:
        a, b = unix_pair(fds)
        with pytest.raises(OverflowError):
            csock.fcntl(a, csock.F_SETFL, 1 << 31)
        with pytest.raises(TypeError):
            csock.fcntl(a, csock.F_SETFL, "O_NONBLOCK")
        with pytest.raises(ValueError):  # a command whose argument is not an int
            csock.fcntl(a, 1 << 20)
        assert csock.fcntl(a, csock.F_GETFL) & csock.O_NONBLOCK == 0

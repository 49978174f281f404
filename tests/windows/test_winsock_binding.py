"""csock on win32: the Winsock surface (ws2_32) the book's Windows programs and Winsock users need, called for
real under the Windows interpreter; loopback only, ephemeral ports."""
import socket
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csock
from csock import ffi


@pytest.fixture(autouse=True)
def winsock():
    data = ffi.new("WSADATA *")
    assert csock.WSAStartup(csock.MAKEWORD(2, 2), data) == 0
    assert data.wVersion == 0x0202
    yield data
    assert csock.WSACleanup() == 0


def loopback(port=0):
    addr = ffi.new("SOCKADDR_IN *")
    csock.ZeroMemory(addr, ffi.sizeof("SOCKADDR_IN"))
    addr.sin_family = csock.AF_INET
    addr.sin_port = csock.htons(port)
    addr.sin_addr.S_un.S_addr = csock.inet_addr(b"127.0.0.1")
    return addr


def tcp():
    s = csock.socket(csock.AF_INET, csock.SOCK_STREAM, csock.IPPROTO_TCP)
    assert s != csock.INVALID_SOCKET
    return s


def port_of(s):
    addr = ffi.new("SOCKADDR_IN *")
    size = ffi.new("int *", ffi.sizeof("SOCKADDR_IN"))
    assert csock.getsockname(s, addr, size) == 0
    return csock.ntohs(addr.sin_port)


@pytest.fixture
def connected():
    """(client, server-side) SOCKETs of one loopback TCP connection."""
    listener = tcp()
    assert csock.bind(listener, loopback(), ffi.sizeof("SOCKADDR_IN")) == 0
    assert csock.listen(listener, 1) == 0
    client = tcp()
    assert csock.connect(client, loopback(port_of(listener)), ffi.sizeof("SOCKADDR_IN")) == 0
    accepted = csock.accept(listener, ffi.NULL, ffi.NULL)
    assert accepted != csock.INVALID_SOCKET
    csock.closesocket(listener)
    yield client, accepted
    csock.closesocket(client)
    csock.closesocket(accepted)


def test_socket_is_the_compilers_uint_ptr():
    assert ffi.sizeof("SOCKET") == 8 == ffi.sizeof("UINT_PTR")
    assert int(ffi.cast("SOCKET", -1)) == 2**64 - 1 == csock.INVALID_SOCKET
    assert csock.SOCKET_ERROR == -1
    s = tcp()
    assert ffi.typeof(csock.lib.socket).result is ffi.typeof("SOCKET")
    assert 0 < s < 2**64 - 1
    assert csock.closesocket(s) == 0


def test_makeword_and_wsadata():
    assert csock.MAKEWORD(2, 2) == 0x0202 and csock.MAKEWORD(0, 2) == 0x0200
    assert csock.LOBYTE(0x0102) == 2 and csock.HIBYTE(0x0102) == 1
    with pytest.raises(OverflowError):
        csock.MAKEWORD(256, 0)


def test_wsadata_description(winsock):
    assert ffi.string(winsock.szDescription).startswith(b"WinSock")
    assert ffi.sizeof(winsock.szDescription) == csock.WSADESCRIPTION_LEN + 1


def test_in_addr_s_un_and_s_addr_are_one_field():
    addr = loopback(3500)
    assert addr.sin_addr.s_addr == addr.sin_addr.S_un.S_addr == csock.htonl(0x7F000001)
    b = addr.sin_addr.S_un.S_un_b
    assert (b.s_b1, b.s_b2, b.s_b3, b.s_b4) == (127, 0, 0, 1)
    assert ffi.sizeof("struct in_addr") == 4 and ffi.sizeof("SOCKADDR_IN") == 16
    assert csock.ntohs(addr.sin_port) == 3500
    assert ffi.string(csock.inet_ntoa(addr.sin_addr)) == b"127.0.0.1"
    assert csock.PF_INET == csock.AF_INET


def test_errno_is_wsagetlasterror_captured_right_after_the_call():
    probe = tcp()
    assert csock.bind(probe, loopback(), ffi.sizeof("SOCKADDR_IN")) == 0
    port = port_of(probe)
    csock.closesocket(probe)  # nothing listens on port now
    s = tcp()
    assert csock.connect(s, loopback(port), ffi.sizeof("SOCKADDR_IN")) == csock.SOCKET_ERROR
    assert csock.errno() == csock.WSAECONNREFUSED
    ffi.new("char[]", 100)  # Python work in between does not disturb the saved value
    assert csock.errno() == csock.WSAECONNREFUSED
    assert isinstance(csock.oserror(), ConnectionRefusedError)
    assert csock.errno() == csock.WSAECONNREFUSED  # oserror's FormatMessageW leaves the saved value alone
    # the same error as Python's socket module raises: [WinError 10061] and the system's message
    with socket.socket() as python_socket, pytest.raises(ConnectionRefusedError) as refused:
        python_socket.connect(("127.0.0.1", port))
    assert str(csock.oserror()) == str(refused.value) and csock.oserror().winerror == csock.WSAECONNREFUSED
    csock.WSASetLastError(csock.WSAEWOULDBLOCK)
    assert csock.errno() == csock.WSAEWOULDBLOCK
    assert csock.closesocket(s) == 0
    assert csock.closesocket(s) == csock.SOCKET_ERROR
    assert csock.errno() == csock.WSAENOTSOCK


def test_crt_errno_names_are_not_winsocks():
    """errno.h's E* names are the C runtime's values; Winsock reports WSAE* (as a Windows C program sees)."""
    assert csock.ECONNREFUSED != csock.WSAECONNREFUSED == 10061
    assert csock.EWOULDBLOCK != csock.WSAEWOULDBLOCK == 10035


def test_posix_only_names_are_absent():
    for name in ("read", "write", "close", "poll", "fcntl", "bzero", "inet_aton", "socketpair", "accept4",
                 "epoll_wait", "SHUT_RDWR", "MSG_NOSIGNAL", "SIGPIPE", "AF_LOCAL", "h_errno"):
        assert not hasattr(csock, name), name
    with pytest.raises(ImportError):
        exec("from csock import close")
    for name in ("WSAStartup", "closesocket", "ioctlsocket", "WSAPoll", "ZeroMemory", "MAKEWORD", "SD_BOTH",
                 "FIONBIO", "WSAEWOULDBLOCK", "getaddrinfo", "inet_pton", "inet_ntop", "select", "printf"):
        assert hasattr(csock, name), name


def test_send_recv_and_bad_inputs(connected):
    client, server = connected
    assert csock.send(client, b"hello\x00", 6, 0) == 6
    buf = ffi.new("char[]", 16)
    assert csock.recv(server, buf, 16, 0) == 6
    assert ffi.buffer(buf, 6)[:] == b"hello\x00"
    other = bytearray(4)
    assert csock.send(server, ffi.new("unsigned char[]", b"abcd"), 4, 0) == 4
    assert csock.recv(client, other, 4, csock.MSG_WAITALL) == 4 and other == b"abcd"
    with pytest.raises(ValueError):
        csock.send(client, b"abc", 4, 0)
    with pytest.raises(ValueError):
        csock.recv(server, buf, 17, 0)
    with pytest.raises(TypeError):
        csock.send(client, "text", 4, 0)
    with pytest.raises(TypeError):
        csock.recv(server, b"immutable", 4, 0)
    with pytest.raises(OverflowError):
        csock.send(client, b"abc", 1, 2**31)
    with pytest.raises(OverflowError):
        csock.send(2**64, b"abc", 1, 0)


def test_ioctlsocket_fionbio_makes_recv_wouldblock(connected):
    client, _ = connected
    mode = ffi.new("u_long *", 1)
    assert csock.ioctlsocket(client, csock.FIONBIO, mode) == 0
    buf = ffi.new("char[]", 8)
    assert csock.recv(client, buf, 8, 0) == csock.SOCKET_ERROR
    assert csock.errno() == csock.WSAEWOULDBLOCK
    pending = ffi.new("u_long *")
    assert csock.ioctlsocket(client, csock.FIONREAD, pending) == 0 and pending[0] == 0
    with pytest.raises(ValueError):
        csock.ioctlsocket(client, csock.FIONBIO, ffi.NULL)
    with pytest.raises(ValueError):
        csock.ioctlsocket(client, csock.FIONBIO, ffi.new("char[]", 2))
    with pytest.raises(TypeError):
        csock.ioctlsocket(client, csock.FIONBIO, 1)


def test_select_with_winsocks_fd_set(connected):
    client, server = connected
    readable = ffi.new("fd_set *")
    csock.FD_ZERO(readable)
    csock.FD_SET(server, readable)
    assert readable.fd_count == 1 and readable.fd_array[0] == server
    timeout = ffi.new("struct timeval *", {"tv_sec": 0, "tv_usec": 10000})
    assert csock.select(0, readable, ffi.NULL, ffi.NULL, timeout) == 0
    assert csock.send(client, b"x", 1, 0) == 1
    csock.FD_SET(server, readable)
    timeout.tv_sec = 5
    assert csock.select(0, readable, ffi.NULL, ffi.NULL, timeout) == 1
    assert csock.FD_ISSET(server, readable)
    csock.FD_CLR(server, readable)
    assert not csock.FD_ISSET(server, readable) and readable.fd_count == 0
    with pytest.raises(TypeError):
        csock.FD_SET(server, ffi.new("int *"))


def test_wsapoll(connected):
    client, server = connected
    fds = ffi.new("WSAPOLLFD[2]")
    fds[0].fd, fds[0].events = server, csock.POLLRDNORM
    fds[1].fd, fds[1].events = client, csock.POLLWRNORM
    assert csock.send(client, b"x", 1, 0) == 1
    assert csock.WSAPoll(fds, 2, 5000) == 2
    assert fds[0].revents & csock.POLLRDNORM and fds[1].revents & csock.POLLWRNORM
    with pytest.raises(ValueError):
        csock.WSAPoll(fds, 3, 0)


def test_getaddrinfo_and_address_text():
    hints = ffi.new("struct addrinfo *", {"ai_family": csock.AF_INET, "ai_socktype": csock.SOCK_STREAM,
                                          "ai_flags": csock.AI_NUMERICHOST | csock.AI_NUMERICSERV})
    res = ffi.new("struct addrinfo **")
    assert csock.getaddrinfo(b"127.0.0.1", b"3600", hints, res) == 0
    ai = res[0]
    assert ai.ai_family == csock.AF_INET and ai.ai_addrlen == 16
    sin = ffi.cast("SOCKADDR_IN *", ai.ai_addr)
    assert csock.ntohs(sin.sin_port) == 3600 and sin.sin_addr.s_addr == csock.inet_addr(b"127.0.0.1")
    csock.freeaddrinfo(ai)
    with pytest.raises(ValueError):
        csock.freeaddrinfo(ai)
    six = ffi.new("struct in6_addr *")
    assert csock.inet_pton(csock.AF_INET6, b"::1", six) == 1
    assert six.s6_addr[15] == 1 and six.u.Byte[15] == 1
    text = ffi.new("char[]", csock.INET6_ADDRSTRLEN)
    assert ffi.string(csock.inet_ntop(csock.AF_INET6, six, text, csock.INET6_ADDRSTRLEN)) == b"::1"
    with pytest.raises(ValueError):
        csock.inet_pton(csock.AF_INET6, b"::1", ffi.new("struct in_addr *"))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_ipv4_text_round_trip(address):
    packed = ffi.new("struct in_addr *")
    packed.S_un.S_addr = csock.htonl(address)
    text = ffi.new("char[]", csock.INET_ADDRSTRLEN)
    assert csock.inet_ntop(csock.AF_INET, packed, text, csock.INET_ADDRSTRLEN) != ffi.NULL
    back = ffi.new("struct in_addr *")
    assert csock.inet_pton(csock.AF_INET, ffi.string(text), back) == 1
    assert csock.ntohl(back.s_addr) == address
    assert ffi.string(text) == ".".join(str(b) for b in address.to_bytes(4, "big")).encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=4096))
def test_payload_round_trip(connected, payload):
    client, server = connected
    assert csock.send(client, payload, len(payload), 0) == len(payload)
    buf = bytearray(len(payload))
    assert csock.recv(server, buf, len(payload), csock.MSG_WAITALL) == len(payload)
    assert bytes(buf) == payload


def test_printf_and_getchar_are_the_c_runtimes():
    program = ("import csock\n"
               "c = csock.getchar()\n"
               "csock.printf(b'%d %s %c|\\n', c, b'text', csock.getchar())\n")
    out = subprocess.run([sys.executable, "-P", "-c", program], input=b"AZ", capture_output=True, timeout=60)
    assert out.returncode == 0 and out.stdout == b"65 text Z|\r\n"  # text mode

"""accept's inline path (the server loop's call: a cast struct sockaddr * and a checked socklen_t *) against what cffi
itself would pass to its C helper: a void *, an empty struct sockaddr[] or socklen_t[], ffi.gc of a read-only view.
Each is refused on every call, with a connection pending, so that a call let through would be accepted and written.
On PyPy (every cdata of one class) a plain pointer is told from a view by `with` (is_plain_pointer), not by class;
on both interpreters the inline path takes only the addrlen the general path last checked (a weak reference)."""
import socket as stdlib_socket
import threading
import time

import pytest

import csock
from csock import ffi
from csock._checks import is_plain_pointer
from binding_helpers import WINDOWS

pytestmark = pytest.mark.skipif(WINDOWS, reason="a non-blocking accept: the POSIX call")


def _noop(_):
    pass


@pytest.fixture
def pending():
    """A non-blocking listening csock socket on 127.0.0.1 with one connection waiting: (server fd, client)."""
    server = csock.socket(csock.AF_INET, csock.SOCK_STREAM | csock.SOCK_NONBLOCK, 0)
    address = ffi.new("struct sockaddr_in *")
    address.sin_family = csock.AF_INET
    address.sin_addr.s_addr = csock.htonl(0x7F000001)
    assert csock.bind(server, ffi.cast("struct sockaddr *", address), ffi.sizeof(address[0])) == 0
    assert csock.listen(server, 5) == 0
    length = ffi.new("socklen_t *", ffi.sizeof(address[0]))
    assert csock.getsockname(server, ffi.cast("struct sockaddr *", address), length) == 0
    client = stdlib_socket.create_connection(("127.0.0.1", csock.ntohs(address.sin_port)), timeout=5)
    try:
        yield server, client
    finally:
        client.close()
        csock.close(server)


def _refusals(clientaddr, client_len):
    """(addr, addrlen, exception, message pattern, the bytes C must leave alone or None) of the hostile calls."""
    read_only = bytes(16)
    read_only_length = b"\x10\0\0\0"
    return [
        (ffi.cast("void *", clientaddr), client_len, TypeError, "addr", None),
        (ffi.new("struct sockaddr[2]")[2:2], client_len, ValueError, r"\*addrlen \(16\) is larger than addr \(0",
         None),
        (ffi.from_buffer("struct sockaddr *", read_only), client_len, TypeError, "read-only", read_only),
        (ffi.gc(ffi.from_buffer("struct sockaddr *", read_only), _noop), client_len, TypeError, "read-only",
         read_only),
        ("struct sockaddr *", client_len, TypeError, "addr", None),
        (ffi.cast("struct sockaddr *", clientaddr), ffi.cast("void *", client_len), TypeError, "addrlen", None),
        (ffi.cast("struct sockaddr *", clientaddr), ffi.new("socklen_t[0]"), ValueError, "addrlen", None),
        (ffi.cast("struct sockaddr *", clientaddr), ffi.new("socklen_t[2]")[2:2], ValueError, "addrlen", None),
        (ffi.cast("struct sockaddr *", clientaddr), ffi.gc(ffi.from_buffer("socklen_t *", read_only_length), _noop),
         TypeError, "read-only", read_only_length),
    ]


def test_each_hostile_call_is_refused_on_every_call_while_a_connection_waits(pending):
    """A refused call leaves the pending connection (and the bytes it names) alone; a good call then takes it."""
    server, client = pending
    clientaddr = ffi.new("struct sockaddr_in *")
    client_len = ffi.new("socklen_t *", ffi.sizeof(clientaddr[0]))
    for round in range(3):  # round 0 checks client_len on the general path first; rounds 1 and 2: inline
        for addr, addrlen, error, pattern, untouched in _refusals(clientaddr, client_len):
            before = bytes(untouched) if untouched is not None else None
            with pytest.raises(error, match=pattern):
                csock.accept(server, addr, addrlen)
            assert untouched == before, "C wrote into read-only bytes"
            assert client_len[0] == ffi.sizeof(clientaddr[0])
        fd = csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), client_len)
        assert fd >= 0, csock.oserror()  # the connection waited through every refusal
        csock.close(fd)
        assert clientaddr.sin_family == csock.AF_INET and client_len[0] == ffi.sizeof(clientaddr[0])
        client.close()
        client = stdlib_socket.create_connection(("127.0.0.1", _port(server)), timeout=5)  # the next round's
    client.close()


def _port(server):
    address = ffi.new("struct sockaddr_in *")
    length = ffi.new("socklen_t *", ffi.sizeof(address[0]))
    assert csock.getsockname(server, ffi.cast("struct sockaddr *", address), length) == 0
    return csock.ntohs(address.sin_port)


def test_is_plain_pointer_tells_casts_from_owners_and_views_and_changes_none():
    owner = ffi.new("struct sockaddr_in *")
    viewed = bytearray(16)
    plain = [ffi.cast("struct sockaddr *", owner), ffi.cast("struct sockaddr *", owner) + 1, ffi.NULL,
             ffi.new("struct sockaddr[2]")[0:1]]
    not_plain = [owner, ffi.from_buffer("struct sockaddr *", viewed), ffi.from_buffer("struct sockaddr *", bytes(16)),
                 ffi.gc(ffi.cast("struct sockaddr *", owner), _noop),
                 ffi.gc(ffi.from_buffer("struct sockaddr *", bytes(16)), _noop), ffi.new("socklen_t *", 7)]
    assert [is_plain_pointer(p) for p in plain] == [True] * len(plain)
    assert [is_plain_pointer(p) for p in not_plain] == [False] * len(not_plain)
    # entering released nothing: the owner's memory and the view are still theirs
    owner.sin_port = 0x1234
    not_plain[1].sa_family = 7
    assert owner.sin_port == 0x1234 and viewed[0] | viewed[1] == 7 and not_plain[-1][0] == 7


def test_a_second_thread_raising_addrlen_during_an_inline_blocking_accept_cannot_overflow():
    """The inline path (PyPy: once addrlen is remembered) blocks in accept while another thread stores 4096 in
    *addrlen: the kernel writes an IPv6 peer's 28-byte address through csock's private copy (16), not past it."""
    guard = 64
    whole = ffi.new("char[]", 16 + guard)
    ffi.memmove(whole + 16, b"\xa5" * guard, guard)
    lenp = ffi.new("socklen_t *", 16)
    warm = csock.socket(csock.AF_INET6, csock.SOCK_STREAM | csock.SOCK_NONBLOCK, 0)
    server = stdlib_socket.socket(stdlib_socket.AF_INET6, stdlib_socket.SOCK_STREAM)
    try:
        for _ in range(3):  # not listening: EINVAL; on PyPy the first call checks lenp and remembers it
            assert csock.accept(warm, ffi.cast("struct sockaddr *", whole), lenp) == -1
        server.bind(("::1", 0))
        server.listen(1)
        stop = threading.Event()

        def racer():
            time.sleep(0.3)  # accept has copied *addrlen (16) and blocks
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                lenp[0] = 4096
            peer = stdlib_socket.socket(stdlib_socket.AF_INET6, stdlib_socket.SOCK_STREAM)
            peer.connect(server.getsockname())
            stop.wait(5)
            peer.close()

        thread = threading.Thread(target=racer, daemon=True)
        thread.start()
        fd = csock.accept(server.fileno(), ffi.cast("struct sockaddr *", whole), lenp)
        stop.set()
        thread.join(10)
        assert fd >= 0, csock.oserror()
        csock.close(fd)
        assert ffi.buffer(whole)[16:] == b"\xa5" * guard, "the kernel wrote past the 16-byte struct sockaddr"
        assert lenp[0] == 28  # the peer's address size, as the kernel reports a truncated one
    finally:
        csock.close(warm)
        server.close()


def test_a_pointer_view_shorter_than_its_type_is_measured_by_what_it_views(pending):
    """ffi.from_buffer("T *", x) is made whatever x's size: C must not reach past x (a 1-byte bytearray here)."""
    server, _ = pending
    clientaddr = ffi.new("struct sockaddr_in *")
    client_len = ffi.new("socklen_t *", ffi.sizeof(clientaddr[0]))
    short = bytearray(1)
    cast = ffi.cast("struct sockaddr *", clientaddr)
    for addr, addrlen, pattern in [
            (ffi.from_buffer("struct sockaddr *", short), client_len, r"\*addrlen \(16\) is larger than addr \(1 byt"),
            (ffi.gc(ffi.from_buffer("struct sockaddr_in *", short), _noop), client_len, r"addr \(1 bytes"),
            (cast, ffi.from_buffer("socklen_t *", short), "addrlen shows 1 bytes")]:
        with pytest.raises(ValueError, match=pattern):
            csock.accept(server, addr, addrlen)
        assert short == b"\0"
    with pytest.raises(ValueError, match=r"bind: addrlen \(16\) is larger than addr \(1 bytes"):
        csock.bind(server, ffi.from_buffer("struct sockaddr *", b"\2"), 16)
    with pytest.raises(ValueError, match=r"read: count \(4\) is larger than buf \(1 bytes"):
        csock.read(server, ffi.from_buffer("int *", short), 4)
    fd = csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), client_len)
    assert fd >= 0, csock.oserror()  # every refusal came before C: the connection was still waiting
    csock.close(fd)


def test_a_none_addrlen_is_refused_by_name_before_and_after_a_checked_one():
    """accept(fd, (struct sockaddr *) a, None): csock's TypeError naming addrlen, whether or not a socklen_t * was
    checked (and remembered, on PyPy) before. PyPy's inline test once took None for its class (type(None) stood in
    for the class CPython's owners have): `_cffi_backend.typeof(None)` then raised cffi's own TypeError."""
    address = ffi.new("struct sockaddr_in *")
    length = ffi.new("socklen_t *", ffi.sizeof("struct sockaddr_in"))
    for _ in range(3):
        with pytest.raises(TypeError, match=r"^accept: addrlen "):
            csock.accept(-1, ffi.cast("struct sockaddr *", address), None)
        assert csock.accept(-1, ffi.cast("struct sockaddr *", address), length) == -1  # EBADF, checked and passed

"""Arbitrary payloads (0 to 64 KiB) cross a socketpair and loopback TCP connections intact, with blocking
calls: a writer thread sends, the test reads in chunks of any size, so reads and writes are partial."""
import random
import threading

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import csock
from csock import ffi
from binding_helpers import (SHUT_WR, TIMEOUT_SECONDS, WINDOWS, Descriptors, failure, listener, loopback, port_of,
                             set_timeouts, tcp_pair, unix_pair)

MAX_PAYLOAD = 64 * 1024


def random_bytes(size, seed):
    return random.Random(seed).randbytes(size)


# Small payloads hypothesis can shrink, and large ones (up to 64 KiB) drawn from a seed.
payloads = st.one_of(
    st.binary(max_size=2048),
    st.builds(random_bytes, st.integers(0, MAX_PAYLOAD), st.integers(0, 2**32 - 1)),
)
chunk_sizes = st.one_of(st.integers(1, 64), st.integers(1, MAX_PAYLOAD))

TRANSPORTS = ["tcp4", "tcp6"] + ([] if WINDOWS else ["socketpair"])
# send/recv everywhere; read/write are POSIX calls (a SOCKET is not a C runtime descriptor on Windows).
CALLS = ["send/recv"] + ([] if WINDOWS else ["write/read"])


def connected(fds, transport):
    if transport == "socketpair":
        return unix_pair(fds)
    return tcp_pair(fds, csock.AF_INET if transport == "tcp4" else csock.AF_INET6)


def send_all(fd, payload, calls, chunk):
    """Send payload in chunks of at most `chunk` bytes; returns how many bytes were sent."""
    view = memoryview(payload)
    sent = 0
    for _ in range(len(payload) + 1):  # each successful call moves at least one byte
        if sent == len(payload):
            break
        count = min(chunk, len(payload) - sent)
        if calls == "write/read":
            n = csock.write(fd, view[sent:], count)
        else:
            n = csock.send(fd, view[sent:], count, 0)
        assert n > 0, failure(calls.split("/")[0])
        sent += n
    assert csock.shutdown(fd, SHUT_WR) == 0, failure("shutdown")
    return sent


def receive_all(fd, calls, chunk, limit):
    """Read until end of file with a buffer of `chunk` bytes; at most limit + 1 calls."""
    buf = ffi.new("char[]", chunk)
    received = bytearray()
    for _ in range(limit + 2):
        if calls == "write/read":
            n = csock.read(fd, buf, chunk)
        else:
            n = csock.recv(fd, buf, chunk, 0)
        assert n >= 0, failure(calls.split("/")[1])
        if n == 0:
            return bytes(received)
        assert n <= chunk
        received += ffi.buffer(buf, n)
    raise AssertionError(f"no end of file after {limit + 2} reads")


@pytest.mark.parametrize("calls", CALLS)
@pytest.mark.parametrize("transport", TRANSPORTS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads, write_chunk=chunk_sizes, read_chunk=chunk_sizes)
@example(payload=b"", write_chunk=1, read_chunk=1)
@example(payload=random_bytes(MAX_PAYLOAD, 1), write_chunk=MAX_PAYLOAD, read_chunk=1)
@example(payload=random_bytes(MAX_PAYLOAD, 2), write_chunk=7, read_chunk=MAX_PAYLOAD)
def test_payload_crosses_intact(transport, calls, payload, write_chunk, read_chunk):
    with Descriptors() as fds:
        writer_end, reader_end = connected(fds, transport)
        outcome = {}

        def writer():
            try:
                outcome["sent"] = send_all(writer_end, payload, calls, write_chunk)
            except BaseException as e:  # reported by the test thread below
                outcome["error"] = e

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        try:
            received = receive_all(reader_end, calls, read_chunk, len(payload))
        finally:
            thread.join(2 * TIMEOUT_SECONDS)
        assert not thread.is_alive(), "the writer is stuck"
        if "error" in outcome:
            raise outcome["error"]
        assert outcome["sent"] == len(payload)
        assert received == payload


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_both_directions_and_peer_names(transport):
    with Descriptors() as fds:
        a, b = connected(fds, transport)
        assert csock.send(a, b"ping", 4, 0) == 4
        buf = bytearray(16)
        assert csock.recv(b, buf, 16, 0) == 4 and buf[:4] == b"ping"
        assert csock.send(b, b"pong!", 5, 0) == 5
        assert csock.recv(a, buf, 16, 0) == 5 and buf[:5] == b"pong!"
        if transport == "socketpair":
            return
        # Each end's peer is the other end's own address.
        for me, other in ((a, b), (b, a)):
            mine = ffi.new("struct sockaddr_storage *")
            theirs = ffi.new("struct sockaddr_storage *")
            size = ffi.sizeof("struct sockaddr_storage")
            mine_len, theirs_len = ffi.new("socklen_t *", size), ffi.new("socklen_t *", size)
            assert csock.getsockname(me, mine, mine_len) == 0, failure("getsockname")
            assert csock.getpeername(other, theirs, theirs_len) == 0, failure("getpeername")
            assert mine_len[0] == theirs_len[0]
            assert bytes(ffi.buffer(mine, mine_len[0])) == bytes(ffi.buffer(theirs, theirs_len[0]))


def test_udp_sendto_recvfrom_on_loopback():
    with Descriptors() as fds:
        receiver = fds.socket(csock.AF_INET, csock.SOCK_DGRAM)
        sa, size = loopback(csock.AF_INET)
        assert csock.bind(receiver, sa, size) == 0, failure("bind")
        set_timeouts(receiver)
        sender = fds.socket(csock.AF_INET, csock.SOCK_DGRAM)
        dest, dest_size = loopback(csock.AF_INET, port_of(receiver))
        assert csock.sendto(sender, b"datagram", 8, 0, dest, dest_size) == 8, failure("sendto")
        buf = ffi.new("char[64]")
        src = ffi.new("struct sockaddr_in *")
        src_len = ffi.new("socklen_t *", ffi.sizeof("struct sockaddr_in"))
        assert csock.recvfrom(receiver, buf, 64, 0, src, src_len) == 8, failure("recvfrom")
        assert ffi.buffer(buf, 8)[:] == b"datagram"
        assert src.sin_family == csock.AF_INET
        assert csock.ntohs(src.sin_port) == port_of(sender)
        assert csock.ntohl(src.sin_addr.s_addr) == csock.INADDR_LOOPBACK


def test_socket_options_round_trip():
    with Descriptors() as fds:
        fd = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        for level, name in ((csock.SOL_SOCKET, csock.SO_REUSEADDR), (csock.SOL_SOCKET, csock.SO_KEEPALIVE),
                            (csock.IPPROTO_TCP, csock.TCP_NODELAY)):
            on = ffi.new("int *", 1)
            assert csock.setsockopt(fd, level, name, on, ffi.sizeof("int")) == 0, failure("setsockopt")
            value = ffi.new("int *", 0)
            length = ffi.new("socklen_t *", ffi.sizeof("int"))
            assert csock.getsockopt(fd, level, name, value, length) == 0, failure("getsockopt")
            # Winsock keeps SO_KEEPALIVE and TCP_NODELAY as one-byte BOOLEANs and says so in *optlen
            boolean = (level, name) in ((csock.SOL_SOCKET, csock.SO_KEEPALIVE), (csock.IPPROTO_TCP, csock.TCP_NODELAY))
            written = 1 if WINDOWS and boolean else ffi.sizeof("int")
            assert value[0] != 0 and length[0] == written
        kind = ffi.new("int *")
        length = ffi.new("socklen_t *", ffi.sizeof("int"))
        assert csock.getsockopt(fd, csock.SOL_SOCKET, csock.SO_TYPE, kind, length) == 0
        assert kind[0] == csock.SOCK_STREAM


@pytest.mark.skipif(WINDOWS and not hasattr(csock, "accept4"), reason="accept4 is a Linux call")
def test_accept4_gives_a_nonblocking_socket():
    with Descriptors() as fds:
        server, port = listener(fds)
        client = fds.socket(csock.AF_INET, csock.SOCK_STREAM)
        sa, size = loopback(csock.AF_INET, port)
        assert csock.connect(client, sa, size) == 0, failure("connect")
        accepted = fds.keep(csock.accept4(server, ffi.NULL, ffi.NULL, csock.SOCK_NONBLOCK | csock.SOCK_CLOEXEC))
        assert csock.fcntl(accepted, csock.F_GETFL) & csock.O_NONBLOCK
        assert csock.fcntl(accepted, csock.F_GETFD) & csock.FD_CLOEXEC
        buf = ffi.new("char[8]")
        assert csock.recv(accepted, buf, 8, 0) == -1  # nothing sent yet, and it must not block
        assert csock.errno() in (csock.EAGAIN, csock.EWOULDBLOCK)

"""The book's Windows echo programs, C (.exe) against their Python ports (Windows/*.py), under the Windows
interpreter: the same output, exit status, bytes on the wire and Winsock call sequence in every scenario,
and each scenario shows the quirk csrc/ERRATA.md describes."""
import socket

import pytest

from winruns import CLIENT_PORT, SERVER_PORT, Peer, finish, start, wait_for_call

IMPLEMENTATIONS = ("c", "python")
MESSAGE = b"hello\n"
SENT = b"hello\x00"  # the client replaces '\n' by '\0' and counts it in len
STARTUP = 60.0  # seconds a program may take to start under wine
# Standard output is in text mode on Windows: the C runtime writes each "\n" as "\r\n".


def client_run(implementation, peer_reply, timeout):
    """echo_client fed MESSAGE, with a peer on port 3600 (none if peer_reply is None)."""
    peer = None
    if peer_reply is not None:
        peer = Peer("server", CLIENT_PORT, reply=peer_reply, timeout=STARTUP)
        peer.start()
    run = finish(start("echo_client", implementation), MESSAGE, timeout)
    if peer is not None:
        peer.join(STARTUP)
        run.peer["server"] = peer.record
    return run


def both(scenario, *args):
    runs = {impl: scenario(impl, *args) for impl in IMPLEMENTATIONS}
    return runs["c"], runs["python"]


def assert_same(c, py):
    assert py.stderr == c.stderr == b""
    assert py.stdout == c.stdout
    assert py.status == c.status
    assert py.peer == c.peer
    assert py.trace == c.trace


@pytest.mark.usefixtures("private_netns")
def test_client_without_server_fails_to_connect():
    c, py = both(client_run, None, STARTUP)
    assert c.stdout == b"fail to connect\r\n" and c.status == 1
    assert any(line.startswith("connect socket S1, addr { family AF_INET, address 127.0.0.1, port 3600 }")
               for line in c.trace)
    assert_same(c, py)


@pytest.mark.usefixtures("private_netns")
def test_client_against_an_echo_peer_prints_the_message_back():
    c, py = both(client_run, "echo", STARTUP)
    assert c.stdout == b"enter messages\r\nsend messages (6 bytes)\r\nrecv messages = hello\r\n"
    assert c.status == 0
    assert c.peer["server"]["received"] == SENT and c.peer["server"]["sent"] == SENT
    assert c.peer["server"]["eof"]
    calls = [line.split(" ")[0] for line in c.trace]
    assert calls[0] == "WSAStartup" and calls[-1] == "WSACleanup"
    assert "connect" in calls and "WS2_sendto" in calls and "WS2_recv_base" in calls and "closesocket" in calls
    assert_same(c, py)


@pytest.mark.usefixtures("private_netns")
def test_client_spins_when_the_peer_closes_without_echo():
    """recv returns 0 forever: `readbytes += 0` never reaches len, and the client never ends (ERRATA)."""
    c, py = both(client_run, "close", 5.0)
    assert c.status == "killed"
    assert c.peer["server"]["received"] == SENT
    assert c.trace[-2:] == ["WS2_recv_base status 0.", "<loop>"]  # recv returns 0, again and again
    assert_same(c, py)


def book_pair(implementation):
    """The book's own pair: echo_server listens on 3500, echo_client connects to 3600."""
    server = start("echo_server", implementation)
    try:
        assert wait_for_call(server, "listen", STARTUP), "echo_server did not reach listen()"
        run = finish(start("echo_client", implementation), MESSAGE, STARTUP)
    finally:
        server.kill()
        server.communicate(timeout=30)
    return run


@pytest.mark.usefixtures("private_netns")
def test_book_client_cannot_reach_book_server():
    """Server on 3500, client on 3600: the client fails to connect (ERRATA)."""
    c, py = both(book_pair)
    assert c.stdout == b"fail to connect\r\n" and c.status == 1
    assert_same(c, py)


def server_run(implementation):
    """echo_server with a first client that sends a message and waits for the echo, then a second client."""
    server = start("echo_server", implementation)
    first = Peer("client", SERVER_PORT, send=SENT, reply=None, timeout=STARTUP)
    first.run()
    second = Peer("client", SERVER_PORT, send=b"again\x00", reply=None, timeout=3.0)
    second.run()
    run = finish(server, b"", 2.0)  # still running: the test stops it
    run.peer = {"first": first.record, "second": second.record}
    return run


@pytest.mark.usefixtures("private_netns")
def test_server_closes_without_echo_and_never_serves_again():
    """nReceiveBytes stays 0: nothing is echoed; the socket is closed inside the loop, which then spins on
    recv/closesocket of a closed socket and never accepts the second client (ERRATA)."""
    c, py = both(server_run)
    assert c.status == "killed"
    assert c.stdout == b""
    assert c.peer["first"] == {"received": b"", "sent": SENT, "eof": True, "connected": True}
    assert c.peer["second"]["connected"] and c.peer["second"]["received"] == b""
    assert c.peer["second"].get("timed_out")
    calls = [line.split(" ")[0] for line in c.trace]
    for call in ("WSAStartup", "bind", "listen", "accept", "WS2_recv_base", "closesocket"):
        assert call in calls
    assert c.trace[-2:] == ["WS2_recv_base status 0xc0000008.", "<loop>"]  # STATUS_INVALID_HANDLE: recv on the closed socket
    assert_same(c, py)


def busy_port_run(implementation):
    """echo_server while another socket already listens on 0.0.0.0:3500."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("0.0.0.0", SERVER_PORT))  # loopback only: the private namespace has no other interface
        holder.listen(1)
        return finish(start("echo_server", implementation), b"", STARTUP)
    finally:
        holder.close()


@pytest.mark.usefixtures("private_netns")
def test_server_reports_a_failed_bind_as_success():
    """`if (bind(...) == SOCKET_ERROR) return 0;`: the port is taken, and the server exits silently with 0 (ERRATA)."""
    c, py = both(busy_port_run)
    assert c.status == 0 and c.stdout == b""
    calls = [line.split(" ")[0] for line in c.trace]
    assert "bind" in calls and "listen" not in calls and "accept" not in calls
    assert "bind failed, status 0xc0000043." in c.trace  # STATUS_SHARING_VIOLATION: WSAEADDRINUSE to the program
    assert_same(c, py)


@pytest.mark.usefixtures("private_netns")
def test_port_stops_where_the_c_client_overflows_its_buffer():
    """Input without a newline: C writes `(char)EOF` past buffer[1024] (undefined behaviour, not run here); the
    port's buffer is a cffi array, which refuses index 1024: IndexError, status 1, nothing sent (ERRATA W8)."""
    peer = Peer("server", CLIENT_PORT, reply="echo", timeout=STARTUP)
    peer.start()
    run = finish(start("echo_client", "python"), b"no newline", STARTUP)
    peer.join(STARTUP)
    assert run.status == 1
    assert b"IndexError" in run.stderr and run.stdout == b"enter messages\r\n"
    assert peer.record["received"] == b"" and peer.record["eof"]
    assert not any(line.startswith("WS2_sendto") for line in run.trace)

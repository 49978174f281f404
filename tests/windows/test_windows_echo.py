"""The book's Windows echo programs, C (.exe) against their Python ports (Windows/*.py), under the Windows
interpreter: the scenarios of descriptions/Windows/*.toml, run by the same harness as on Linux (csock_compare;
its wine adapter, csock_compare.winsock, reads the +winsock trace where Linux reads strace), judged by the same
verdict; each test then shows the quirk csrc/ERRATA.md describes. Standard output is in text mode on Windows:
the C runtime writes each "\\n" as "\\r\\n"."""
import base64
import os

import pytest

from csock_compare import compare, description, report, runner

FOLDER = os.path.join(description.default_folder(), "Windows")
BOOK = [os.path.join(FOLDER, "echo_server.toml"), os.path.join(FOLDER, "echo_client.toml")]  # not the family's
SCENARIOS = {s.name: s for s in compare.scenarios_of(compare.descriptions_of(BOOK), "compare")}
SENT = b"hello\x00"  # the client replaces '\n' by '\0' and counts it in len


def both(name):
    """(C result, port result) of a scenario, after the verdict every OS shares."""
    scenario = SCENARIOS[name]
    results = [runner.run(scenario, sides) for sides in scenario.runs()]
    found = report.verdict(scenario, results)
    assert found.ok, found.text
    return results[0], results[-1]


def calls(run):
    return [line.split(" ")[0] for line in run.trace]


@pytest.mark.usefixtures("private_netns")
def test_client_without_server_fails_to_connect():
    c, _ = both("no-server")
    client, = c.processes
    assert client.stdout == b"fail to connect\r\n" and client.status == 1
    assert any(line.startswith("connect socket S1, addr { family AF_INET, address 127.0.0.1, port 3600 }")
               for line in client.trace)


@pytest.mark.usefixtures("private_netns")
def test_client_against_an_echo_peer_prints_the_message_back():
    c, _ = both("echo-peer")
    peer, client = c.processes
    assert client.stdout == b"enter messages\r\nsend messages (6 bytes)\r\nrecv messages = hello\r\n"
    assert client.status == 0
    assert peer.stdout == b'received "hello\\x00", echoed, then EOF\r\n'
    names = calls(client)
    assert names[0] == "WSAStartup" and names[-1] == "WSACleanup"
    assert {"connect", "WS2_sendto", "WS2_recv_base", "closesocket"} <= set(names)


@pytest.mark.usefixtures("private_netns")
def test_client_spins_when_the_peer_closes_without_echo():
    """recv returns 0 forever: `readbytes += 0` never reaches len, and the client never ends (ERRATA)."""
    c, _ = both("peer-closes")
    peer, client = c.processes
    assert client.timed_out
    assert peer.stdout.startswith(b'received "hello\\x00", not echoed')
    assert client.trace[-2:] == ["WS2_recv_base status 0.", "<loop>"]  # recv returns 0, again and again


@pytest.mark.usefixtures("private_netns")
def test_book_client_cannot_reach_book_server():
    """Server on 3500, client on 3600: the client fails to connect (ERRATA)."""
    c, _ = both("book-pair")
    assert c.processes[1].stdout == b"fail to connect\r\n" and c.processes[1].status == 1


@pytest.mark.usefixtures("private_netns")
def test_server_closes_without_echo_and_never_serves_again():
    """nReceiveBytes stays 0: nothing is echoed; the socket is closed inside the loop, which then spins on
    recv/closesocket of a closed socket and never accepts the second client (ERRATA)."""
    c, _ = both("two-clients")
    server, first, second = c.processes
    assert server.stdout == b""
    assert first.stdout == b'sent 6 B, received "", then EOF\r\n'
    assert second.stdout == b'sent 6 B, received "", then timeout\r\n'  # connected (queued), never served
    for call in ("WSAStartup", "bind", "listen", "accept", "WS2_recv_base", "closesocket"):
        assert call in calls(server)
    assert server.trace[-2:] == ["WS2_recv_base status 0xc0000008.", "<loop>"]  # recv on the closed socket


@pytest.mark.usefixtures("private_netns")
def test_server_reports_a_failed_bind_as_success():
    """`if (bind(...) == SOCKET_ERROR) return 0;`: the port is taken, and the server exits silently with 0 (ERRATA)."""
    c, _ = both("busy-port")
    server = c.processes[1]
    assert server.status == 0 and server.stdout == b""
    assert "bind" in calls(server) and "listen" not in calls(server) and "accept" not in calls(server)
    assert "bind failed, status 0xc0000043." in server.trace  # STATUS_SHARING_VIOLATION: WSAEADDRINUSE


@pytest.mark.usefixtures("private_netns")
def test_port_stops_where_the_c_client_overflows_its_buffer():
    """Input without a newline: C writes `(char)EOF` past buffer[1024] (undefined behaviour, not run here); the
    port's buffer is a cffi array, which refuses index 1024: one line, status 1, nothing sent (ERRATA W8)."""
    scenario = SCENARIOS["echo-peer"]
    spec = runner.spec_of(scenario, scenario.runs()[-1])
    spec["processes"][1]["stdin"] = base64.b64encode(b"no newline").decode()
    peer, client = runner.run_spec(spec)
    assert client["status"] == 1
    assert base64.b64decode(client["stderr"]).startswith(b"echo_client.py: index too large")
    assert base64.b64decode(client["stdout"]) == b"enter messages\r\n"
    assert base64.b64decode(peer["stdout"]) == b'received "", echoed, then EOF\r\n'  # nothing sent
    assert not any(line.startswith("WS2_sendto") for line in client["trace"])

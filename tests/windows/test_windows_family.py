"""The Windows family of issue 14 (UDP, select, WSAPoll, non-blocking, IPv6, WSAEventSelect), C (.exe) against
their Python ports (Windows/*.py), under the Windows interpreter: every scenario of their descriptions
(descriptions/Windows/*.toml but the book's echo pair, which test_windows_echo.py runs), in every side
assignment, judged by the verdict every OS shares (exit status, stdout, stderr, +winsock calls), then a few
facts each scenario exists to show."""
import os

import pytest

from csock_compare import compare, description

SCENARIOS = compare.named_scenarios(os.path.join(description.default_folder(), "Windows"), "compare",
                                    leave_out=("echo_server.toml", "echo_client.toml"))

# What the C run of a scenario prints, per process (the port's is the same: the verdict says so first).
EXPECTED_STDOUT = {
    "udp_echo_client-echo": [None, b"enter messages\r\nsend messages (5 bytes)\r\n"
                                   b"recv messages = hello (5 bytes from 127.0.0.1)\r\n"],
    "udp_echo_client-empty-line": [None, b"enter messages\r\nsend messages (0 bytes)\r\n"
                                         b"recv messages =  (0 bytes from 127.0.0.1)\r\n"],
    "udp_echo_server-datagrams": [b"Datagram from 127.0.0.1 : 5 bytes\r\nDatagram from 127.0.0.1 : 0 bytes\r\n"
                                  b"Datagram from 127.0.0.1 : 1500 bytes\r\n",
                                  b"sent 5 B, received \"hello\"\r\n", b"sent 0 B, received \"\"\r\n", None],
    "udp_echo_server-busy-port": [b"", b"bind error : 10048\r\n"],
    "udp_echo_server-no-port": [b"usage : udp_echo_server port\r\n"],
    "udp_echo_server-bad-port": [b"port error : http\r\n"],
    "udp_echo_client-no-port": [b"usage : udp_echo_client port\r\n"],
    "udp_echo_client-no-server": [b"enter messages\r\nsend messages (5 bytes)\r\nno reply in 2 seconds\r\n"],
    "ipv6_echo_client-echo": [b"New Client Connect: ::1\r\n",
                              b"enter messages\r\nsend messages (5 bytes)\r\nrecv messages = hello\r\n"],
    "ipv6_echo_client-no-server": [b"fail to connect : 10061\r\n"],
    "ipv6_echo_server-several-clients": [b"New Client Connect: ::1\r\n" * 3],
    "ipv6_echo_server-peer-resets": [b"New Client Connect: ::1\r\nrecv error : 10054\r\nNew Client Connect: ::1\r\n",
                                     b"sent 6 B, reset 1.0 s later\r\n", b"1 clients at once: 2 of 2 messages echoed, then EOF\r\n"],
}
SEVERAL = b"3 clients at once: 6 of 6 messages echoed, then EOF, EOF, EOF\r\n"
RESET = b"sent 6 B, reset 1.0 s later\r\n"
for server in ("select_echo_server", "poll_echo_server", "nonblock_echo_server", "event_echo_server"):
    EXPECTED_STDOUT[f"{server}-several-clients"] = [b"New Client Connect: 127.0.0.1\r\n" * 3, SEVERAL]
    EXPECTED_STDOUT[f"{server}-book-client"] = [b"New Client Connect: 127.0.0.1\r\n",
                                               b"enter messages\r\nsend messages (6 bytes)\r\nrecv messages = hello\r\n"]
    EXPECTED_STDOUT[f"{server}-no-port"] = [b"usage : %s port\r\n" % server.encode()]
    # wine 8 shows a reset that select, WSAPoll, a non-blocking recv or WSAEventSelect saw first as an orderly
    # close (recv 0; FD_CLOSE with iErrorCode 0): no error line (ERRATA WF5). A blocking recv gets 10054 (IPv6).
    EXPECTED_STDOUT[f"{server}-peer-resets"] = [b"New Client Connect: 127.0.0.1\r\n" * 2, RESET, None]


@pytest.mark.usefixtures("private_netns")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_c_and_port_agree(name):
    found, results = compare.judged(SCENARIOS[name])
    assert found.ok, found.text + "".join(
        f"\n--- {result.sides} {run.name} {run.outcome()}: {run.stdout!r} {run.stderr[-300:]!r}\n" + "\n".join(run.trace[:60])
        for result in results for run in result.processes)
    c = results[0]
    for process, expected in zip(c.processes, EXPECTED_STDOUT.get(name, [])):
        if expected is not None:
            assert process.stdout.replace(b"\r\n", b"\n") == expected.replace(b"\r\n", b"\n"), process.name
    for process in c.processes:
        if process.side == "C":
            assert not process.timed_out or process.name == "server", f"{process.name} hung"

"""The Windows family of issue 14 (UDP, select, WSAPoll, non-blocking, IPv6, WSAEventSelect), C (.exe) against
their Python ports (Windows/*.py), under the Windows interpreter: every scenario of their descriptions
(descriptions/Windows/*.toml but the book's echo pair, which test_windows_echo.py runs), in every side
assignment, judged by the verdict every OS shares (exit status, stdout, stderr, +winsock calls), then a few
facts each scenario exists to show."""
import os

import pytest

from csock_compare import compare, description, report, runner

FOLDER = os.path.join(description.default_folder(), "Windows")
BOOK = ("echo_server.toml", "echo_client.toml")
DESCRIPTIONS = compare.descriptions_of([p for p in description.find_descriptions(FOLDER)
                                        if os.path.basename(p) not in BOOK])
SCENARIOS = {f"{os.path.splitext(os.path.basename(d.path))[0]}-{s.name}": s
             for d in DESCRIPTIONS for s in d.scenarios if "compare" in s.groups}

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
}


@pytest.mark.usefixtures("private_netns")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_c_and_port_agree(name):
    scenario = SCENARIOS[name]
    results = [runner.run(scenario, sides) for sides in scenario.runs()]
    found = report.verdict(scenario, results)
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

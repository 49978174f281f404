"""The wine adapter's own logic, no wine needed: the +winsock trace normaliser (csock_compare.winsock.normalise)
expectations that differ per wine version (expect.wine, ERRATA WF5) and the reset-or-close mask (WF5). Lines are
from wine 8's and wine 10's traces of event_echo_server and nonblock_echo_server, cut to the calls that matter."""
import pytest

from csock_compare import expect, report, runner, winsock

# One WSAEventSelect round as wine traces it; {s}, {e}: the SOCKET and event handles, which differ between runs.
WINE8_ROUND = ["WSAEventSelect socket {s}, event 00000000000000{e:02X}, mask 0x21",
               "sock_ioctl handle {s}, code 0x12087, in_buffer 0x21f2a0, in_size 16, out_buffer (nil), out_size 0",
               "sock_ioctl event {e:#x}, mask 0x19",
               "WSAEnumNetworkEvents socket {s}, event 00000000000000{e:02X}, events 000000000021F750",
               "sock_ioctl handle {s}, code 0x1208b, in_buffer (nil), in_size 0, out_buffer 0x21f280, out_size 56"]
# wine 10 hands WSAEnumNetworkEvents' event to the ioctl, which resets it and traces it as reset_event.
WINE10_ROUND = WINE8_ROUND[:4] + [
    "sock_ioctl handle {s}, code 0x1208b, in_buffer {e:#x}, in_size 0, out_buffer 0x21f280, out_size 56",
    "sock_ioctl reset_event {e:#x}"]


def trace(round_lines, pid, pairs):
    """Raw trace lines of one process: its listening socket accepted, then one round per (socket, event)."""
    lines = ["WSASocketW created 0x2c", f"accept returning {pairs[0][0]}"]
    for s, e in pairs:
        lines += [line.format(s=s, e=e) for line in round_lines]
    return [f"{pid:04x}:trace:winsock:{line}" for line in lines]


@pytest.mark.parametrize("round_lines", [WINE8_ROUND, WINE10_ROUND], ids=["wine8", "wine10"])
def test_handles_are_named_so_c_and_port_compare_equal(round_lines):
    c = winsock.normalise(trace(round_lines, 0x154, [("0x3c", 0x38)]))
    port = winsock.normalise(trace(round_lines, 0x1f4, [("0x60", 0x5c)]))
    assert c == port
    assert not any("0x38" in line or "0x5c" in line for line in c)


def test_reset_event_is_named_as_the_event_it_resets():
    lines = winsock.normalise(trace(WINE10_ROUND, 0x154, [("0x3c", 0x38), ("0x40", 0x44)]))
    assert [line for line in lines if "event E" in line] == [
        "sock_ioctl event E1, mask 0x19", "sock_ioctl reset_event E1",
        "sock_ioctl event E2, mask 0x19", "sock_ioctl reset_event E2"]


def test_a_port_resetting_another_event_than_c_still_differs():
    c = winsock.normalise(trace(WINE10_ROUND, 0x154, [("0x3c", 0x38), ("0x40", 0x44)]))
    swapped = trace(WINE10_ROUND, 0x1f4, [("0x3c", 0x38), ("0x40", 0x44)])
    swapped[-1] = swapped[-1].replace("0x44", "0x38")  # the second round resets the first socket's event
    assert winsock.normalise(swapped) != c


@pytest.mark.parametrize("text,major", [("wine-8.0 (Debian 8.0~repack-4)", 8),
                                        ("wine-10.0 (Debian 10.0~repack-6)\n", 10)])
def test_wine_major_reads_wine_version(monkeypatch, text, major):
    monkeypatch.setenv("CSOCK_WINE_VERSION", text)
    assert winsock.wine_major() == major


def test_wine_major_refuses_what_is_no_wine_version(monkeypatch):
    monkeypatch.setenv("CSOCK_WINE_VERSION", "8.0")
    with pytest.raises(RuntimeError, match="not a wine version"):
        winsock.wine_major()


CONNECT = "New Client Connect: 127.0.0.1\r\n"
PEER_RESETS = {"ends": "exit 1",  # a killed server: wine gives exit status 1 (WF3)
               "wine": {"8": {"stdout": [[CONNECT, 2]]},
                        "10": {"stdout": [CONNECT, "recv error : 10054\r\n", CONNECT]}}}


def server(stdout):
    return runner.Run(name="server", argv=[], status=1, signal=None, stdout=stdout, stderr=b"", received=b"",
                      trace=[], side="C")


@pytest.mark.parametrize("major,stdout", [(8, CONNECT * 2), (10, CONNECT + "recv error : 10054\r\n" + CONNECT)])
def test_each_wine_gets_its_own_documented_output(major, stdout):
    expected = expect.parse(PEER_RESETS, "t")
    assert expect.problems(server(stdout.encode()), expected, lambda: major) == []
    other = {8: 10, 10: 8}[major]
    assert expect.problems(server(stdout.encode()), expected, lambda: other) != []


def test_output_neither_wine_documents_fails():
    expected = expect.parse(PEER_RESETS, "t")
    for major in (8, 10):
        assert expect.problems(server((CONNECT + "recv error : 10053\r\n" + CONNECT).encode()), expected,
                               lambda: major) != []
        assert expect.problems(server(CONNECT.encode()), expected, lambda: major) != []


def test_common_keys_still_hold_under_every_wine():
    expected = expect.parse(PEER_RESETS, "t")
    ended = runner.Run(name="server", argv=[], status=0, signal=None, stdout=(CONNECT * 2).encode(), stderr=b"",
                       received=b"", trace=[], side="port")
    assert expect.problems(ended, expected, lambda: 8) == ["port server ended exit 0, expected exit 1"]


def test_a_wine_the_description_does_not_name_fails_clearly():
    found = expect.problems(server((CONNECT * 2).encode()), expect.parse(PEER_RESETS, "t"), lambda: 9)
    assert found == ["C server: wine 9: the description expects only under wine 8, 10 (add what wine 9 does, and "
                     "why, to its erratum)"]


@pytest.mark.parametrize("table,message", [
    ({"wine": {"eight": {"stdout": ""}}}, "maps wine major versions"),
    ({"wine": {}}, "maps wine major versions"),
    ({"wine": {"8": {"wine": {"10": {}}}}}, "expect takes calls"),
    ({"wine": {"8": {"colour": 1}}}, "expect takes calls"),
])
def test_a_wrong_wine_table_is_one_clear_error(table, message):
    with pytest.raises(ValueError, match=message):
        expect.parse(table, "t")


# nonblock_echo_server's last polling recv of a peer that reset (peer-resets), as wine 10 traced it (Debian 13):
# STATUS_CONNECTION_RESET (0xc000020d, `recv error : 10054`) in most runs, status 0 (read 0) in about one of three
# (seen in the port's run, C's reset, in one of five runs: recv then closesocket, its own handle and buffers).
NONBLOCK_ACCEPTED = [
    "accept returning 0x38",
    "WSAIoctl socket 0x38, FIONBIO, in_buff 00007FFFFE2FF708, in_size 0x4, out_buff 00007FFFFE2FF708, out_size 0x4, "
    "ret_size 00007FFFFE2FF6CC, overlapped 0000000000000000, completion 0000000000000000",
    "sock_ioctl handle 0x38, code 0x120344, in_buffer 0x7ffffe2ff708, in_size 4, out_buffer (nil), out_size 0",
    "server_ioctl_sock status 0."]
NONBLOCK_RECV = [
    "WS2_recv_base socket 0x38, buffers 00007FFFFE2FF6C0, buffer_count 1, flags 0, addr 0000000000000000, addr_len -1, "
    "overlapped 0000000000000000, completion 0000000000000000, control 0000000000000000",
    "sock_ioctl handle 0x38, code 0x120334, in_buffer 0x7ffffe2ff5e0, in_size 48, out_buffer (nil), out_size 0"]
RESET, READ_0 = "WS2_recv_base status 0xc000020d.", "WS2_recv_base status 0."
RESET_PRINTED = "recv error : 10054\r\n"


def nonblock_server(side, outcome, printed, after=("closesocket 0x38",)):
    """A server Run whose last recv ended with outcome, printed printed between its two connects, then did after."""
    raw = NONBLOCK_ACCEPTED + NONBLOCK_RECV + ["WS2_recv_base status 0xc00000a3."] + NONBLOCK_RECV + [outcome, *after]
    if side == "port":  # the port's socket handle and buffers, as traced
        raw = [line.replace("0x38", "0x5c").replace("00007FFFFE2FF6C0", "00007FFFFE3DF5F0")
               .replace("0x7ffffe2ff5e0", "0x7ffffe3df510") for line in raw]
    return runner.ScenarioResult([runner.Run(
        name="server", argv=[], status=1, signal=None, stdout=(CONNECT + printed + CONNECT).encode(), stderr=b"",
        received=b"", trace=winsock.normalise([f"01e4:trace:winsock:{line}" for line in raw]), side=side)])


RESET_OR_CLOSE = {0: ("reset-or-close",)}


@pytest.mark.parametrize("c_outcome,port_outcome", [(RESET, READ_0), (READ_0, RESET), (RESET, RESET)])
def test_reset_or_close_compares_wine_10s_two_outcomes_equal(c_outcome, port_outcome):
    printed = {RESET: RESET_PRINTED, READ_0: ""}
    c = nonblock_server("C", c_outcome, printed[c_outcome])
    port = nonblock_server("port", port_outcome, printed[port_outcome])
    assert report.first_difference(c, port, masked=RESET_OR_CLOSE) is None
    if c_outcome != port_outcome:  # what the mask is for: unmasked, the two outcomes differ
        assert "stdout differs" in report.first_difference(c, port)


@pytest.mark.parametrize("port", [
    lambda: nonblock_server("port", RESET, "recv error : 10053\r\n"),  # another error printed
    lambda: nonblock_server("port", READ_0, RESET_PRINTED * 2),  # printed twice
    lambda: nonblock_server("port", RESET, RESET_PRINTED, after=()),  # the reset socket not closed
    lambda: nonblock_server("port", RESET, RESET_PRINTED, after=("closesocket 0x2c",)),  # another socket closed
    lambda: nonblock_server("port", "WS2_recv_base status 0xc000020c.", RESET_PRINTED),  # another status
])
def test_reset_or_close_still_finds_what_the_port_does_differently(port):
    for c_outcome, printed in ((RESET, RESET_PRINTED), (READ_0, "")):
        c = nonblock_server("C", c_outcome, printed)
        assert report.first_difference(c, port(), masked=RESET_OR_CLOSE) is not None

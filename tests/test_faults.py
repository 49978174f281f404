"""The fault matrix (csock.faults): where programs go wrong, the Python ports fail exactly like the C originals.

Every "faults" scenario of descriptions/Linux/ runs once for C and once for the port (module fixture, each run in
its own network namespace); each test below asserts that the two fates are the same (or differ exactly as the
scenario's errata say, through the erratum's own check) and what that fate is. Without unshare/strace these tests
skip locally and FAIL in CI (CI=true).
"""
import os
import signal
import subprocess
import sys

import pytest

from csock_compare import compare, description, errata, faults, peers, report, runner

CASES = {s.name: s for s in compare.scenarios_of(compare.descriptions_of([]), "faults")}  # as faults runs them
NEW_CLIENT = b"New Client Connect: 127.0.0.1\n"
WRITE_ERROR = b"write error : : Connection reset by peer\n"


@pytest.fixture(scope="module")
def matrix(tools):
    """{case name: [C ScenarioResult, port ScenarioResult]}, every case run once for this module."""
    return {scenario.name: runs for scenario, runs in runner.run_all(list(CASES.values()), jobs=4).items()}


def both(matrix, name):
    """[(side, result)] of a case, after checking that C and the port agree (or differ only as documented)."""
    found = report.verdict(CASES[name], matrix[name])
    assert found.ok, f"{name}: {found.text}"
    return [(CASES[name].run_name(result.sides), result) for result in matrix[name]]


def test_every_case_has_its_test():
    tests = {name for name in globals() if name.startswith("test_")}
    missing = [name for name in CASES if "test_" + name.replace("-", "_") not in tests]
    assert missing == []


# --- the client resets or closes -------------------------------------------------------------------

def test_reset_before_read(matrix):
    for side, result in both(matrix, "reset-before-read"):
        server, peer = result.processes
        assert "read(fd4, 0xADDR, 1024) = -1 ECONNRESET (Connection reset by peer)" in server.trace, side
        assert server.stderr == b"" and server.stdout == NEW_CLIENT * 2 and server.signal == signal.SIGTERM, side
        assert peer.stdout.endswith(b'received "<x41*1024>", then EOF\n'), side


def test_reset_before_write(matrix):
    for side, result in both(matrix, "reset-before-write"):
        server = result.processes[0]
        assert server.received == b"A" * 1024 + b"B" * 16, side
        assert server.stderr == WRITE_ERROR and server.signal == signal.SIGTERM, side  # ECONNRESET: no SIGPIPE


def test_reset_between_read_and_write(matrix):
    """The RST lands after read() and before write(): write() gets ECONNRESET (the pending error), not EPIPE."""
    for side, result in both(matrix, "reset-between-read-and-write"):
        server = result.processes[0]
        failed = [line for line in server.trace if line.startswith("write(fd4, ")]
        assert failed == ['write(fd4, "<x41*16><x00*1008>", 1024) = -1 ECONNRESET (Connection reset by peer) '
                          '(DELAYED)'], (side, server.trace)
        assert not any("SIGPIPE" in line for line in server.trace), side
        assert server.stderr == WRITE_ERROR and server.signal == signal.SIGTERM, side


def test_close_without_send(matrix):
    for side, result in both(matrix, "close-without-send"):
        server = result.processes[0]
        assert 'read(fd4, "", 1024) = 0' in server.trace and "write(fd4" not in " ".join(server.trace), side
        assert server.stdout == NEW_CLIENT and server.stderr == b"", side


# --- what the client sends -------------------------------------------------------------------------

def test_more_than_maxbuf(matrix):
    for side, result in both(matrix, "more-than-maxbuf"):
        server, peer = result.processes
        assert server.received == b"A" * 1024, side  # one read(); closing with 1976 bytes unread sends RST
        assert peer.stdout == b'sent 3000 B, received "<x41*1024>", then ECONNRESET\n', side


def test_one_byte_and_wait(matrix):
    for side, result in both(matrix, "one-byte-and-wait"):
        server, peer = result.processes
        assert server.received == b"A", side
        assert peer.stdout == b'sent 1 B, received "A<x00*1023>", then EOF\n', side


# --- many clients ----------------------------------------------------------------------------------

def test_200_at_once(matrix):
    for side, result in both(matrix, "200-at-once"):
        server, peer = result.processes
        tally = peers.tally_of(peer.stdout)
        assert sum(tally.values()) == 200 and tally.get("refused", 0) == 0, (side, tally)
        assert tally.get("echoed", 0) >= 6, (side, tally)  # at least what listen(fd, 5) queues
        assert server.signal == signal.SIGTERM and server.stderr == b"", side
        assert set(server.stdout.splitlines()) == {NEW_CLIENT.strip()}, side


def test_10000_sequential(matrix):
    for side, result in both(matrix, "10000-sequential"):
        server, peer = result.processes
        assert peer.stdout == b"10000 connections: 10000 echoed\n", side
        assert server.stdout == NEW_CLIENT * 10000 and server.signal == signal.SIGTERM, side


# --- the port argument -----------------------------------------------------------------------------

def test_busy_port(matrix):
    for side, result in both(matrix, "busy-port"):
        first, second, _peer = result.processes
        assert second.trace[1].endswith("= -1 EADDRINUSE (Address already in use)"), side
        assert second.stdout == b"" and second.signal == signal.SIGTERM, side
        assert first.stdout == NEW_CLIENT, side


def test_port_abc(matrix):
    for side, result in both(matrix, "port-abc"):
        server, peer = result.processes
        assert "sin_port=htons(0)" in server.trace[1] and server.trace[1].endswith(" = 0"), side  # atoi("abc") = 0
        assert server.signal == signal.SIGTERM and peer.stdout == b"connect: ECONNREFUSED\n", side


def _documented(matrix, name):
    """ERRATA: the case differs, and exactly as its erratum's check says (the same check faults runs)."""
    scenario, (c, port) = CASES[name], matrix[name]
    assert report.first_difference(c, port) is not None  # they do differ
    assert report.verdict(scenario, matrix[name]).kind == report.DOCUMENTED
    for kind, params in errata.of(scenario):
        assert kind.check(c, scenario, params) == [] and kind.check(port, scenario, params) == []
    return c.processes, port.processes


def test_port_70000(matrix):
    (c_server, _), (port_server, _) = _documented(matrix, "port-70000")
    assert "sin_port=htons(4464)" in c_server.trace[1] and port_server.status == 1


def test_port_minus_1(matrix):
    (c_server, _), (port_server, _) = _documented(matrix, "port-minus-1")
    assert "sin_port=htons(65535)" in c_server.trace[1] and port_server.status == 1


def test_port_missing(matrix):
    """ERRATA bug 1: C dies of SIGSEGV in atoi(NULL); the port prints its usage."""
    (c,), (port,) = _documented(matrix, "port-missing")
    assert c.signal == signal.SIGSEGV and port.status == 2


def test_an_erratum_check_rejects_a_different_deviation(matrix):
    """The check is no rubber stamp: a port exiting 1 instead of 2, or a C run that did not crash, is reported."""
    scenario = CASES["port-missing"]
    (kind, params), = errata.of(scenario)
    c, port = matrix["port-missing"]
    wrong = runner.ScenarioResult([runner.Run(**{**vars(port.processes[0]), "status": 1})], port.sides)
    assert "expected exit 2" in kind.check(wrong, scenario, params)[0]
    assert "SIGSEGV" in kind.check(runner.ScenarioResult(port.processes, c.sides), scenario, params)[0]
    assert not report.verdict(scenario, [c, wrong]).ok


# --- SIGPIPE: C's default (death) kept by the ports ----------------------------------------------

def test_server_stdout_closed(matrix):
    for side, result in both(matrix, "server-stdout-closed"):
        server, peer = result.processes
        assert server.signal == signal.SIGPIPE, side
        assert server.trace[-3:] == ['write(1, "New Client Connect: 127.0.0.1\\x0a", 30) = -1 EPIPE (Broken pipe)',
                                     "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=N, si_uid=N} ---",
                                     "+++ killed by SIGPIPE +++"], (side, server.trace)
        assert peer.stdout == b'sent 0 B, received "", then EOF\n', side


def test_client_stdout_closed(matrix):
    for side, result in both(matrix, "client-stdout-closed"):
        client = result.processes[1]
        assert client.signal == signal.SIGPIPE and client.received == b"hello\n" + b"\0" * 1018, side
        assert client.trace[-3:-1] == ['write(1, "read : hello\\x0a", 13) = -1 EPIPE (Broken pipe)',
                                       "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=N, si_uid=N} ---"]


def _main_only(program, *args):
    """A port run without its __main__ block (so with CPython's signal dispositions): main() called directly."""
    folder, module = os.path.split(os.path.splitext(program.port)[0])
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {folder!r}); import {module}; "
                                  f"sys.exit({module}.main({len(args) + 1}, [b'{module}.py', {', '.join(args)}]))"]


def _with_port_argv(scenario, index, argv):
    """The port run of scenario with process index started as argv instead."""
    spec = runner.spec_of(scenario, scenario.runs()[-1])
    spec["processes"][index]["argv"] = argv
    raw = runner.run_spec(spec)
    return runner.ScenarioResult([runner.Run(name=p.name, argv=s["argv"], status=r["status"], signal=r["signal"],
                                             stdout=_b64(r["stdout"]), stderr=_b64(r["stderr"]),
                                             received=_b64(r["received"]), trace=r["trace"],
                                             children=r["children"], timed_out=r["timed_out"])
                                  for p, s, r in zip(scenario.processes, spec["processes"], raw)],
                                 scenario.runs()[-1])


def _b64(text):
    import base64
    return base64.b64decode(text)


def test_the_sigpipe_case_sees_a_port_that_ignores_sigpipe(matrix):
    """Without the ports' SIG_DFL reset the case differs: EPIPE is ignored and the client exits 0."""
    scenario = CASES["client-stdout-closed"]
    ignoring = _with_port_argv(scenario, 1, _main_only(scenario.processes[1].program))
    assert ignoring.processes[1].status == 0, ignoring.processes[1].outcome()
    assert 'write(1, "read : hello\\x0a", 13) = -1 EPIPE (Broken pipe)' in ignoring.processes[1].trace
    found = report.verdict(scenario, [matrix[scenario.name][0], ignoring])
    assert not found.ok and "killed by SIGPIPE vs exit 0" in found.text


# --- signals ---------------------------------------------------------------------------------------

def _signal_kills_both_alike(matrix, name, sig, syscall):
    for side, result in both(matrix, name):
        server = result.processes[0]
        assert server.signal == sig and server.stderr == b"", (side, server.outcome(), server.stderr)
        assert server.stdout == NEW_CLIENT, side  # stdbuf -oL: the line was written before the signal
        assert server.trace[-3].startswith(f"{syscall}(fd") and "ERESTARTSYS" in server.trace[-3], side
        assert server.trace[-1] == f"+++ killed by {signal.Signals(sig).name} +++", side


def test_sigint_in_accept(matrix):
    _signal_kills_both_alike(matrix, "sigint-in-accept", signal.SIGINT, "accept")


def test_sigterm_in_accept(matrix):
    _signal_kills_both_alike(matrix, "sigterm-in-accept", signal.SIGTERM, "accept")


def test_sigint_in_read(matrix):
    _signal_kills_both_alike(matrix, "sigint-in-read", signal.SIGINT, "read")


def test_sigterm_in_read(matrix):
    _signal_kills_both_alike(matrix, "sigterm-in-read", signal.SIGTERM, "read")


def test_the_sigint_case_sees_a_port_that_keeps_pythons_handler(matrix):
    """Without the ports' SIG_DFL reset, SIGINT in read() becomes a KeyboardInterrupt traceback."""
    scenario = CASES["sigint-in-read"]
    caught = _with_port_argv(scenario, 0, _main_only(scenario.processes[0].program, "b'3600'"))
    assert b"KeyboardInterrupt" in caught.processes[0].stderr, caught.processes[0].outcome()
    assert not report.verdict(scenario, [matrix[scenario.name][0], caught]).ok


def test_sigterm_in_read_buffered(matrix):
    """Without stdbuf, libc holds the printf line in its buffer: a signal death loses it in both."""
    for side, result in both(matrix, "sigterm-in-read-buffered"):
        server = result.processes[0]
        assert server.signal == signal.SIGTERM and server.stdout == b"", side
        assert not any(line.startswith("write(1,") for line in server.trace), side


# --- the client's own faults -----------------------------------------------------------------------

def test_no_server(matrix):
    for side, result in both(matrix, "no-server"):
        client, = result.processes
        assert client.status == 1 and client.stderr == b"connect error :: Connection refused\n", side


def test_client_stdin_eof(matrix):
    for side, result in both(matrix, "client-stdin-eof"):
        client = result.processes[1]
        assert client.stdout == b"read : " and client.received == b"\0" * 1024 and client.status == 0, side


def test_client_stdin_closed(matrix):
    """fd 0 closed: socket() returns 0 and read(0) waits on the socket while the server waits in read()."""
    for side, result in both(matrix, "client-stdin-closed"):
        server, client = result.processes
        assert client.trace[0] == "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 0", (side, client.trace)
        assert client.trace[-2].startswith("read(0, "), (side, client.trace)  # blocked there when killed
        assert client.trace[-1] == "+++ killed by SIGKILL +++", (side, client.trace)
        assert client.timed_out and client.signal == signal.SIGKILL, side
        assert 'read(fd4, "", 1024) = 0' in server.trace, side  # the kill closed the socket


# --- the module itself -----------------------------------------------------------------------------

def test_verdict_sees_a_difference(matrix):
    scenario = CASES["one-byte-and-wait"]
    c = matrix[scenario.name][0]
    changed = runner.Run(**{**vars(c.processes[0]), "stderr": b"oops\n"})
    found = report.verdict(scenario, [c, runner.ScenarioResult([changed, c.processes[1]], c.sides)])
    assert not found.ok and "server stderr differs" in found.text
    burst = CASES["200-at-once"]
    c = matrix[burst.name][0]
    refused = runner.Run(**{**vars(c.processes[1]), "stdout": b"200 connections: 199 echoed, 1 refused\n"})
    found = report.verdict(burst, [c, runner.ScenarioResult([c.processes[0], refused], c.sides)])
    assert not found.ok and "refused" in found.text


def test_documented_difference_that_vanished_is_reported(matrix):
    c = matrix["port-70000"][0]
    found = report.verdict(CASES["port-70000"], [c, runner.ScenarioResult(c.processes, {0: "port"})])
    assert not found.ok and "update it" in found.text


def test_table_has_a_row_per_case(matrix):
    scenarios = list(CASES.values())
    text, ok = faults.table(scenarios, {s: matrix[s.name] for s in scenarios})
    assert ok, text
    rows = text.split("\n")[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == list(CASES)


def test_errata_carries_a_row_per_case_and_each_documented_difference():
    with open(faults.default_errata(), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index(faults.ERRATA_BEGIN):text.index(faults.ERRATA_END)]
    rows = [line.split(" | ")[0].lstrip("| ") for line in table.split("\n")[3:] if line.startswith("| ")]
    assert rows == list(CASES)
    for scenario in CASES.values():
        for params in scenario.errata:
            assert f"`{scenario.name}`" in text, scenario.name
            if "(F" in params["entry"]:
                assert "| " + params["entry"].split("(")[1].rstrip(")") + " |" in text, params["entry"]


def test_write_errata_replaces_only_the_table(tmp_path):
    path = tmp_path / "ERRATA.md"
    path.write_text("before\n" + faults.ERRATA_BEGIN + "old\n" + faults.ERRATA_END + "after\n")
    faults.write_errata("new\n", str(path))
    assert path.read_text() == "before\n" + faults.ERRATA_BEGIN + "new\n" + faults.ERRATA_END + "after\n"


def test_tally_parses_the_peer_line():
    assert peers.tally_of(b"200 connections: 78 echoed, 122 timeout\nthe last one ended after 14.5 s\n") == \
        {"echoed": 78, "timeout": 122}


def test_main_prints_the_table_and_exits_0(tools):
    root = os.path.dirname(description.default_folder())
    done = subprocess.run([sys.executable, "-m", "csock.faults", "--case", "one-byte-and-wait"],
                          capture_output=True, timeout=120, cwd=root)
    assert done.returncode == 0, done.stderr
    assert b"| one-byte-and-wait | server: killed by SIGTERM" in done.stdout
    assert b"verdict: same" in done.stdout  # --case prints the details

"""The fault matrix (csock.faults): where programs go wrong, the Python ports fail exactly like the C originals.

Every case runs once for C and once for Python (module fixture, each run in its own network namespace);
each test below asserts that the two fates are the same (or differ exactly as csrc/ERRATA.md says) and
what that fate is. Without unshare/strace/root these tests skip locally and FAIL in CI (CI=true).
"""
import os
import signal
import subprocess
import sys

import pytest

from csock import echo_runs, faults

NEW_CLIENT = b"New Client Connect: 127.0.0.1\n"
WRITE_ERROR = b"write error : : Connection reset by peer\n"


@pytest.fixture(scope="module")
def matrix(tools):
    """{case name: {"C": ScenarioResult, "Python": ScenarioResult}}, every case run once for this module."""
    return faults.run_all(jobs=4)


def both(matrix, name):
    """[(impl, result)] of a case, after checking that C and Python agree (or differ only as documented)."""
    ok, text = faults.verdict(faults.BY_NAME[name], matrix[name])
    assert ok, f"{name}: {text}"
    return list(matrix[name].items())


def test_every_case_has_its_test():
    tests = {name for name in globals() if name.startswith("test_")}
    missing = [case.name for case in faults.CASES if "test_" + case.name.replace("-", "_") not in tests]
    assert missing == []


# --- the client resets or closes -------------------------------------------------------------------

def test_reset_before_read(matrix):
    for impl, result in both(matrix, "reset-before-read"):
        server, peer = result.servers[0], result.clients[0]
        assert "read(fd4, 0xADDR, 1024) = -1 ECONNRESET (Connection reset by peer)" in server.trace, impl
        assert server.stderr == b"" and server.stdout == NEW_CLIENT * 2 and server.signal == signal.SIGTERM, impl
        assert peer.stdout.endswith(b'received "<x41*1024>", then EOF\n'), impl


def test_reset_before_write(matrix):
    for impl, result in both(matrix, "reset-before-write"):
        server = result.servers[0]
        assert server.received == b"A" * 1024 + b"B" * 16, impl
        assert server.stderr == WRITE_ERROR and server.signal == signal.SIGTERM, impl  # ECONNRESET: no SIGPIPE


def test_reset_between_read_and_write(matrix):
    """The RST lands after read() and before write(): write() gets ECONNRESET (the pending error), not EPIPE."""
    for impl, result in both(matrix, "reset-between-read-and-write"):
        server = result.servers[0]
        failed = [line for line in server.trace if line.startswith("write(fd4, ")]
        assert failed == ['write(fd4, "<x41*16><x00*1008>", 1024) = -1 ECONNRESET (Connection reset by peer) '
                          '(DELAYED)'], (impl, server.trace)
        assert not any("SIGPIPE" in line for line in server.trace), impl
        assert server.stderr == WRITE_ERROR and server.signal == signal.SIGTERM, impl


def test_close_without_send(matrix):
    for impl, result in both(matrix, "close-without-send"):
        server = result.servers[0]
        assert 'read(fd4, "", 1024) = 0' in server.trace and "write(fd4" not in " ".join(server.trace), impl
        assert server.stdout == NEW_CLIENT and server.stderr == b"", impl


# --- what the client sends -------------------------------------------------------------------------

def test_more_than_maxbuf(matrix):
    for impl, result in both(matrix, "more-than-maxbuf"):
        server, peer = result.servers[0], result.clients[0]
        assert server.received == b"A" * 1024, impl  # one read(); closing with 1976 bytes unread sends RST
        assert peer.stdout == b'sent 3000 B, received "<x41*1024>", then ECONNRESET\n', impl


def test_one_byte_and_wait(matrix):
    for impl, result in both(matrix, "one-byte-and-wait"):
        server, peer = result.servers[0], result.clients[0]
        assert server.received == b"A", impl
        assert peer.stdout == b'sent 1 B, received "A<x00*1023>", then EOF\n', impl


# --- many clients ----------------------------------------------------------------------------------

def test_200_at_once(matrix):
    for impl, result in both(matrix, "200-at-once"):
        server, peer = result.servers[0], result.clients[0]
        tally = faults._tally(peer.stdout)
        assert sum(tally.values()) == faults.BURST and tally.get("refused", 0) == 0, (impl, tally)
        assert tally.get("echoed", 0) >= 6, (impl, tally)  # at least what listen(fd, 5) queues
        assert server.signal == signal.SIGTERM and server.stderr == b"", impl
        assert set(server.stdout.splitlines()) == {NEW_CLIENT.strip()}, impl


def test_10000_sequential(matrix):
    for impl, result in both(matrix, "10000-sequential"):
        server, peer = result.servers[0], result.clients[0]
        assert peer.stdout == b"10000 connections: 10000 echoed\n", impl
        assert server.stdout == NEW_CLIENT * 10000 and server.signal == signal.SIGTERM, impl


# --- the port argument -----------------------------------------------------------------------------

def test_busy_port(matrix):
    for impl, result in both(matrix, "busy-port"):
        first, second = result.servers
        assert second.trace[1].endswith("= -1 EADDRINUSE (Address already in use)"), impl
        assert second.stdout == b"" and second.signal == signal.SIGTERM, impl
        assert first.stdout == NEW_CLIENT, impl


def test_port_abc(matrix):
    for impl, result in both(matrix, "port-abc"):
        server, peer = result.servers[0], result.clients[0]
        assert "sin_port=htons(0)" in server.trace[1] and server.trace[1].endswith(" = 0"), impl  # atoi("abc") = 0
        assert server.signal == signal.SIGTERM and peer.stdout == b"connect: ECONNREFUSED\n", impl


def _port_out_of_range(matrix, name, truncated, refusal):
    """ERRATA F1: C's htons takes the int modulo 65536 and serves there; csock's htons refuses it."""
    c, py = matrix[name]["C"], matrix[name]["Python"]
    assert faults.verdict(faults.BY_NAME[name], matrix[name])[0]
    assert echo_runs.first_difference(c, py) is not None  # they do differ
    assert f"sin_port=htons({truncated})" in c.servers[0].trace[1] and c.servers[0].trace[1].endswith(" = 0")
    assert c.servers[0].signal == signal.SIGTERM and c.clients[0].stdout.startswith(b'sent 6 B, received "AAAAAA')
    assert py.servers[0].status == 1 and py.servers[0].stderr.endswith(refusal)
    assert not any(line.startswith(("bind(", "listen(")) for line in py.servers[0].trace)
    assert py.clients[0].stdout == b"connect: ECONNREFUSED\n"


def test_port_70000(matrix):
    _port_out_of_range(matrix, "port-70000", 4464,
                           b"htons: hostshort (uint16_t): integer 70000 does not fit 'uint16_t'\n")


def test_port_minus_1(matrix):
    _port_out_of_range(matrix, "port-minus-1", 65535,
                           b"htons: hostshort (uint16_t): can't convert negative number to unsigned\n")


def test_port_missing(matrix):
    """ERRATA bug 1: C dies of SIGSEGV in atoi(NULL); the port prints its usage."""
    c, py = matrix["port-missing"]["C"].clients[0], matrix["port-missing"]["Python"].clients[0]
    assert faults.verdict(faults.BY_NAME["port-missing"], matrix["port-missing"])[0]
    assert c.signal == signal.SIGSEGV and c.trace[0].startswith("socket(")
    assert (py.status, py.stdout, py.stderr, py.trace) == (2, b"", echo_runs.USAGE_ERROR, [])


# --- SIGPIPE: C's default (death) kept by the ports ----------------------------------------------

def test_server_stdout_closed(matrix):
    for impl, result in both(matrix, "server-stdout-closed"):
        server, peer = result.servers[0], result.clients[0]
        assert server.signal == signal.SIGPIPE, impl
        assert server.trace[-3:] == ['write(1, "New Client Connect: 127.0.0.1\\x0a", 30) = -1 EPIPE (Broken pipe)',
                                     "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=N, si_uid=N} ---",
                                     "+++ killed by SIGPIPE +++"], (impl, server.trace)
        assert peer.stdout == b'sent 0 B, received "", then EOF\n', impl


def test_client_stdout_closed(matrix):
    for impl, result in both(matrix, "client-stdout-closed"):
        client = result.clients[0]
        assert client.signal == signal.SIGPIPE and client.received == b"hello\n" + b"\0" * 1018, impl
        assert client.trace[-3:-1] == ['write(1, "read : hello\\x0a", 13) = -1 EPIPE (Broken pipe)',
                                       "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=N, si_uid=N} ---"]


# A port client that keeps Python's SIG_IGN for SIGPIPE: main() called without the __main__ block.
SIGPIPE_IGNORED_CLIENT = [sys.executable, "-c", "import sys; sys.path.insert(0, 'Linux'); import echo_client; "
                          "sys.exit(echo_client.main(1, [b'echo_client.py']))"]


def test_the_sigpipe_case_sees_a_port_that_ignores_sigpipe(tools):
    """Without the ports' SIG_DFL reset the case differs: EPIPE is ignored and the client exits 0."""
    case = faults.BY_NAME["client-stdout-closed"]
    runs = case.runs("C")
    c = echo_runs.run_scenario(runs.servers, runs.clients)
    ignoring = echo_runs.run_scenario(runs.servers, [echo_runs.Client(SIGPIPE_IGNORED_CLIENT, b"hello\n",
                                                                      stdout_broken_pipe=True)])
    assert ignoring.clients[0].status == 0, ignoring.clients[0].outcome()
    assert 'write(1, "read : hello\\x0a", 13) = -1 EPIPE (Broken pipe)' in ignoring.clients[0].trace
    ok, text = faults.verdict(case, {"C": c, "Python": ignoring})
    assert not ok and "killed by SIGPIPE vs exit 0" in text


# --- signals ---------------------------------------------------------------------------------------

def _signal_kills_both_alike(matrix, name, sig, syscall):
    for impl, result in both(matrix, name):
        server = result.servers[0]
        assert server.signal == sig and server.stderr == b"", (impl, server.outcome(), server.stderr)
        assert server.stdout == NEW_CLIENT, impl  # stdbuf -oL: the line was written before the signal
        assert server.trace[-3].startswith(f"{syscall}(fd") and "ERESTARTSYS" in server.trace[-3], impl
        assert server.trace[-1] == f"+++ killed by {signal.Signals(sig).name} +++", impl


def test_sigint_in_accept(matrix):
    _signal_kills_both_alike(matrix, "sigint-in-accept", signal.SIGINT, "accept")


def test_sigterm_in_accept(matrix):
    _signal_kills_both_alike(matrix, "sigterm-in-accept", signal.SIGTERM, "accept")


def test_sigint_in_read(matrix):
    _signal_kills_both_alike(matrix, "sigint-in-read", signal.SIGINT, "read")


def test_sigterm_in_read(matrix):
    _signal_kills_both_alike(matrix, "sigterm-in-read", signal.SIGTERM, "read")


# A port server that keeps Python's SIGINT handler: main() called without the __main__ block.
SIGINT_CAUGHT_SERVER = [sys.executable, "-c", "import sys; sys.path.insert(0, 'Linux'); import echo_server; "
                        "sys.exit(echo_server.main(2, [b'echo_server.py', b'3600']))"]


def test_the_sigint_case_sees_a_port_that_keeps_pythons_handler(matrix):
    """Without the ports' SIG_DFL reset, SIGINT in read() becomes a KeyboardInterrupt traceback."""
    case = faults.BY_NAME["sigint-in-read"]
    runs = case.runs("Python")
    caught = echo_runs.run_scenario([echo_runs.Server(SIGINT_CAUGHT_SERVER)], runs.clients, **runs.options)
    assert b"KeyboardInterrupt" in caught.servers[0].stderr, (caught.servers[0].outcome(), caught.servers[0].stderr)
    ok, text = faults.verdict(case, {"C": matrix[case.name]["C"], "Python": caught})
    assert not ok, text


def test_sigterm_in_read_buffered(matrix):
    """Without stdbuf, libc holds the printf line in its buffer: a signal death loses it in both."""
    for impl, result in both(matrix, "sigterm-in-read-buffered"):
        server = result.servers[0]
        assert server.signal == signal.SIGTERM and server.stdout == b"", impl
        assert not any(line.startswith("write(1,") for line in server.trace), impl


# --- the client's own faults -----------------------------------------------------------------------

def test_client_no_server(matrix):
    for impl, result in both(matrix, "client-no-server"):
        client = result.clients[0]
        assert client.status == 1 and client.stderr == b"connect error :: Connection refused\n", impl


def test_client_stdin_eof(matrix):
    for impl, result in both(matrix, "client-stdin-eof"):
        client = result.clients[0]
        assert client.stdout == b"read : " and client.received == b"\0" * 1024 and client.status == 0, impl


def test_client_stdin_closed(matrix):
    """fd 0 closed: socket() returns 0 and read(0) waits on the socket while the server waits in read()."""
    for impl, result in both(matrix, "client-stdin-closed"):
        server, client = result.servers[0], result.clients[0]
        assert client.trace[0] == "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 0", (impl, client.trace)
        assert client.trace[-2].startswith("read(0, "), (impl, client.trace)  # blocked there when killed
        assert client.trace[-1] == "+++ killed by SIGKILL +++", (impl, client.trace)
        assert client.timed_out and client.signal == signal.SIGKILL, impl
        assert 'read(fd4, "", 1024) = 0' in server.trace, impl  # the kill closed the socket


# --- the module itself -----------------------------------------------------------------------------

def test_verdict_sees_a_difference(matrix):
    case = faults.BY_NAME["one-byte-and-wait"]
    c = matrix[case.name]["C"]
    changed = echo_runs.Run(**{**vars(c.servers[0]), "stderr": b"oops\n"})
    ok, text = faults.verdict(case, {"C": c, "Python": echo_runs.ScenarioResult([changed], list(c.clients))})
    assert not ok and "server stderr differs" in text
    burst = faults.BY_NAME["200-at-once"]
    c = matrix[burst.name]["C"]
    refused = echo_runs.Run(**{**vars(c.clients[0]), "stdout": b"200 connections: 199 echoed, 1 refused\n"})
    ok, text = faults.verdict(burst, {"C": c, "Python": echo_runs.ScenarioResult(list(c.servers), [refused])})
    assert not ok and "refused" in text


def test_documented_difference_that_vanished_is_reported(matrix):
    c = matrix["port-70000"]["C"]
    ok, text = faults.verdict(faults.BY_NAME["port-70000"], {"C": c, "Python": c})
    assert not ok and "update it" in text


def test_table_has_a_row_per_case(matrix):
    text, ok = faults.table(matrix)
    assert ok, text
    rows = text.split("\n")[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == [case.name for case in faults.CASES]


def test_errata_carries_a_row_per_case_and_each_documented_difference():
    with open(faults.ERRATA, encoding="utf-8") as f:
        text = f.read()
    table = text[text.index(faults.ERRATA_BEGIN):text.index(faults.ERRATA_END)]
    rows = [line.split(" | ")[0].lstrip("| ") for line in table.split("\n")[3:] if line.startswith("| ")]
    assert rows == [case.name for case in faults.CASES]
    section = text[text.index("## Fault matrix"):]
    for name, documented in faults.DOCUMENTED.items():
        assert f"`{name}`" in text, name
        if "(F" in documented.anchor:
            assert "| " + documented.anchor.split("(")[1].rstrip(")") + " |" in section, documented.anchor


def test_write_errata_replaces_only_the_table(tmp_path):
    path = tmp_path / "ERRATA.md"
    path.write_text("before\n" + faults.ERRATA_BEGIN + "old\n" + faults.ERRATA_END + "after\n")
    faults.write_errata("new\n", str(path))
    assert path.read_text() == "before\n" + faults.ERRATA_BEGIN + "new\n" + faults.ERRATA_END + "after\n"


def test_tally_parses_the_peer_line():
    assert faults._tally(b"200 connections: 78 echoed, 122 timeout\nthe last one ended after 14.5 s\n") == \
        {"echoed": 78, "timeout": 122}


def test_main_prints_the_table_and_exits_0(tools):
    done = subprocess.run([sys.executable, "-m", "csock.faults", "--case", "one-byte-and-wait"],
                          capture_output=True, timeout=120, cwd=echo_runs.REPO,
                          env={**os.environ, "PYTHONPATH": echo_runs.REPO})
    assert done.returncode == 0, done.stderr
    assert b"| one-byte-and-wait | server: killed by SIGTERM" in done.stdout
    assert b"verdict: same" in done.stdout  # --case prints the details

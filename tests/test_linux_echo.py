"""The book's Linux echo programs: C originals and Python ports do the same, syscall for syscall.

Each scenario runs in its own network namespace (unshare -n, lo only) under strace; see
csock.echo_runs. Without unshare/strace/root these tests skip locally and FAIL in CI (CI=true).
"""
import os
import signal
import subprocess
import sys

import pytest

from csock import compare, echo_runs

BY_NAME = {scenario.name: scenario for scenario in echo_runs.SCENARIOS}


@pytest.fixture(scope="module")
def results(tools):
    """Every scenario x pairing, run once for this module: {name: {(server, client): ScenarioResult}}."""
    return compare.run_all(jobs=4)


def _each(results, name):
    return list(results[name].items())


# --- build -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["echo_server", "echo_client"])
def test_originals_compile_with_gcc_wall(tmp_path, name):
    source = os.path.join(echo_runs.REPO, "csrc", "Linux", name + ".c")
    done = subprocess.run(["gcc", "-Wall", "-o", str(tmp_path / name), source], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
    # The one warning is the book's own: int client_len passed to accept() as socklen_t *.
    warnings = [line for line in done.stderr.splitlines() if "warning:" in line]
    assert all("-Wpointer-sign" in line for line in warnings), warnings


def test_every_change_made_to_compile_is_marked():
    for name in ("echo_server.c", "echo_client.c"):
        with open(os.path.join(echo_runs.REPO, "csrc", "Linux", name), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip().startswith("}") or line.strip().startswith("{"):
                    assert "restored" in line, f"{name}:{number}: brace without a 'restored' mark: {line!r}"
                if "<stdlib.h>" in line or ("<unistd.h>" in line and name == "echo_server.c"):
                    assert "restored" in line, f"{name}:{number}: added header without a mark: {line!r}"


# --- the proof: every pairing identical --------------------------------------------------------------

@pytest.mark.parametrize("name", list(BY_NAME))
def test_scenario_is_identical_in_every_pairing(results, name):
    ok, text = compare.scenario_verdict(BY_NAME[name], results[name])
    assert ok, f"{name}: {text}"


def test_the_comparison_sees_a_difference(results):
    """first_difference must not be blind: one changed byte or syscall is reported."""
    reference = results["echo"][("C", "C")]
    assert echo_runs.first_difference(reference, results["echo"][("Python", "Python")]) is None
    changed = echo_runs.ScenarioResult(servers=list(reference.servers), clients=[
        echo_runs.Run(**{**vars(reference.clients[0]), "stdout": reference.clients[0].stdout + b"!"})])
    assert "client stdout differs" in echo_runs.first_difference(reference, changed)
    trace = list(reference.servers[0].trace)
    trace[5] = trace[5].replace("1024", "1023")
    changed = echo_runs.ScenarioResult(servers=[echo_runs.Run(**{**vars(reference.servers[0]), "trace": trace})],
                                       clients=list(reference.clients))
    assert "server syscalls differ: first difference at syscall 6" in echo_runs.first_difference(reference, changed)
    assert echo_runs.first_difference(reference, results["empty-stdin"][("C", "C")]) is not None


# --- the originals' quirks, the same in C and Python ---------------------------------------------

def test_1024_bytes_written_back_whatever_was_sent(results):
    typed = BY_NAME["echo"].stdin
    padded = typed + b"\0" * (1024 - len(typed))
    for pairing, result in _each(results, "echo"):
        server, client = result.servers[0], result.clients[0]
        assert server.received == padded and client.received == padded, pairing
        assert "write(fd4, \"hello, socket\\x0a<x00*1010>\", 1024) = 1024" in server.trace, pairing
        assert client.stdout == b"read : hello, socket\n" and client.status == 0, pairing
        assert server.stdout == b"New Client Connect: 127.0.0.1\n", pairing
        assert server.signal == signal.SIGTERM, pairing  # while(1): only a signal ends it


def test_second_server_on_a_busy_port_waits_forever_unnoticed(results):
    for pairing, result in _each(results, "busy-port"):
        first, second = result.servers
        assert first.stdout == b"New Client Connect: 127.0.0.1\n", pairing
        assert second.stdout == b"" and second.stderr == b"" and second.received == b"", pairing
        assert second.trace[1].endswith("= -1 EADDRINUSE (Address already in use)"), (pairing, second.trace)
        assert second.trace[2] == "listen(fd3, 5) = 0", pairing  # listen() binds an ephemeral port instead
        assert second.trace[3].startswith("accept(fd3, ") and "= ?" in second.trace[3], pairing
        assert result.clients[0].stdout == b"read : hello\n", pairing


def test_more_than_1023_bytes_typed(results):
    typed = BY_NAME["long-input"].stdin
    for (server_impl, client_impl), result in _each(results, "long-input"):
        server, client = result.servers[0], result.clients[0]
        assert server.received == typed[:1024], (server_impl, client_impl)  # the rest is never read
        assert client.received == typed[:1024]
        if client_impl == "C":  # printf's %s runs past buf: what follows is whatever lies after it
            assert client.status == 0 and client.stdout.startswith(b"read : " + typed[:1024])
        else:
            assert client.status == 1 and client.stdout == b""
            assert client.stderr == echo_runs.NO_NUL_REFUSAL


def test_empty_stdin_sends_1024_zero_bytes(results):
    for pairing, result in _each(results, "empty-stdin"):
        server, client = result.servers[0], result.clients[0]
        assert 'read(0, "", 1024) = 0' in client.trace, pairing
        assert server.received == b"\0" * 1024 and client.received == b"\0" * 1024, pairing
        assert client.stdout == b"read : " and client.status == 0, pairing


def test_client_without_server(results):
    for pairing, result in _each(results, "no-server"):
        client = result.clients[0]
        assert client.status == 1 and client.stdout == b"", pairing
        assert client.stderr == b"connect error :: Connection refused\n", pairing
        assert client.trace[1].endswith("= -1 ECONNREFUSED (Connection refused)"), pairing


def test_write_error_closes_the_client_socket_twice(results):
    for pairing, result in _each(results, "reset-before-echo"):
        server = result.servers[0]
        assert server.stderr == b"write error : : Connection reset by peer\n", pairing
        assert server.received == b"A" * 1024 + b"B" * 1024, pairing
        failed = server.trace.index('write(fd4, "<x42*1024>", 1024) = -1 ECONNRESET (Connection reset by peer)')
        closes = [line for line in server.trace[failed:] if line.startswith("close(fd4)")]
        assert closes == ["close(fd4) = 0", "close(fd4) = -1 EBADF (Bad file descriptor)"], pairing


def test_missing_port_argument(tools):
    """C: atoi(NULL) after socket() crashes. The port: a one-line usage error, exit 2, before any socket."""
    c, py, problems = echo_runs.missing_port_problems()
    assert c.signal == signal.SIGSEGV, c.outcome()
    assert c.trace[0].startswith("socket(")
    assert (py.status, py.stdout, py.stderr, py.trace) == (2, b"", b"usage: echo_server.py PORT\n", [])
    assert problems == []


# A client that prints the signal dispositions of whoever listens on the book's port (ss shows its pid).
SIGNAL_DISPOSITIONS = ["sh", "-c", 'pid=$(ss -ltnpH "sport = :3600" | grep -o "pid=[0-9]*" | cut -d= -f2); '
                       'grep -E "^Sig(Blk|Ign|Cgt)" /proc/$pid/status']


def test_port_starts_with_the_signal_dispositions_of_c(tools):
    """Python ignores SIGPIPE and SIGXFSZ and catches SIGINT; the ports put C's defaults back."""
    seen = {}
    for impl in echo_runs.IMPLEMENTATIONS:
        client = echo_runs.run_scenario([echo_runs.program(impl, "echo_server", "3600")], [SIGNAL_DISPOSITIONS]).clients[0]
        assert client.status == 0 and b"SigIgn:" in client.stdout, (impl, client.stdout, client.stderr)
        seen[impl] = client.stdout
    assert seen["Python"] == seen["C"]


def test_sigint_ends_both_servers_alike(tools):
    runs = {}
    for impl in echo_runs.IMPLEMENTATIONS:
        result = echo_runs.run_scenario([echo_runs.program(impl, "echo_server", "3600")],
                                        [echo_runs.Client(echo_runs.program("C", "echo_client"), b"x\n")],
                                        stop_signal=signal.SIGINT)
        runs[impl] = result.servers[0]
        assert runs[impl].signal == signal.SIGINT and runs[impl].stderr == b"", (impl, runs[impl].stderr)
    assert runs["Python"].trace == runs["C"].trace
    assert runs["Python"].stdout == runs["C"].stdout


# --- pieces of the runner that need no namespace -----------------------------------------------------

STRACE_LOG = """\
101 read(3, "\\x7f\\x45\\x4c\\x46", 832) = 832
101 close(3)                          = 0
101 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5
101 bind(5, {sa_family=AF_INET, sin_port=htons(3600), sin_addr=inet_addr("\\x30\\x2e\\x30\\x2e\\x30\\x2e\\x30")}, 16) = 0
101 accept(5, {sa_family=AF_INET, sin_port=htons(41000), sin_addr=inet_addr("\\x31")}, [16]) = 7
101 read(7, "\\x68\\x69\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00", 10) = 10
101 read(0, "\\x41\\x41", 2) = 2
101 close(7)                          = 0
101 accept(5, 0x7ffd1234, [16] <unfinished ...>
102 write(1, "\\x78", 1) = 1
101 <... accept resumed>) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
101 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=99, si_uid=0} ---
101 +++ killed by SIGTERM +++
"""


def test_parse_trace_normalises_and_collects_received_bytes():
    trace, received = echo_runs.parse_trace(STRACE_LOG)
    assert trace == [
        "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = fd3",
        'bind(fd3, {sa_family=AF_INET, sin_port=htons(3600), sin_addr=inet_addr("0.0.0.0")}, 16) = 0',
        'accept(fd3, {sa_family=AF_INET, sin_port=htons(EPHEMERAL), sin_addr=inet_addr("1")}, [16]) = fd4',
        'read(fd4, "hi<x00*8>", 10) = 10',
        'read(0, "AA", 2) = 2',
        "close(fd4) = 0",
        'write(1, "x", 1) = 1',
        "accept(fd3, 0xADDR, [16]) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
        "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=N, si_uid=N} ---",
        "+++ killed by SIGTERM +++",
    ]
    assert received == b"hi" + b"\0" * 8  # stdin is not a socket


def test_render_bytes_is_exact_and_short():
    assert echo_runs.render_bytes(b"ab\n" + b"\0" * 9 + b'"<\\') == '"ab\\x0a<x00*9>\\x22\\x3c\\x5c"'


def test_side_by_side_lines_up_both_files():
    text = compare.side_by_side("Linux/echo_server.py")
    rows = text.split("\n")
    assert "csrc/Linux/echo_server.c" in rows[0] and "Linux/echo_server.py" in rows[0]
    row15 = next(r for r in rows if r.startswith(" 15 "))
    assert "socket (AF_INET, SOCK_STREAM, IPPROTO_TCP) ) == -1){" in row15
    assert row15.split(" | ", 1)[1].strip().startswith("if (server_sockfd := socket (")


def test_compare_main_reports_a_missing_pair():
    with pytest.raises(SystemExit, match="no port pair named"):
        compare.main(["--side-by-side", "no_such_program"])


def test_ports_need_no_namespace_to_show_usage():
    done = subprocess.run([sys.executable, os.path.join(echo_runs.PORT_DIR, "echo_server.py")],
                          capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (2, b"", b"usage: echo_server.py PORT\n")

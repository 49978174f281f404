"""The book's Linux echo programs: C originals and Python ports do the same, syscall for syscall.

The scenarios come from descriptions/Linux/echo_{server,client}.toml (group "compare"); each run happens in
its own network namespace (unshare -rn, lo only) under strace: csock_compare.runner. Without unshare/strace
these tests skip locally and FAIL in CI (CI=true).
"""
import os
import signal
import subprocess
import sys

import pytest

from csock_compare import compare, description, errata, listing, report, runner, strace
from csock_compare.normalise import render_bytes

FOLDER = os.path.join(description.default_folder(), "Linux")
SERVER = description.load(os.path.join(FOLDER, "echo_server.toml"))
CLIENT = description.load(os.path.join(FOLDER, "echo_client.toml"))
SCENARIOS = {s.name: s for s in compare.scenarios_of([CLIENT, SERVER], "compare")}


@pytest.fixture(scope="module")
def results(tools):
    """Every compare scenario x side assignment, run once for this module: {name: [ScenarioResult]}."""
    found = runner.run_all(list(SCENARIOS.values()), jobs=4)
    return {scenario.name: runs for scenario, runs in found.items()}


def _each(results, name):
    return [(SCENARIOS[name].run_name(result.sides), result) for result in results[name]]


# --- build -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("program", [SERVER.program, CLIENT.program], ids=lambda p: p.name)
def test_originals_compile_with_gcc_wall(tmp_path, program):
    done = subprocess.run(["gcc", "-Wall", "-o", str(tmp_path / program.name), program.c], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
    # The one warning is the book's own: int client_len passed to accept() as socklen_t *.
    warnings = [line for line in done.stderr.splitlines() if "warning:" in line]
    assert all("-Wpointer-sign" in line for line in warnings), warnings


def test_every_change_made_to_compile_is_marked():
    for program in (SERVER.program, CLIENT.program):
        name = os.path.basename(program.c)
        with open(program.c, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip().startswith("}") or line.strip().startswith("{"):
                    assert "restored" in line, f"{name}:{number}: brace without a 'restored' mark: {line!r}"
                if "<stdlib.h>" in line or ("<unistd.h>" in line and name == "echo_server.c"):
                    assert "restored" in line, f"{name}:{number}: added header without a mark: {line!r}"


# --- the proof: every side assignment identical ------------------------------------------------------

@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_is_identical_or_documented(results, name):
    found = report.verdict(SCENARIOS[name], results[name])
    assert found.ok, f"{name}: {found.text}"


def test_the_comparison_sees_a_difference(results):
    """first_difference must not be blind: one changed byte or syscall is reported."""
    reference = results["echo"][0]
    assert report.first_difference(reference, results["echo"][-1]) is None
    server, client = reference.processes
    changed = runner.ScenarioResult([server, runner.Run(**{**vars(client), "stdout": client.stdout + b"!"})])
    assert "client stdout differs" in report.first_difference(reference, changed)
    trace = list(server.trace)
    trace[5] = trace[5].replace("1024", "1023")
    changed = runner.ScenarioResult([runner.Run(**{**vars(server), "trace": trace}), client])
    assert "server syscalls differ: first difference at syscall 6" in report.first_difference(reference, changed)
    assert report.first_difference(reference, results["empty-stdin"][0]) is not None


# --- the originals' quirks, the same in C and Python ---------------------------------------------

def test_1024_bytes_written_back_whatever_was_sent(results):
    typed = SCENARIOS["echo"].processes[1].stdin
    padded = typed + b"\0" * (1024 - len(typed))
    for pairing, result in _each(results, "echo"):
        server, client = result.processes
        assert server.received == padded and client.received == padded, pairing
        assert "write(fd4, \"hello, socket\\x0a<x00*1010>\", 1024) = 1024" in server.trace, pairing
        assert client.stdout == b"read : hello, socket\n" and client.status == 0, pairing
        assert server.stdout == b"New Client Connect: 127.0.0.1\n", pairing
        assert server.signal == signal.SIGTERM, pairing  # while(1): only a signal ends it


def test_second_server_on_a_busy_port_waits_forever_unnoticed(results):
    for pairing, result in _each(results, "busy-port"):
        first, second, client = result.processes
        assert first.stdout == b"New Client Connect: 127.0.0.1\n", pairing
        assert second.stdout == b"" and second.stderr == b"" and second.received == b"", pairing
        assert second.trace[1].endswith("= -1 EADDRINUSE (Address already in use)"), (pairing, second.trace)
        assert second.trace[2] == "listen(fd3, 5) = 0", pairing  # listen() binds an ephemeral port instead
        assert second.trace[3].startswith("accept(fd3, ") and "= ?" in second.trace[3], pairing
        assert client.stdout == b"read : hello\n", pairing


def test_more_than_1023_bytes_typed(results):
    scenario = SCENARIOS["long-input"]
    typed = scenario.processes[1].stdin
    (kind, params), = errata.of(scenario)
    for pairing, result in _each(results, "long-input"):
        server, client = result.processes
        assert server.received == typed[:1024], pairing  # the rest is never read
        assert kind.check(result, scenario, params) == [], pairing  # C prints past buf, the port refuses
        assert client.status == (0 if result.sides[1] == "C" else 1), pairing


def test_empty_stdin_sends_1024_zero_bytes(results):
    for pairing, result in _each(results, "empty-stdin"):
        server, client = result.processes
        assert 'read(0, "", 1024) = 0' in client.trace, pairing
        assert server.received == b"\0" * 1024 and client.received == b"\0" * 1024, pairing
        assert client.stdout == b"read : " and client.status == 0, pairing


def test_client_without_server(results):
    for pairing, result in _each(results, "no-server"):
        client, = result.processes
        assert client.status == 1 and client.stdout == b"", pairing
        assert client.stderr == b"connect error :: Connection refused\n", pairing
        assert client.trace[1].endswith("= -1 ECONNREFUSED (Connection refused)"), pairing


def test_write_error_closes_the_client_socket_twice(results):
    for pairing, result in _each(results, "reset-before-echo"):
        server = result.processes[0]
        assert server.stderr == b"write error : : Connection reset by peer\n", pairing
        assert server.received == b"A" * 1024 + b"B" * 1024, pairing
        failed = server.trace.index('write(fd4, "<x42*1024>", 1024) = -1 ECONNRESET (Connection reset by peer)')
        closes = [line for line in server.trace[failed:] if line.startswith("close(fd4)")]
        assert closes == ["close(fd4) = 0", "close(fd4) = -1 EBADF (Bad file descriptor)"], pairing


def test_missing_port_argument(results):
    """C: atoi(NULL) after socket() crashes. The port: a one-line usage error, exit 2, before any socket."""
    scenario = SCENARIOS["port-missing"]
    c, port = (result.processes[0] for result in results["port-missing"])
    assert c.signal == signal.SIGSEGV and c.trace[0].startswith("socket("), c.outcome()
    assert (port.status, port.stdout, port.stderr, port.trace) == (2, b"", b"usage: echo_server.py PORT\n", [])
    assert report.verdict(scenario, results["port-missing"]).kind == report.DOCUMENTED


# A client that prints the signal dispositions of whoever listens on the book's port (ss shows its pid).
SIGNAL_DISPOSITIONS = {"argv": ["sh", "-c", 'pid=$(ss -ltnpH "sport = :3600" | grep -o "pid=[0-9]*" | cut -d= -f2); '
                                'grep -E "^Sig(Blk|Ign|Cgt)" /proc/$pid/status']}


def _server_then(client_argv, side, stop_signal=signal.SIGTERM):
    """The raw runs of the book's server on side, then a client of the test's own (untraced)."""
    spec = runner.spec_of(SERVER.scenario("sigterm-in-accept"), {0: side})
    spec["processes"][1].update(argv=client_argv)
    spec["stop_signal"] = int(stop_signal)
    return runner.run_spec(spec)


def test_port_starts_with_the_signal_dispositions_of_c(tools):
    """Python ignores SIGPIPE and SIGXFSZ and catches SIGINT; the ports put C's defaults back."""
    import base64
    seen = {}
    for side in description.SIDES:
        client = _server_then(SIGNAL_DISPOSITIONS["argv"], side)[1]
        stdout = base64.b64decode(client["stdout"])
        assert client["status"] == 0 and b"SigIgn:" in stdout, (side, stdout, client["stderr"])
        seen[side] = stdout
    assert seen["port"] == seen["C"]


def test_sigint_ends_both_servers_alike(tools):
    scenario = SERVER.scenario("sigint-in-accept")
    c, port = (runner.run(scenario, sides).processes[0] for sides in scenario.runs())
    assert c.signal == port.signal == signal.SIGINT and c.stderr == port.stderr == b""
    assert port.trace == c.trace and port.stdout == c.stdout


# --- pieces of the runner that need no namespace -----------------------------------------------------

STRACE_LOG = """\
read(3, "\\x7f\\x45\\x4c\\x46", 832) = 832
close(3)                          = 0
socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5
bind(5, {sa_family=AF_INET, sin_port=htons(3600), sin_addr=inet_addr("\\x30\\x2e\\x30\\x2e\\x30\\x2e\\x30")}, 16) = 0
accept(5, {sa_family=AF_INET, sin_port=htons(41000), sin_addr=inet_addr("\\x31")}, [16]) = 7
read(7, "\\x68\\x69\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00", 10) = 10
read(0, "\\x41\\x41", 2) = 2
close(7)                          = 0
write(1, "\\x78", 1) = 1
accept(5, 0x7ffd1234, [16] <unfinished ...>
<... accept resumed>) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=99, si_uid=0} ---
+++ killed by SIGTERM +++
"""


def test_parse_trace_normalises_and_collects_received_bytes():
    trace, received = strace.parse_trace(STRACE_LOG, description.DEFAULT_TRACE)
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


def test_forked_processes_are_split_and_renumbered_each_on_its_own(tmp_path):
    """strace -ff: one log per process; the child's descriptors are named from fd3 again, its socket inherited."""
    (tmp_path / "t.100").write_text("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5\naccept(5, NULL, NULL) = 6\n"
                                    "clone(child_stack=NULL, flags=SIGCHLD) = 101\nclose(6) = 0\n"
                                    "+++ exited with 0 +++\n")
    (tmp_path / "t.101").write_text('read(6, "\\x61", 1) = 1\nclose(6) = 0\n+++ exited with 0 +++\n')
    main, child = strace.processes(str(tmp_path / "t"), description.DEFAULT_TRACE)
    assert main.trace == ["socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = fd3", "accept(fd3, NULL, NULL) = fd4",
                          "close(fd4) = 0", "+++ exited with 0 +++"]
    assert child.trace == ['read(fd3, "a", 1) = 1', "close(fd3) = 0", "+++ exited with 0 +++"]
    assert child.received == b"a"


def test_render_bytes_is_exact_and_short():
    assert render_bytes(b"ab\n" + b"\0" * 9 + b'"<\\') == '"ab\\x0a<x00*9>\\x22\\x3c\\x5c"'


def test_side_by_side_lines_up_both_files():
    text = listing.side_by_side(listing.find_program("Linux/echo_server.py"))
    rows = text.split("\n")
    assert "csrc/Linux/echo_server.c" in rows[0] and "Linux/echo_server.py" in rows[0]
    row15 = next(r for r in rows if r.startswith(" 15 "))
    assert "socket (AF_INET, SOCK_STREAM, IPPROTO_TCP) ) == -1){" in row15
    assert row15.split(" | ", 1)[1].strip().startswith("if (server_sockfd := socket (")


def test_compare_main_reports_a_missing_pair():
    with pytest.raises(SystemExit, match="no port pair named"):
        compare.main(["--side-by-side", "no_such_program"])


def test_ports_need_no_namespace_to_show_usage():
    done = subprocess.run([sys.executable, SERVER.program.port], capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (2, b"", b"usage: echo_server.py PORT\n")


def test_descriptors_inside_arguments_are_named_too():
    log = ("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5\n"
           "poll([{fd=5, events=POLLIN}], 1, -1) = 1 ([{fd=5, revents=POLLIN}])\n"
           "epoll_wait(7, [], 1, 0) = 0\n")
    trace, _ = strace.parse_trace(log, ("socket", "poll", "epoll_wait"))
    assert trace == ["socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = fd3",
                     "poll([{fd=fd3, events=POLLIN}], 1, -1) = 1 ([{fd=fd3, revents=POLLIN}])",
                     "epoll_wait(fd4, [], 1, 0) = 0"]

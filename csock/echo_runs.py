"""Runs servers and clients in a private network namespace under strace, and records what each one did.

`run_scenario(servers, clients)` starts each server (traced, stdout line-buffered through stdbuf so a
killed server keeps its printf output), waits until it listens, runs each client with its stdin,
waits until every server is blocked in accept() again, then stops the servers with a signal sent
to the traced process (strace itself ignores SIGTERM). Everything runs inside `unshare -rn` with
only `lo` up, so the book's fixed ports (3600) touch nothing outside. `run_pair` is the one
server, one client case.

What each process did comes back as a `Run`: exit status or signal, stdout, stderr, the bytes it
read from its sockets, and its socket-related syscalls from the first socket() on, normalised so
that two programs doing the same thing give equal lists (fds renumbered in order of appearance,
pointers, pids and ephemeral ports replaced). The received bytes are taken from the traced
read()/recvfrom() buffers (strace -s 65536 -xx shows them whole), so no extra peer is needed.

For the fault cases (csock.faults): a `Server(argv, traced=False)` runs without strace (fast, for
thousands of connections; where it is blocked is then read from /proc/PID/syscall), with
`line_buffered=False` without stdbuf, with `stdout_broken_pipe=True` writing into a pipe nobody reads,
with `strace_options` such as a delay injected into write(); a `Client(..., background=True)` keeps
running while the servers are stopped, and `run_scenario(..., stop_when="read")` signals the servers
once they are blocked in read() on such a client's connection; `Client(stdin_closed=True)` starts
with fd 0 closed.

The driver that runs inside the namespace is this module: `python -m csock.echo_runs --inside`
reads a JSON spec on stdin and writes the JSON result on stdout.
"""
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C_BUILD_DIR = os.path.join(REPO, "build", "c", "Linux")
PORT_DIR = os.path.join(REPO, "Linux")

TRACED = ("socket", "bind", "listen", "accept", "accept4", "connect", "read", "write", "close",
          "recvfrom", "sendto", "shutdown")
TOOLS = ("unshare", "strace", "ip", "stdbuf", "make", "gcc")

# Children must not see PYTHONUNBUFFERED: it adds write() calls to anything printing through Python.
_DROPPED_ENV = ("PYTHONUNBUFFERED",)


# --- results ---------------------------------------------------------------------------------------

@dataclass
class Run:
    """What one process did."""
    argv: List[str]
    status: Optional[int]  # exit status, None when a signal ended it
    signal: Optional[int]  # the signal that ended it, None when it exited
    stdout: bytes
    stderr: bytes
    received: bytes  # every byte it read from a socket, in order
    trace: List[str]  # normalised syscalls from the first socket() on
    timed_out: bool = False  # a client that had to be killed

    def outcome(self):
        if self.signal is not None:
            return f"killed by {signal.Signals(self.signal).name}"
        return f"exit {self.status}"


@dataclass
class ScenarioResult:
    servers: List[Run] = field(default_factory=list)
    clients: List[Run] = field(default_factory=list)


@dataclass
class Client:
    argv: Sequence[str]
    stdin: bytes = b""
    timeout: float = 10.0
    traced: bool = True  # False: run without strace (faster; its Run then has no trace and no received bytes)
    background: bool = False  # True: left running while the next clients run and the servers are stopped
    stdin_closed: bool = False  # True: started with fd 0 closed (stdin is then ignored)
    stdout_broken_pipe: bool = False  # True: stdout is a pipe whose reader is gone (its stdout is then empty)


@dataclass
class Server:
    """A server with options; run_scenario also takes a plain argv, meaning Server(argv)."""
    argv: Sequence[str]
    traced: bool = True  # False: no strace (its Run has no trace and no received bytes)
    line_buffered: bool = True  # False: no stdbuf -oL, so libc fully buffers its stdout into the file
    stdout_broken_pipe: bool = False  # True: stdout is a pipe whose reader is gone
    strace_options: Sequence[str] = ()  # more strace options when traced, e.g. ("-e", "inject=write:delay_enter=1s")


# --- public entry points ---------------------------------------------------------------------------

class ToolMissing(RuntimeError):
    pass


def check_tools():
    """Raise ToolMissing naming what the runs need and this machine lacks."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise ToolMissing(f"missing: {', '.join(missing)} "
                          "(apt-get install strace iproute2 util-linux coreutils make gcc)")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        raise ToolMissing("`unshare -rn` failed (unprivileged user namespaces disabled?): "
                          + probe.stderr.decode(errors="replace").strip())


STOP_WHEN = ("accept", "read")


def run_scenario(servers, clients, *, stop_signal=signal.SIGTERM, start_timeout=10.0, idle_timeout=5.0,
                 timeout=60.0, stop_when="accept"):
    """Run servers (Server or argv, started in order) then clients (Client or argv) in a fresh network namespace.

    Returns a ScenarioResult. Servers are stopped with stop_signal sent to the traced process once
    every foreground client has finished and every server waits in accept() again (stop_when="read":
    in read(), e.g. on a background client's connection), or idle_timeout passed. Background clients
    are then waited for, each up to its timeout.
    """
    if stop_when not in STOP_WHEN:
        raise ValueError(f"stop_when must be one of {STOP_WHEN}, not {stop_when!r}")
    spec = {
        "servers": [_server_spec(s) for s in servers],
        "clients": [_client_spec(c) for c in clients],
        "stop_signal": int(stop_signal),
        "start_timeout": start_timeout,
        "idle_timeout": idle_timeout,
        "stop_when": stop_when,
    }
    proc = subprocess.Popen(["unshare", "-rn", "--", sys.executable, "-m", "csock.echo_runs", "--inside"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_child_env(), cwd=REPO, start_new_session=True)
    try:
        out, err = proc.communicate(json.dumps(spec).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver leads the group that holds every traced process
        proc.communicate()
        raise TimeoutError(f"scenario did not finish within {timeout} s: {spec}") from None
    if proc.returncode != 0:
        raise RuntimeError(f"scenario driver failed ({proc.returncode}): {err.decode(errors='replace')}")
    data = json.loads(out)
    return ScenarioResult(servers=[_run_from_json(r) for r in data["servers"]],
                          clients=[_run_from_json(r) for r in data["clients"]])


def run_pair(server_cmd, client_cmd, stdin=b"", **kwargs):
    """One server, one client: run_scenario([server_cmd], [Client(client_cmd, stdin)])."""
    return run_scenario([server_cmd], [Client(client_cmd, stdin)], **kwargs)


def _client_spec(client):
    if not isinstance(client, Client):
        client = Client(client)
    return {"argv": list(map(str, client.argv)), "stdin": base64.b64encode(client.stdin).decode(),
            "timeout": client.timeout, "traced": client.traced, "background": client.background,
            "stdin_closed": client.stdin_closed, "stdout_broken_pipe": client.stdout_broken_pipe}


def _server_spec(server):
    if not isinstance(server, Server):
        server = Server(server)
    return {"argv": list(map(str, server.argv)), "traced": server.traced, "line_buffered": server.line_buffered,
            "stdout_broken_pipe": server.stdout_broken_pipe, "strace_options": list(server.strace_options)}


def _child_env():
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["PYTHONPATH"] = REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _run_from_json(r):
    return Run(argv=r["argv"], status=r["status"], signal=r["signal"], stdout=base64.b64decode(r["stdout"]),
               stderr=base64.b64decode(r["stderr"]), received=base64.b64decode(r["received"]),
               trace=r["trace"], timed_out=r["timed_out"])


# --- the two implementations of each book program ----------------------------------------------------

IMPLEMENTATIONS = ("C", "Python")


def program(impl, name, *args):
    """argv of the C original (build/c/Linux/NAME) or of its port (python Linux/NAME.py)."""
    if impl == "C":
        return [os.path.join(C_BUILD_DIR, name), *args]
    if impl == "Python":
        return [sys.executable, os.path.join(PORT_DIR, name + ".py"), *args]
    raise ValueError(f"implementation must be one of {IMPLEMENTATIONS}, not {impl!r}")


def build_c():
    """Build the originals (make -C csrc); return make's output. Raises CalledProcessError on failure."""
    done = subprocess.run(["make", "-C", os.path.join(REPO, "csrc")], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return done.stdout + done.stderr



def prepare():
    """Ready this process to run scenarios: PYTHONUNBUFFERED dropped (it would add write() calls to the ports),
    the tools checked (raises ToolMissing), the originals built."""
    os.environ.pop("PYTHONUNBUFFERED", None)
    check_tools()
    build_c()

# --- the book's scenarios ---------------------------------------------------------------------------

BOOK_PORT = "3600"


# Clients of the test's own (stdlib socket, not csock). This one makes the server's write() fail
# every time: connection A holds the server in read() while connection B sends 1024 bytes and is
# reset (SO_LINGER 0) in the listen queue; once A's echo is done, the server accepts B, reads its
# bytes (still readable after the reset) and its write() fails with ECONNRESET.
RESET_PEER = """
import socket, struct
a = socket.create_connection(("127.0.0.1", 3600), timeout=10)
b = socket.socket()
b.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
b.connect(("127.0.0.1", 3600))
b.sendall(b"B" * 1024)
b.close()
a.sendall(b"A" * 1024)
echo = b""
while len(echo) < 1024:
    chunk = a.recv(1024 - len(echo))
    if not chunk:
        break
    echo += chunk
a.close()
print(len(echo))
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    servers: int  # servers started on the book's port, one after the other (0: none)
    stdin: bytes  # what the client reads as "typed"
    undefined_in_c: str = ""  # set when C's behaviour is undefined there: the ERRATA entry
    peer_client: Optional[tuple] = None  # argv of a client of our own instead of the book's


SCENARIOS = (
    Scenario("echo", "one line typed: 1024 bytes go each way whatever was typed", 1, b"hello, socket\n"),
    Scenario("busy-port", "a second server on the busy port: bind fails unchecked, listen binds an ephemeral "
             "port, the second server waits forever; the first one serves the client", 2, b"hello\n"),
    Scenario("long-input", "1500 bytes typed: 1024 are read, sent and echoed, the rest is never read", 1,
             b"A" * 1500 + b"\n",
             undefined_in_c="printf(\"read : %s\", buf) with no NUL in buf: C reads past buf, the port refuses "
                            "(csrc/ERRATA.md, 'No NUL after 1024 bytes')"),
    Scenario("empty-stdin", "EOF on stdin: read() returns 0, 1024 zero bytes are sent and echoed, "
             "'read : ' is printed with nothing after it", 1, b""),
    Scenario("no-server", "no server: connect() fails with ECONNREFUSED, perror, exit 1", 0, b"hello\n"),
    Scenario("reset-before-echo", "a peer's second connection is reset while queued: the server reads its bytes, "
             "write() fails, perror, and client_sockfd is closed twice (the second close: EBADF)", 1, b"",
             peer_client=(sys.executable, "-c", RESET_PEER)),
)


def pairings(scenario):
    """(server implementation or None, client implementation or None) of every run a scenario needs."""
    if scenario.peer_client:
        return [(impl, None) for impl in IMPLEMENTATIONS]
    if scenario.servers == 0:
        return [(None, impl) for impl in IMPLEMENTATIONS]
    return [(s, c) for s in IMPLEMENTATIONS for c in IMPLEMENTATIONS]


def run_book_scenario(scenario, server_impl, client_impl, **kwargs):
    servers = [program(server_impl, "echo_server", BOOK_PORT) for _ in range(scenario.servers)]
    client = scenario.peer_client or program(client_impl, "echo_client")
    return run_scenario(servers, [Client(client, scenario.stdin)], **kwargs)


def pairing_name(server_impl, client_impl):
    client = f"{client_impl} client" if client_impl else "peer client"
    return f"{server_impl} server + {client}" if server_impl else client


def _first_byte_difference(a, b):
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"first difference at byte {n} (lengths {len(a)} and {len(b)}): "
            f"{render_bytes(a[n:n + 24])} vs {render_bytes(b[n:n + 24])}")


def _first_line_difference(a, b):
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    left = a[n] if n < len(a) else "(no more syscalls)"
    right = b[n] if n < len(b) else "(no more syscalls)"
    return f"first difference at syscall {n + 1}:\n      {left}\n      {right}"


def defined_part(run):
    """A client's syscalls up to its last read from a socket: what is defined when printf then runs past buf."""
    last = max((i for i, line in enumerate(run.trace) if line.startswith("read(fd")), default=len(run.trace) - 1)
    return run.trace[:last + 1]


def first_difference(reference, other, undefined_in_c=""):
    """A description of the first difference between two ScenarioResults, or None when they agree.

    Compared for each process: how it ended, stdout, stderr, the bytes it received and its syscalls.
    With undefined_in_c, a client is compared only up to its last socket read (see defined_part).
    """
    for role in ("servers", "clients"):
        ours, theirs = getattr(reference, role), getattr(other, role)
        if len(ours) != len(theirs):
            return f"{len(ours)} vs {len(theirs)} {role}"
        for index, (a, b) in enumerate(zip(ours, theirs)):
            who = f"{role[:-1]} {index + 1}" if len(ours) > 1 else role[:-1]
            if role == "clients" and undefined_in_c:
                if a.received != b.received:
                    return f"{who} received bytes differ: {_first_byte_difference(a.received, b.received)}"
                if defined_part(a) != defined_part(b):
                    return f"{who} syscalls differ: {_first_line_difference(defined_part(a), defined_part(b))}"
                continue
            if a.outcome() != b.outcome():
                return f"{who} ended differently: {a.outcome()} vs {b.outcome()}"
            for name in ("stdout", "stderr", "received"):
                x, y = getattr(a, name), getattr(b, name)
                if x != y:
                    return f"{who} {name} differs: {_first_byte_difference(x, y)}"
            if a.trace != b.trace:
                return f"{who} syscalls differ: {_first_line_difference(a.trace, b.trace)}"
    return None


NO_NUL_REFUSAL = b"echo_client.py: printf: argument 2 has no terminating NUL within its 1024 bytes\n"


def undefined_behaviour_problems(result, client_impl, typed):
    """What does not match ERRATA's account of printf past buf (empty list when everything does)."""
    client = result.clients[0]
    echoed = typed[:1024]
    problems = []
    if client.received != echoed:
        problems.append(f"{client_impl} client received {len(client.received)} bytes, not the 1024 typed first")
    if client_impl == "C":
        if not (client.stdout.startswith(b"read : " + echoed) and client.status == 0):
            problems.append(f"C client: expected exit 0 and stdout 'read : ' + the 1024 bytes (+ whatever follows "
                            f"buf), got {client.outcome()} and {render_bytes(client.stdout[:40])}...")
    elif (client.stdout, client.stderr, client.status) != (b"", NO_NUL_REFUSAL, 1):
        problems.append(f"Python client: expected exit 1, no stdout and stderr {NO_NUL_REFUSAL!r}, got "
                        f"{client.outcome()}, {render_bytes(client.stdout[:40])}, {client.stderr!r}")
    return problems


USAGE_ERROR = b"usage: echo_server.py PORT\n"


def missing_port_problems():
    """ERRATA #1, the port's one deliberate difference: (C run, port run, what does not match ERRATA)."""
    c = run_scenario([], [program("C", "echo_server")]).clients[0]
    py = run_scenario([], [program("Python", "echo_server")]).clients[0]
    problems = []
    if c.signal != signal.SIGSEGV or not c.trace[:1] or not c.trace[0].startswith("socket("):
        problems.append(f"C server without a port: expected socket() then SIGSEGV, got {c.outcome()}")
    if (py.status, py.stdout, py.stderr, py.trace) != (2, b"", USAGE_ERROR, []):
        problems.append(f"Python server without a port: expected exit 2, {USAGE_ERROR!r} and no socket(), got "
                        f"{py.outcome()}, {py.stderr!r}, {len(py.trace)} syscalls")
    return c, py, problems


# --- strace output ---------------------------------------------------------------------------------

_PID = re.compile(r"^\d+\s+")
_CALL = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<ret>.*)$")
_UNFINISHED = re.compile(r"^(?P<head>\w+\(.*?)\s*<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>\s?(?P<tail>.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"(\.\.\.)?')
_POINTER = re.compile(r"\b0x[0-9a-f]+\b")
_SIGINFO = re.compile(r"(si_pid|si_uid)=\d+")
_PORT = re.compile(r"htons\((\d+)\)")
_FD_ARG_CALLS = {"bind", "listen", "accept", "accept4", "connect", "read", "write", "close", "recvfrom",
                 "sendto", "shutdown"}
_FD_RETURNING = {"socket", "accept", "accept4"}
_RECEIVING = {"read", "recvfrom"}


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = map(int, f.read().split())
        return low, high
    except OSError:
        return 32768, 60999


def _decode_c_string(body):
    """The bytes of a strace string literal (-xx prints every byte as \\xNN; the rest is a fallback)."""
    out = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, '"': 34, "\\": 92}
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode()
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif nxt in simple:
            out.append(simple[nxt])
            i += 2
        else:  # octal
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(), 8))
            i += 1 + len(m.group())
    return bytes(out)


def render_bytes(data):
    """A short, exact text form of data: printable ASCII as is, runs of 8+ equal bytes as <xNN*count>."""
    parts = []
    i = 0
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i]:
            j += 1
        if j - i >= 8:
            parts.append(f"<x{data[i]:02x}*{j - i}>")
            i = j
            continue
        b = data[i]
        parts.append(chr(b) if 32 <= b < 127 and b not in (34, 60, 92) else f"\\x{b:02x}")
        i += 1
    return '"' + "".join(parts) + '"'


def _split_args(args):
    """Top-level comma-separated arguments of a strace call (strings and braces kept whole)."""
    out, depth, current, i = [], 0, [], 0
    while i < len(args):
        ch = args[i]
        if ch == '"':
            m = _STRING.match(args, i)
            current.append(m.group())
            i = m.end()
            continue
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    if current or out:
        out.append("".join(current).strip())
    return out


def parse_trace(text):
    """(normalised syscall lines from the first socket() on, bytes read from sockets) of an strace -f -xx log."""
    lines = []
    pending = {}  # pid -> head of an <unfinished ...> call
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        pid_match = _PID.match(raw)
        pid = pid_match.group().strip() if pid_match else ""
        line = raw[pid_match.end():] if pid_match else raw
        unfinished = _UNFINISHED.match(line)
        if unfinished:
            pending[pid] = unfinished.group("head")
            continue
        resumed = _RESUMED.match(line)
        if resumed and pid in pending:
            line = pending.pop(pid) + resumed.group("tail")
        lines.append(line)
    start = next((i for i, line in enumerate(lines) if line.startswith("socket(")), None)
    if start is None:
        return [], b""
    low, high = _ephemeral_range()
    fd_names = {0: "0", 1: "1", 2: "2"}
    socket_fds = set()
    received = bytearray()
    out = []

    def fd_name(value):
        try:
            fd = int(value)
        except ValueError:
            return value
        if fd < 0:
            return value
        if fd not in fd_names:
            fd_names[fd] = f"fd{len(fd_names)}"
        return fd_names[fd]

    for line in lines[start:]:
        call = _CALL.match(line)
        if not call:  # --- signal --- / +++ exit +++ / a call cut short by the end of the log
            line = _SIGINFO.sub(lambda m: m.group(1) + "=N", line)
            out.append(_POINTER.sub("0xADDR", re.sub(r"\s+", " ", line)))
            continue
        name, ret = call.group("name"), call.group("ret").strip()
        args = _split_args(call.group("args"))
        if name in _FD_ARG_CALLS and args:
            raw_fd = args[0]
            if name in _RECEIVING and raw_fd.lstrip("-").isdigit() and int(raw_fd) in socket_fds:
                m = _STRING.match(args[1]) if len(args) > 1 else None
                if m and ret.split()[0].isdigit() and int(ret.split()[0]) > 0:
                    received += _decode_c_string(m.group(1))
            if name == "close" and raw_fd.isdigit():
                socket_fds.discard(int(raw_fd))
            args[0] = fd_name(raw_fd)
        ret_value = ret.split()[0] if ret else ret
        if name in _FD_RETURNING and ret_value.isdigit():
            socket_fds.add(int(ret_value))
            ret = fd_name(ret_value) + ret[len(ret_value):]
        rendered = []
        for arg in args:
            arg = _STRING.sub(lambda m: render_bytes(_decode_c_string(m.group(1))) + (m.group(2) or ""), arg)
            arg = _PORT.sub(lambda m: "htons(EPHEMERAL)" if low <= int(m.group(1)) <= high else m.group(), arg)
            rendered.append(_POINTER.sub("0xADDR", arg))
        out.append(f"{name}({', '.join(rendered)}) = {_POINTER.sub('0xADDR', ret)}")
    return out, bytes(received)


# --- inside the namespace --------------------------------------------------------------------------

def _listening_sockets():
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                count += sum(1 for row in f if row.split()[3] == "0A")
        except (OSError, StopIteration):
            pass
    return count


def _strace_argv(log, argv, line_buffered, options=()):
    prefix = ["strace", "-f", "-o", log, "-s", "65536", "-xx", "-e", "trace=" + ",".join(TRACED), *options, "--"]
    return prefix + (["stdbuf", "-oL"] if line_buffered else []) + list(argv)


def _traced_pid(log, strace, deadline):
    """The pid of the program strace runs: the pid prefix (-f) of the first line of its log.

    (strace's own children include short-lived probes, so /proc/PID/children is not reliable.)
    None when strace ended or time is up before the program made a traced call.
    """
    while time.monotonic() < deadline:
        first = _read(log).split(b" ", 1)[0]
        if first.isdigit():
            return int(first)
        if strace.poll() is not None:
            return None
        time.sleep(0.005)
    return None


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:  # it ended on its own meanwhile
        pass


def _kill_rest_of_group():
    """SIGKILL whatever is left in this driver's process group (its straces' programs, their children).

    A program outlives strace when strace is killed first; the group holds exactly what this driver started.
    """
    own, group = os.getpid(), os.getpgrp()
    if group != own:  # not a group leader (run by hand without a new session): the group is not only ours
        return
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == own:
            continue
        stat = _read(f"/proc/{entry}/stat")
        fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (comm) ": state ppid pgrp ...
        if len(fields) > 2 and int(fields[2]) == group:
            _signal(int(entry), signal.SIGKILL)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def _waits_in_accept(log):
    """True when the last line of a strace log is an accept() that has not returned."""
    return _waits_in(log, "accept")


def _waits_in(log, name):
    """True when the last line of a strace log is a call to name ("accept" or "read") that has not returned."""
    text = _read(log).decode("utf-8", "replace")
    if not text or text.endswith("\n"):
        return False
    last = _PID.sub("", text.rsplit("\n", 1)[-1])
    return last.startswith(("accept(", "accept4(") if name == "accept" else (name + "(",))


# Syscall numbers of the calls a server can be stopped in, to see where an untraced one is blocked.
_SYSCALL_NUMBERS = {
    "x86_64": {"read": {0}, "accept": {43, 288}},
    "aarch64": {"read": {63}, "accept": {202, 242}},
}


def _blocked_in(pid, name):
    """True when the (untraced) process pid is blocked in the syscall name, from /proc/PID/syscall."""
    numbers = _SYSCALL_NUMBERS.get(os.uname().machine, {}).get(name, set())
    first = _read(f"/proc/{pid}/syscall").split(b" ", 1)[0]
    return first.isdigit() and int(first) in numbers


def _output(path, broken_pipe):
    """A file for a child's stdout/stderr, or (broken_pipe) the write end of a pipe whose read end is closed."""
    if not broken_pipe:
        return open(path, "wb")
    reader, writer = os.pipe()
    os.close(reader)
    return os.fdopen(writer, "wb")


def _result(argv, returncode, workdir, tag, timed_out=False):
    trace, received = parse_trace(_read(os.path.join(workdir, tag + ".trace")).decode("utf-8", "replace"))
    return {
        "argv": list(argv),
        "status": returncode if returncode >= 0 else None,
        "signal": -returncode if returncode < 0 else None,
        "stdout": base64.b64encode(_read(os.path.join(workdir, tag + ".out"))).decode(),
        "stderr": base64.b64encode(_read(os.path.join(workdir, tag + ".err"))).decode(),
        "received": base64.b64encode(received).decode(),
        "trace": trace,
        "timed_out": timed_out,
    }


def _start_client(client, workdir, tag):
    """(Popen, strace log path) of one client started with its stdin a pipe, not yet written."""
    log = os.path.join(workdir, tag + ".trace")
    argv = client["argv"]
    if client.get("stdin_closed"):  # sh closes fd 0 inside strace, so strace's own files cannot take it
        argv = ["sh", "-c", 'exec "$@" 0<&-', "sh", *argv]
    argv = _strace_argv(log, argv, False) if client["traced"] else argv
    with _output(os.path.join(workdir, tag + ".out"), client.get("stdout_broken_pipe", False)) as out, \
            open(os.path.join(workdir, tag + ".err"), "wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, stderr=err)
    return proc, log


def _finish_client(proc, log, client, deadline):
    """Feed a client its stdin and wait for it until deadline; kill it (and say so) when time is up.

    Returns timed_out.
    """
    try:
        left = max(0.0, deadline - time.monotonic())
        if proc.stdin.closed:  # a background client, fed when it started
            proc.wait(timeout=left)
        else:
            proc.communicate(base64.b64decode(client["stdin"]), timeout=left)
        return False
    except subprocess.TimeoutExpired:
        pid = _traced_pid(log, proc, time.monotonic() + 1) if client["traced"] else proc.pid
        if pid:
            _signal(pid, signal.SIGKILL)
            try:  # strace ends by itself once it has logged the kill: let it, so every log ends alike
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        proc.kill()  # strace, if the program was gone before it could be found
        proc.wait(timeout=10)
        return True


def _inside(spec):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)
    workdir = tempfile.mkdtemp(prefix="csock-echo-")
    servers = []  # (argv, Popen of strace or of the program, pid of the program, tag, traced)
    background = []  # (index, client spec, Popen, log, deadline)
    clients = []
    result = {"servers": [], "clients": []}
    stop_when = spec.get("stop_when", "accept")
    try:
        for i, server in enumerate(spec["servers"]):
            if isinstance(server, list):  # a spec written before Server existed
                server = {"argv": server}
            argv, traced = server["argv"], server.get("traced", True)
            line_buffered = server.get("line_buffered", True)
            tag = f"server{i}"
            log = os.path.join(workdir, tag + ".trace")
            listening = _listening_sockets()
            command = (_strace_argv(log, argv, line_buffered, server.get("strace_options", ())) if traced
                       else (["stdbuf", "-oL"] if line_buffered else []) + list(argv))
            with _output(os.path.join(workdir, tag + ".out"), server.get("stdout_broken_pipe", False)) as out, \
                    open(os.path.join(workdir, tag + ".err"), "wb") as err:
                proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            deadline = time.monotonic() + spec["start_timeout"]
            pid = _traced_pid(log, proc, deadline) if traced else proc.pid  # stdbuf execs: same pid
            servers.append((argv, proc, pid, tag, traced))
            while time.monotonic() < deadline and proc.poll() is None and _listening_sockets() <= listening:
                time.sleep(0.01)
        for i, client in enumerate(spec["clients"]):
            tag = f"client{i}"
            proc, log = _start_client(client, workdir, tag)
            deadline = time.monotonic() + client["timeout"]
            if client.get("background"):
                try:  # a background client's stdin must fit in the pipe: it is written now, without waiting
                    proc.stdin.write(base64.b64decode(client["stdin"]))
                    proc.stdin.close()
                except BrokenPipeError:  # it closed fd 0 or ended already
                    pass
                background.append((i, client, proc, log, deadline))
                clients.append(None)
                continue
            timed_out = _finish_client(proc, log, client, deadline)
            clients.append(_result(client["argv"], proc.returncode, workdir, tag, timed_out))
        # Settled: every live server blocked in accept() (or read()) with its log unchanged for 0.1 s.
        deadline = time.monotonic() + spec["idle_timeout"]
        stable = 0
        state = None
        while time.monotonic() < deadline and stable < 2:
            live = [(pid, tag, traced) for _argv, proc, pid, tag, traced in servers if proc.poll() is None]
            logs = {tag: os.path.join(workdir, tag + ".trace") for _pid, tag, traced in live if traced}
            now = [os.path.getsize(logs[tag]) if traced and os.path.exists(logs[tag])
                   else _read(f"/proc/{pid}/syscall") for pid, tag, traced in live]
            waiting = all(_waits_in(logs[tag], stop_when) if traced else _blocked_in(pid, stop_when)
                          for pid, tag, traced in live)
            stable = stable + 1 if now == state and waiting else 0
            state = now
            time.sleep(0.05)
        for argv, proc, pid, tag, _traced in servers:
            if proc.poll() is None and pid is not None:
                _signal(pid, spec["stop_signal"])  # strace -o ignores SIGTERM: signal the program itself
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                if pid is not None:
                    _signal(pid, signal.SIGKILL)
                proc.wait(timeout=5)
            result["servers"].append(_result(argv, proc.returncode, workdir, tag))
        for i, client, proc, log, deadline in background:
            timed_out = _finish_client(proc, log, client, deadline)
            clients[i] = _result(client["argv"], proc.returncode, workdir, f"client{i}", timed_out)
        result["clients"] = clients
    finally:
        for _argv, proc, pid, _tag, _traced in servers:
            if proc.poll() is None:
                if pid is not None:
                    _signal(pid, signal.SIGKILL)
                proc.kill()
                proc.wait(timeout=5)
        for _i, _client, proc, _log, _deadline in background:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
        _kill_rest_of_group()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


if __name__ == "__main__":
    if sys.argv[1:] != ["--inside"]:
        sys.exit("usage: python -m csock.echo_runs --inside < spec.json  (used by run_scenario)")
    json.dump(_inside(json.load(sys.stdin)), sys.stdout)

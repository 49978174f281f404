"""Runs the book's Windows programs, C .exe or Python port, the same way, and records what a user could observe:
standard output, exit status, the bytes a loopback peer saw on the wire, and the sequence of Winsock calls as
wine's +winsock channel traces them (the way strace traces system calls on Linux)."""
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "build" / "windows" / "bin"
PORTS = ROOT / "Windows"
LOOPBACK = "127.0.0.1"
SERVER_PORT = 3500  # echo_server.c's nPort
CLIENT_PORT = 3600  # echo_client.c's PORT


def command(program, implementation):
    """The command line of program ("echo_server" / "echo_client") in "c" or "python"."""
    if implementation == "c":
        return [str(BIN / f"{program}.exe")]
    return [sys.executable, "-P", str(PORTS / f"{program}.py")]


@dataclass
class Run:
    stdout: bytes = b""
    stderr: bytes = b""  # the program's own stderr (tracebacks); wine's trace goes elsewhere (see start)
    status: object = None  # exit status, or "killed" when the test had to stop the program
    trace: list = field(default_factory=list)
    peer: dict = field(default_factory=dict)  # what each loopback peer received and sent


TRACE_LOG = os.environ.get("CSOCK_WINSOCK_TRACE")  # set by tests/windows/run


def start(program, implementation):
    """Starts program traced (+winsock, lines tagged with its pid); proc.trace_offset marks where its trace begins."""
    if not TRACE_LOG:
        raise RuntimeError("CSOCK_WINSOCK_TRACE is not set: run the Windows leg with tests/windows/run")
    env = dict(os.environ, WINEDEBUG="-all,+winsock,+pid")
    env.pop("PYTHONUNBUFFERED", None)
    offset = os.path.getsize(TRACE_LOG)
    proc = subprocess.Popen(command(program, implementation), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.trace_offset = offset
    return proc


def finish(proc, stdin, timeout):
    """Feeds stdin, waits up to timeout seconds, kills the program if it is still running; returns a Run."""
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=30)
        status = "killed"
    return Run(stdout=out, stderr=err, status=status, trace=normalise(trace_of(proc)))


def trace_of(proc, settle=0.3, limit=5000):
    """The first `limit` raw trace lines of proc, once the log has stopped growing (its writer lags behind)."""
    size, deadline = -1, time.monotonic() + 5
    while size != os.path.getsize(TRACE_LOG) and time.monotonic() < deadline:
        size = os.path.getsize(TRACE_LOG)
        time.sleep(settle)
    prefix = f"{proc.pid:04x}:".encode()
    lines = []
    with open(TRACE_LOG, "rb") as log:
        log.seek(proc.trace_offset)
        for line in log:
            if line.startswith(prefix):
                lines.append(line[len(prefix):].decode("utf-8", "replace").rstrip("\n"))
                if len(lines) == limit:
                    break
    return lines


# --- the Winsock call trace ------------------------------------------------------------------------

_TRACE_LINE = re.compile(r"^[0-9a-f]{4}:trace:winsock:(\w+) ?(.*)$")
_CREATED = re.compile(r"^(?:WSASocketW created|accept returning) (0x[0-9a-f]+)$")
_HEX = re.compile(r"\b0x[0-9a-f]+\b")
_NULL = re.compile(r"\b0{16}\b|\(nil\)")
_POINTER = re.compile(r"\b[0-9A-F]{16}\b|(?<=_buffer )0x[0-9a-f]+")
# async_recv_proc appears only when data had not arrived yet when recv was called: timing, not the program.
_TIMING = re.compile(r"^async_recv_proc ")


def normalise(raw_lines):
    """The +winsock trace lines of one program, thread ids and addresses dropped, socket handles named S1, S2...
    in order of creation; a loop that repeats the same calls is cut after its first round."""
    calls = []
    for raw in raw_lines:
        m = _TRACE_LINE.match(raw)
        if m:
            calls.append(f"{m[1]} {m[2]}".rstrip())
    handles = {}
    for call in calls:
        created = _CREATED.match(call)
        if created and created[1] not in handles:
            handles[created[1]] = f"S{len(handles) + 1}"
    lines = []
    for call in calls:
        if _TIMING.match(call):
            continue
        call = _POINTER.sub("PTR", _NULL.sub("NULL", call))
        lines.append(_HEX.sub(lambda h: handles.get(h[0], h[0]), call))
    return cut_loop(lines)


def cut_loop(lines, rounds=3, longest=12):
    """lines up to the first block (at most `longest` lines) that repeats `rounds` times in a row, kept once,
    followed by '<loop>': a program killed while spinning leaves a trace whose length depends on the timing."""
    for start in range(len(lines)):
        for period in range(1, longest + 1):
            block = lines[start:start + period]
            if len(block) < period:
                break
            if all(lines[start + k * period:start + (k + 1) * period] == block for k in range(1, rounds)):
                return lines[:start + period] + ["<loop>"]
    return lines


# --- loopback peers ----------------------------------------------------------------------------------

class Peer(threading.Thread):
    """A test endpoint on 127.0.0.1: as "server" it accepts one connection on port; as "client" it connects.

    reply: "echo" sends back what it received, "close" closes without replying (like the book's Windows
    server). It records every byte it received and sent, and whether the other side closed (EOF)."""

    def __init__(self, role, port, reply="echo", send=b"", timeout=20.0):
        super().__init__(daemon=True)
        self.role, self.port, self.reply, self.to_send, self.timeout = role, port, reply, send, timeout
        self.record = {"received": b"", "sent": b"", "eof": False, "connected": False}
        self.listener = None
        self.ready = threading.Event()
        if role == "server":
            self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.listener.bind((LOOPBACK, port))
            self.listener.listen(5)
            self.listener.settimeout(timeout)

    def run(self):
        try:
            conn = self._connect()
            if conn is None:
                return
            self.record["connected"] = True
            self.ready.set()
            with conn:
                conn.settimeout(self.timeout)
                if self.to_send:
                    conn.sendall(self.to_send)
                    self.record["sent"] += self.to_send
                self._receive(conn)
        except OSError as e:
            self.record["error"] = type(e).__name__
        finally:
            self.ready.set()
            if self.listener is not None:
                self.listener.close()

    def _connect(self):
        if self.role == "server":
            try:
                return self.listener.accept()[0]
            except socket.timeout:
                return None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:  # the program under wine takes seconds to start listening
            conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                conn.connect((LOOPBACK, self.port))
                return conn
            except ConnectionRefusedError:
                conn.close()
                time.sleep(0.2)
        return None

    def _receive(self, conn):
        while True:
            try:
                data = conn.recv(4096)
            except socket.timeout:
                self.record["timed_out"] = True
                return
            if not data:
                self.record["eof"] = True
                return
            self.record["received"] += data
            if self.reply == "echo":
                conn.sendall(data)
                self.record["sent"] += data
            elif self.reply == "close":
                return


def wait_for_call(proc, function, timeout):
    """Waits until proc's trace shows a call of function (e.g. "listen"); False if the timeout passes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(_TRACE_LINE.match(line) and _TRACE_LINE.match(line)[1] == function for line in trace_of(proc, 0.05)):
            return True
        time.sleep(0.2)
    return False

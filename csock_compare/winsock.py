"""The Windows adapter: runs a spec under wine (inside the network namespace tests/windows/run made) and reads
each program's calls from wine's +winsock trace instead of strace.

Wine writes a program's trace to the Unix stderr it inherited; tests/windows/run collects it in one log
(CSOCK_WINSOCK_TRACE), every line tagged with the Windows pid (+pid). Per process: SOCKET handles named S1, S2...
in order of creation (normalise.Names), addresses replaced, and a loop that repeats the same calls cut after its
first round (normalise.cut_loop): a program killed while spinning leaves a trace whose length is timing.
"""
import base64
import os
import re
import subprocess
import time

from .normalise import Names, cut_loop

TRACE_LOG = os.environ.get("CSOCK_WINSOCK_TRACE")  # set by tests/windows/run
WINE = os.environ.get("WINE", "/usr/lib/wine/wine64")
WINESERVER = os.environ.get("WINESERVER", "/usr/lib/wine/wineserver")
_CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where csock_compare is imported from
_TRACE_LINE = re.compile(r"^[0-9a-f]{4}:trace:winsock:(\w+) ?(.*)$")
_CREATED = re.compile(r"^(?:WSASocketW created|accept returning) (0x[0-9a-f]+)$")
_HEX = re.compile(r"\b0x[0-9a-f]+\b")
# WSAEventSelect's event handles: `event 0x..` (WSAEventSelect, WSAEnumNetworkEvents) and, from wine 10 on, the
# `reset_event 0x..` the AFD ioctl under WSAEnumNetworkEvents traces (sock_ioctl)
_EVENT = re.compile(r"\b((?:reset_)?event) (0x[0-9a-f]+)\b")
_NULL = re.compile(r"\b0{16}\b|\(nil\)")
_POINTER = re.compile(r"\b[0-9A-F]{16}\b|(?<=_buffer )0x[0-9a-f]+")
# async_recv_proc appears only when data had not arrived yet when recv was called: timing, not the program.
_TIMING = re.compile(r"^async_recv_proc ")


def normalise(raw_lines):
    """The +winsock lines of one process as comparable lines (see the module's docstring)."""
    calls = [f"{m[1]} {m[2]}".rstrip() for m in map(_TRACE_LINE.match, raw_lines) if m]
    handles = Names(prefix="S", first=1, keep=())
    for call in calls:
        created = _CREATED.match(call)
        if created:
            handles(created[1])
    events = Names(prefix="E", first=1, keep=())  # WSAEventSelect's event handles, named as they appear
    lines = [_EVENT.sub(lambda e: f"{e[1]} {events(e[2])}",
                        _HEX.sub(lambda h: handles.names.get(h[0], h[0]), _POINTER.sub("PTR", _NULL.sub("NULL", call))))
             for call in calls if not _TIMING.match(call)]
    return cut_loop(lines)


def wine_major():
    """The running wine's major version (8 on Debian 12, 10 on Debian 13): from CSOCK_WINE_VERSION, which
    tests/windows/run sets to `wine --version` (wine-10.0 (Debian ...)), or, natively, by asking WINE itself."""
    version = os.environ.get("CSOCK_WINE_VERSION")
    if version is None:
        if os.name == "nt":
            raise RuntimeError("CSOCK_WINE_VERSION is not set: run the Windows leg with tests/windows/run")
        try:
            version = subprocess.run([WINE, "--version"], capture_output=True, text=True, timeout=60).stdout
        except OSError as e:
            raise RuntimeError(f"expect.wine needs wine: {WINE} --version: {e.strerror}") from None
    found = re.match(r"wine-(\d+)\.", version.strip())
    if not found:
        raise RuntimeError(f"not a wine version: {version.strip()!r} (CSOCK_WINE_VERSION or {WINE} --version)")
    return int(found[1])


def trace_of(pid, offset, settle=0.3, limit=5000):
    """The first `limit` raw trace lines of pid from offset on, once the log has stopped growing."""
    size, deadline = -1, time.monotonic() + 5
    while size != os.path.getsize(TRACE_LOG) and time.monotonic() < deadline:
        size = os.path.getsize(TRACE_LOG)
        time.sleep(settle)
    prefix, lines = f"{pid:04x}:".encode(), []
    with open(TRACE_LOG, "rb") as log:
        log.seek(offset)
        for line in log:
            if line.startswith(prefix) and len(lines) < limit:
                lines.append(line[len(prefix):].decode("utf-8", "replace").rstrip("\n"))
    return lines


def _quiet(settle=0.5, limit=5.0):
    """Wait until the trace log stops growing (at most limit seconds): every traced process waits in a call."""
    size, deadline = -1, time.monotonic() + limit
    while size != os.path.getsize(TRACE_LOG) and time.monotonic() < deadline:
        size = os.path.getsize(TRACE_LOG)
        time.sleep(settle)


def _called(pid, offset, function):
    return any(m and m[1] == function for m in map(_TRACE_LINE.match, trace_of(pid, offset, 0.05)))


class Started:
    """One process of the spec, started under wine with +winsock tracing."""

    def __init__(self, spec, workdir, index):
        self.spec, self.tag = spec, os.path.join(workdir, f"p{index}")
        env = dict(os.environ, WINEDEBUG="-all,+winsock,+pid")
        env.pop("PYTHONUNBUFFERED", None)
        if list(spec["argv"][1:3]) == ["-m", "csock_compare.peers"]:  # a peer: the checkout's harness (ports keep the wheel)
            env["PYTHONPATH"] = _CHECKOUT
        self.offset = os.path.getsize(TRACE_LOG)
        with open(self.tag + ".out", "wb") as out, open(self.tag + ".err", "wb") as err:
            self.proc = subprocess.Popen(spec["argv"], stdin=subprocess.PIPE, stdout=out, stderr=err, env=env)
        self.deadline = time.monotonic() + spec["timeout"]
        self.timed_out = False

    def feed(self):
        try:
            self.proc.stdin.write(base64.b64decode(self.spec["stdin"]))
            self.proc.stdin.close()
        except OSError:  # it ended already
            pass

    def wait_ready(self):
        """A readiness is a call in its trace (wine has no /proc/net for Windows programs): bind() for UDP,
        listen() for TCP."""
        call = "bind" if "udp" in self.spec["ready"] else "listen"
        while time.monotonic() < self.deadline and self.proc.poll() is None:
            if _called(self.proc.pid, self.offset, call):
                return
            time.sleep(0.2)

    def finish(self):
        try:
            self.proc.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self, grace=2.0):
        """A server still running after grace seconds (a peer may still be printing what it saw) is killed, once the
        trace log is quiet (what a client's end made it do, recv 0, closesocket..., is logged before the kill)."""
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _quiet()
            self.proc.kill()
            self.proc.wait(timeout=30)

    def result(self):
        def read(path):
            with open(path, "rb") as f:
                return base64.b64encode(f.read()).decode()
        traced = self.spec["traced"]
        return {"status": self.proc.returncode, "signal": None, "stdout": read(self.tag + ".out"),
                "stderr": read(self.tag + ".err"), "received": "",
                "trace": normalise(trace_of(self.proc.pid, self.offset)) if traced else [],
                "children": [], "timed_out": self.timed_out}


def run(spec, workdir):
    """The results of spec's processes, run in order (servers waited for, clients to their end)."""
    if not TRACE_LOG:
        raise RuntimeError("CSOCK_WINSOCK_TRACE is not set: run the Windows leg with tests/windows/run")
    started = []
    try:
        for index, process in enumerate(spec["processes"]):
            one = Started(process, workdir, index)
            started.append(one)
            one.feed()
            if process["role"] == "server":
                if process["ready"]:
                    one.wait_ready()
            elif not process["background"]:
                one.finish()
        for one in started:
            if one.spec["role"] == "server":
                one.stop()
            else:
                one.finish()
        return [one.result() for one in started]
    finally:
        for one in started:
            if one.proc.poll() is None:
                one.proc.kill()
                one.proc.wait(timeout=30)


# --- a Windows program run from Linux (cross-OS scenarios): under wine, untraced -----------------------------

def under_wine(argv, side):
    """The command running a Windows program's argv (Program.command) from Linux: the .exe under wine, or the
    port under the Windows CPython (CSOCK_WINDOWS_PYTHON, default the checkout's build/windows/cp313/python.exe),
    which imports the csock wheel installed in it: PYTHONPATH (this checkout's Linux csock) is dropped."""
    if side == "port":
        python = os.environ.get("CSOCK_WINDOWS_PYTHON",
                                os.path.join(_CHECKOUT, "build", "windows", "cp313", "python.exe"))
        argv = [python, "-P", *argv[1:]]
    # wine's python.exe cannot take a file as a standard stream: stdout and stderr go through pipes (cat)
    piped = '{ "$@" 2> >(cat >&2); } | cat; exit "${PIPESTATUS[0]}"'
    return ["bash", "-c", piped, "bash", "env", "-u", "PYTHONPATH", "WINEDEBUG=-all", WINE, *argv]


def start_wineserver():
    """The prefix's wineserver, in this network namespace (it creates every wine socket), its services booted on
    /dev/null (started by a program they would hold its pipes open)."""
    subprocess.run([WINESERVER, "-p"], check=True, timeout=60)
    subprocess.run([WINE, "wineboot"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300, check=True)


def stop_wineserver():
    subprocess.run([WINESERVER, "-k"], stderr=subprocess.DEVNULL, timeout=60)
    subprocess.run([WINESERVER, "-w"], timeout=60)

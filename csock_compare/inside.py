"""The driver that runs inside a scenario's network namespace: `python -m csock_compare.inside` reads a JSON spec
on stdin (csock_compare.runner writes it) and writes the JSON result on stdout.

Processes start in the spec's order. A server is started (traced, stdout line-buffered through stdbuf so a killed
server keeps its printf output) and waited for until ready; a client runs to its end (a background one keeps
running). Once every live process of every server waits in one of its idle calls with its logs unchanged, each
server gets the stop signal, sent to the program itself (strace -o ignores SIGTERM).
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import strace, winsock

# Syscall numbers of the calls an untraced server can idle in, to see where it is blocked (/proc/PID/syscall).
_SYSCALL_NUMBERS = {
    "x86_64": {"read": {0}, "accept": {43, 288}, "recvfrom": {45}, "poll": {7}, "select": {23}},
    "aarch64": {"read": {63}, "accept": {202, 242}, "recvfrom": {207}},
}


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def _table(name):
    rows = []
    for suffix in ("", "6"):
        rows += _read(f"/proc/net/{name}{suffix}").decode().split("\n")[1:]
    return [row.split() for row in rows if row.strip()]


def _tcp_listeners():
    return [int(row[1].rsplit(":", 1)[1], 16) for row in _table("tcp") if row[3] == "0A"]


def _unix_listeners(path):
    """How many AF_UNIX sockets listen (__SO_ACCEPTCON, 0x10000) on path, relative or absolute."""
    return sum(1 for row in _table("unix") if len(row) > 7 and row[-1] in (path, os.path.abspath(path))
               and int(row[3], 16) & 0x10000)


def snapshot(ready):
    """What a readiness is measured against, taken when the process starts: the TCP listeners, and the AF_UNIX
    listeners on a unix readiness's path."""
    path = (ready or {}).get("unix")
    return {"tcp": _tcp_listeners(), "unix": _unix_listeners(path) if path else 0}


def is_ready(ready, before, out_path):
    """True when the readiness a process declares holds (before: its snapshot() when it started)."""
    kind, value = next(iter(ready.items()))
    if kind == "tcp":
        now = _tcp_listeners()
        return len(now) > len(before["tcp"]) if value == "any" else int(value) in now
    if kind == "udp":
        return int(value) in [int(row[1].rsplit(":", 1)[1], 16) for row in _table("udp")]
    if kind == "unix":  # one more listener on the path than when it started (a stale file's server may be there)
        return _unix_listeners(value) > before["unix"]
    return value.encode() in _read(out_path)


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, TypeError):  # it ended meanwhile, or never started
        pass


def _kill_rest_of_group():
    """SIGKILL whatever is left in this driver's process group (a program outlives strace when strace dies first)."""
    own, group = os.getpid(), os.getpgrp()
    if group != own:  # not a group leader (run by hand without a new session): the group is not only ours
        return
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != own:
            stat = _read(f"/proc/{entry}/stat")
            fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (comm) ": state ppid pgrp ...
            if len(fields) > 2 and int(fields[2]) == group:
                _signal(int(entry), signal.SIGKILL)


def _output(path, broken_pipe):
    """A file for a child's stdout, or (broken_pipe) the write end of a pipe whose read end is closed."""
    if not broken_pipe:
        return open(path, "wb")
    reader, writer = os.pipe()
    os.close(reader)
    return os.fdopen(writer, "wb")


class Started:
    """One process of the spec, started."""

    def __init__(self, spec, workdir, index):
        self.spec, self.tag = spec, os.path.join(workdir, f"p{index}")
        argv = spec["argv"]
        if spec["stdin_closed"]:  # sh closes fd 0 inside strace, so strace's own files cannot take it
            argv = ["sh", "-c", 'exec "$@" 0<&-', "sh", *argv]
        if spec["line_buffered"] and spec["role"] == "server":
            argv = ["stdbuf", "-oL", *argv]
        if spec["traced"]:
            argv = strace.command(self.tag, argv, spec["calls"], spec["strace"])
        self.before = snapshot(spec["ready"])
        with _output(self.tag + ".out", spec["stdout_broken_pipe"]) as out, open(self.tag + ".err", "wb") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=workdir)
        self.pid = self._program_pid(time.monotonic() + 10) if spec["traced"] else self.proc.pid
        self.deadline = time.monotonic() + spec["timeout"]
        self.timed_out = False

    def _program_pid(self, deadline):
        """The traced program's pid: the one log no fork line created (strace's own probes leave no log)."""
        while time.monotonic() < deadline:
            root, _ = strace.root_and_children(self.tag)
            if root is not None:
                return root
            if self.proc.poll() is not None:
                return None
            time.sleep(0.005)
        return None

    def feed(self):
        """Write stdin and close it (a pipe-sized stdin: the program reads it when it wants)."""
        try:
            self.proc.stdin.write(base64.b64decode(self.spec["stdin"]))
            self.proc.stdin.close()
        except BrokenPipeError:  # it closed fd 0 or ended already
            pass

    def finish(self):
        """Wait until its deadline; kill it (and say so) when time is up."""
        try:
            self.proc.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.timed_out = True
            _signal(self.pid, signal.SIGKILL)
            try:  # strace ends by itself once it has logged the kill: let it, so every log ends alike
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def idle(self):
        """(waits in an idle call, a snapshot that changes while it works) of a live server."""
        names = self.spec["idle"]
        if not self.spec["traced"]:
            numbers = set().union(*(_SYSCALL_NUMBERS.get(os.uname().machine, {}).get(n, set()) for n in names))
            now = _read(f"/proc/{self.pid}/syscall")
            first = now.split(b" ", 1)[0]
            return first.isdigit() and int(first) in numbers, now
        live = [path for path in strace.logs(self.tag).values() if not strace.ended(path)]
        return (bool(live) and all(strace.waits_in(path, names) for path in live),
                sorted((path, os.path.getsize(path)) for path in live))

    def stop(self, sig):
        if self.proc.poll() is None:
            _signal(self.pid, sig)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _signal(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def result(self):
        code = self.proc.returncode
        processes = strace.processes(self.tag, self.spec["calls"], self.spec["trace_from"]) if self.spec["traced"] \
            else []
        return {
            "status": code if code is not None and code >= 0 else None,
            "signal": -code if code is not None and code < 0 else None,
            "stdout": base64.b64encode(_read(self.tag + ".out")).decode(),
            "stderr": base64.b64encode(_read(self.tag + ".err")).decode(),
            "received": base64.b64encode(b"".join(p.received for p in processes)).decode(),
            "trace": processes[0].trace if processes else [],
            "children": [p.trace for p in processes[1:]],
            "timed_out": self.timed_out,
        }


def _settle(servers, seconds):
    """Wait until every live server idles with its logs unchanged for 0.1 s (at most seconds)."""
    deadline, stable, state = time.monotonic() + seconds, 0, None
    while time.monotonic() < deadline and stable < 2:
        seen = [one.idle() for one in servers if one.proc.poll() is None]
        now = [logs for _, logs in seen]
        stable = stable + 1 if now == state and all(waiting for waiting, _ in seen) else 0
        state = now
        time.sleep(0.05)


def run(spec):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)
    workdir = tempfile.mkdtemp(prefix="csock-compare-")
    started, stops = [], spec.get("stops", [])
    servers_now = lambda: [one for one in started if one.spec["role"] == "server"]
    # A server that never idles (it polls) is stopped stop_after seconds after the clients, not when idle.
    settle = lambda: min([spec["idle_timeout"]] + [one.spec["stop_after"] for one in servers_now()
                                                   if one.spec.get("stop_after") is not None])
    try:
        if spec.get("wine"):  # a Windows program among the processes (a cross-OS scenario)
            winsock.start_wineserver()
        for index, process in enumerate(spec["processes"] + [None]):
            for _after, server, sig in (stop for stop in stops if stop[0] == index):  # a stop written here
                _settle(servers_now(), settle())
                started[server].stop(sig)
            if process is None:
                break
            one = Started(process, workdir, index)
            started.append(one)
            if process["role"] == "server":
                one.feed()
                while time.monotonic() < one.deadline and one.proc.poll() is None:
                    if is_ready(process["ready"], one.before, one.tag + ".out") if process["ready"] \
                            else one.idle()[0]:
                        break
                    time.sleep(0.01)
                one.deadline = float("inf")
            else:
                one.feed()
                if not process["background"]:
                    one.finish()
        _settle(servers_now(), settle())
        servers = servers_now()
        for one in servers:
            one.stop(spec["stop_signal"])
        for one in started:
            if one.spec["role"] != "server":
                one.finish()
        return {"processes": [one.result() for one in started]}
    finally:
        for one in started:
            if one.proc.poll() is None:
                _signal(one.pid, signal.SIGKILL)
                one.proc.kill()
                one.proc.wait(timeout=5)
        if spec.get("wine"):
            winsock.stop_wineserver()
        _kill_rest_of_group()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)

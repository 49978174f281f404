"""Runs the family programs of issue 14 (csrc/Linux/*.c and their ports in Linux/) side by side: the driver and
the comparison that tests/test_family_linux.py uses.

Each scenario runs twice (or four times, crossing servers and clients) in a private network namespace
(`unshare -rn`, only `lo` up), every program under `strace -ff`, and compares per process: how it ended, stdout,
stderr, the bytes it read from its sockets and its syscalls (main process from its first socket() on, forked
children whole; pointers, pids, ephemeral ports and the temp dir replaced). The peers are the test's own (stdlib
`socket`, untraced, the same in every run); what they print is compared too.

`python tests/family_runs.py --inside` is the driver that runs inside the namespace (JSON on stdin/stdout).
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

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C_DIR = os.path.join(REPO, "build", "c", "Linux")
TRACED = ("socket,bind,listen,accept,accept4,connect,read,write,close,recvfrom,sendto,shutdown,select,pselect6,"
          "poll,ppoll,epoll_create1,epoll_ctl,epoll_wait,fcntl,setsockopt,getsockopt,unlink,wait4,clone,clone3")


# --- inside the namespace ----------------------------------------------------------------------------

def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def _ports(table):
    rows = []
    for suffix in ("", "6"):
        rows += _read(f"/proc/net/{table}{suffix}").decode().split("\n")[1:]
    return [(int(r.split()[1].rsplit(":", 1)[1], 16), r.split()[3]) for r in rows if r.strip()]


def _ready(ready):
    kind, value = next(iter(ready.items()))
    if kind == "tcp":
        return (value, "0A") in _ports("tcp")
    if kind == "udp":
        return any(port == value for port, _state in _ports("udp"))
    return os.path.exists(value)  # unix: the socket file exists


def _logs(prefix):
    directory, base = os.path.split(prefix)
    return sorted((int(name.rsplit(".", 1)[1]), os.path.join(directory, name))
                  for name in os.listdir(directory) if name.startswith(base + ".") and name.rsplit(".", 1)[1].isdigit())


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, TypeError):  # ended meanwhile, or never found
        pass


def _start(step, workdir, tag, server):
    prefix = os.path.join(workdir, tag)
    argv = [a.replace("{tmp}", workdir) for a in step["argv"]]
    command = argv
    if server:
        command = ["stdbuf", "-oL"] + command
    if step.get("traced", True):
        calls = TRACED + "".join("," + extra for extra in step.get("trace", ()))
        command = ["strace", "-ff", "-o", prefix, "-s", "70000", "-xx", "-e", "trace=" + calls, "--"] + command
    out, err = open(prefix + ".out", "wb"), open(prefix + ".err", "wb")
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err)
    out.close()
    err.close()
    return proc


def _program_pid(proc, traced, deadline, prefix):
    """The traced program's pid: that of the first log strace -ff opened (its own probes are not traced)."""
    if not traced:
        return proc.pid
    while time.monotonic() < deadline:
        logs = _logs(prefix)
        if logs:
            return logs[0][0]
        if proc.poll() is not None:
            return None
        time.sleep(0.005)
    return None


def _result(workdir, tag, proc, timed_out=False):
    prefix = os.path.join(workdir, tag)
    code = proc.returncode
    return {"status": code if code >= 0 else None, "signal": -code if code < 0 else None,
            "stdout": base64.b64encode(_read(prefix + ".out")).decode(),
            "stderr": base64.b64encode(_read(prefix + ".err")).decode(),
            "logs": [_read(path).decode("utf-8", "replace") for _pid, path in _logs(prefix)],
            "timed_out": timed_out, "workdir": workdir}


def _settled(servers, workdir, seconds):
    """Wait until every live server's logs stay unchanged for 0.3 s (or seconds pass)."""
    deadline = time.monotonic() + seconds
    last, stable = None, 0
    while time.monotonic() < deadline and stable < 6:
        now = [[os.path.getsize(p) for _pid, p in _logs(os.path.join(workdir, tag))]
               for tag, proc, _pid in servers if proc.poll() is None]
        stable = stable + 1 if now == last else 0
        last = now
        time.sleep(0.05)


def inside(spec):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)
    workdir = tempfile.mkdtemp(prefix="csock-family-")
    servers, results, started, background = [], {}, [], []
    try:
        for index, step in enumerate(spec["steps"]):
            tag = f"p{index}"
            kind = step["kind"]
            if kind == "sleep":
                time.sleep(step["seconds"])
                continue
            if kind == "signal":  # to a server, then wait for its end
                _settled(servers, workdir, 3)
                stag, proc, pid = servers[step["server"]]
                if pid and proc.poll() is None:
                    _kill(pid, step["signal"])
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    _kill(pid, signal.SIGKILL)
                    proc.wait(timeout=5)
                results[stag] = _result(workdir, stag, proc)
                continue
            if kind == "peer":
                step = dict(step, argv=[sys.executable, "-c", step["code"], *step.get("args", [])], traced=False)
            server = kind == "server"
            proc = _start(step, workdir, tag, server)
            started.append((tag, proc))
            deadline = time.monotonic() + step.get("timeout", 10)
            pid = _program_pid(proc, step.get("traced", True), deadline, os.path.join(workdir, tag))
            if server:
                servers.append((tag, proc, pid))
                ready = {k: (v.replace("{tmp}", workdir) if isinstance(v, str) else v)
                         for k, v in step.get("ready", {"tcp": 3600}).items()}
                while time.monotonic() < deadline and proc.poll() is None and not _ready(ready):
                    time.sleep(0.01)
                proc.stdin.close()
                continue
            if step.get("background"):  # left running; its stdin is written now and closed
                proc.stdin.write(base64.b64decode(step.get("stdin", "")))
                proc.stdin.close()
                background.append((tag, proc, pid, deadline))
                continue
            timed_out = False
            try:
                proc.communicate(base64.b64decode(step.get("stdin", "")), timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
                if pid:
                    _kill(pid, signal.SIGKILL)
                proc.kill()
                proc.wait(timeout=5)
            results[tag] = _result(workdir, tag, proc, timed_out)
        _settled(servers, workdir, spec.get("idle", 5))
        for tag, proc, pid in servers:
            if tag in results:
                continue
            if proc.poll() is None and pid:
                _kill(pid, spec.get("stop_signal", signal.SIGTERM))
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill(pid, signal.SIGKILL)
                proc.wait(timeout=5)
            results[tag] = _result(workdir, tag, proc)
        for tag, proc, pid, deadline in background:
            timed_out = False
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
                proc.kill()
                proc.wait(timeout=5)
            results[tag] = _result(workdir, tag, proc, timed_out)
    finally:
        for tag, proc in started:
            if proc.poll() is None:
                for pid, _path in _logs(os.path.join(workdir, tag)):
                    _kill(pid, signal.SIGKILL)
                proc.kill()
                proc.wait(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)
    return [results[k] for k in sorted(results, key=lambda t: int(t[1:]))]


# --- outside: running and normalising -----------------------------------------------------------------

_CALL = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<ret>.*)$")
_UNFINISHED = re.compile(r"^(?P<head>\w+\(.*?)\s*<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>\s?(?P<tail>.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_POINTER = re.compile(r"\b0x[0-9a-f]+\b")
_PORT = re.compile(r"htons\((\d+)\)")
_PIDS = re.compile(r"(si_pid|si_uid|si_utime|si_stime|si_status)=\d+")
_FD_CALLS = {"bind", "listen", "accept", "accept4", "connect", "read", "write", "close", "recvfrom", "sendto",
             "shutdown", "fcntl", "setsockopt", "getsockopt", "epoll_ctl", "epoll_wait"}


def _ephemeral():
    low, high = map(int, _read("/proc/sys/net/ipv4/ip_local_port_range").split() or (32768, 60999))
    return low, high


def _decode(body):
    return bytes(int(h, 16) for h in re.findall(r"\\x([0-9a-f]{2})", body))


def normalise(log, workdir, whole, drop=(), start=r"^socket\("):
    """(lines, bytes read from sockets) of one process's strace log: from the first line holding start on
    (whole: all of it), the lines holding any of drop left out."""
    lines = []
    for raw in log.split("\n"):
        if not raw.strip() or raw.startswith("+++ exited") or raw.startswith("+++ killed"):
            if raw.startswith("+++"):
                lines.append(raw.strip())
            continue
        m = _UNFINISHED.match(raw)
        lines.append(m.group("head") if m else raw)
    if not whole:
        first = next((i for i, line in enumerate(lines)
                      if re.search(start, _STRING.sub(lambda m: _decode(m.group(1)).decode("latin-1"), line))),
                     len(lines))
        lines = lines[first:]
    low, high = _ephemeral()
    tmp = workdir.encode()  # strace -xx writes every string in hex: the temp dir is replaced once decoded
    received = bytearray()
    out = []
    for line in lines:
        line = re.sub(r"\)\s+= ", ") = ", line.replace(workdir, "TMP"))  # strace pads results to a column
        line = _PIDS.sub(lambda m: m.group(1) + "=N", line)
        line = _PORT.sub(lambda m: "htons(EPHEMERAL)" if low <= int(m.group(1)) <= high else m.group(), line)
        call = _CALL.match(line)
        if call and call.group("name") in ("wait4", "clone", "clone3"):
            line = re.sub(r"= [1-9]\d*$", "= PID", line)  # a pid; 0 (WNOHANG, none ended) stays
            line = re.sub(r"child_tidptr=0x[0-9a-f]+", "child_tidptr=ADDR", line)
        if call and call.group("name") in ("read", "recvfrom") and not call.group("args").startswith("0,"):
            m = _STRING.search(call.group("args"))
            ret = call.group("ret").split()[0]
            if m and ret.isdigit() and int(ret) > 0:
                received += _decode(m.group(1))
        if any(d in line for d in drop):
            continue
        line = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: _short(_decode(m.group(1)).replace(tmp, b"TMP")), line)
        out.append(_POINTER.sub("0xADDR", line))
    return out, bytes(received)


def _short(data):
    text = data[:40].decode("latin-1").encode("unicode_escape").decode()
    return f'"{text}"' + (f"...({len(data)} B)" if len(data) > 40 else "")


def run(steps, stop_signal=signal.SIGTERM, idle=5, timeout=90):
    spec = json.dumps({"steps": steps, "stop_signal": int(stop_signal), "idle": idle}).encode()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = REPO
    proc = subprocess.Popen(["unshare", "-rn", "--", sys.executable, os.path.abspath(__file__), "--inside"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(spec, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 0, err.decode(errors="replace")
    return json.loads(out)


def view(result, drop=(), sort=False, start=r"^socket\("):
    """What is compared of one process: ending, stdout, stderr, bytes read, syscalls per process."""
    traces, received = [], b""
    for number, log in enumerate(result["logs"]):
        lines, got = normalise(log, result["workdir"], whole=number > 0, drop=drop, start=start)
        traces.append(sorted(lines) if sort else lines)
        received += got
    ending = f"signal {signal.Signals(result['signal']).name}" if result["signal"] else f"exit {result['status']}"
    return {"ending": ending, "stdout": base64.b64decode(result["stdout"]),
            "stderr": base64.b64decode(result["stderr"]), "received": received, "syscalls": traces}


def program(side, name, *args):
    if side == "C":
        return [os.path.join(C_DIR, name), *args]
    return [sys.executable, os.path.join(REPO, "Linux", name + ".py"), *args]


def b64(data):
    return base64.b64encode(data).decode()


def first_difference(c_views, py_views, keys=("ending", "stdout", "stderr", "received", "syscalls")):
    for index, (c, py) in enumerate(zip(c_views, py_views)):
        for key in keys:
            if c[key] != py[key]:
                if key == "syscalls":
                    for p, (a, b) in enumerate(zip(c[key], py[key])):
                        if a != b:
                            n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                            return (f"process {index} ({'child ' + str(p) if p else 'main'}) syscall {n + 1}:\n"
                                    f"  C:  {a[n] if n < len(a) else '(none)'}\n  Py: {b[n] if n < len(b) else '(none)'}")
                    return f"process {index}: {len(c[key])} vs {len(py[key])} processes"
                return f"process {index} {key}: C {c[key]!r} vs Py {py[key]!r}"
    return None


def compare(make_steps, sides=(("C", "C"), ("Py", "Py")), drop=(), sort=False, start=r"^socket\(",
            keys=("ending", "stdout", "stderr", "received", "syscalls"), **kwargs):
    """Run the scenario for each side pair; assert each run equals the first (all-C) one. Returns the C views."""
    runs = {s: [view(r, drop, sort, start) for r in run(make_steps(*s), **kwargs)] for s in sides}
    reference = runs[sides[0]]
    for s in sides[1:]:
        found = first_difference(reference, runs[s], keys)
        assert found is None, f"{sides[0]} vs {s}: {found}"
    return reference


if __name__ == "__main__":
    if sys.argv[1:] != ["--inside"]:
        sys.exit("usage: python tests/family_runs.py --inside < spec.json  (used by run())")
    json.dump(inside(json.load(sys.stdin)), sys.stdout)

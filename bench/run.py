"""Benchmark: the book's echo server in C, and on csock, the stdlib `socket` module and ctypes under CPython and PyPy.

    python3 bench/run.py            # full run (20,000 connections per run, 5 runs per server), writes bench/results/
    python3 bench/run.py --quick    # under a minute on a quiet machine, writes build/bench/quick-results/

One run measures both interpreters: CPython (this interpreter when it is CPython, else .venv/bin/python or python3)
and PyPy (.venv-pypy/bin/python, made by tests/pypy/run; its rows are left out, with one line, when it is missing).
Every server runs on a fresh free port, in rotated order, with stdout to /dev/null and PYTHONUNBUFFERED unset; a PyPy
server first serves JIT warm-up connections that are not measured. The C load generator (bench/loadgen.c) makes N
sequential connections to 127.0.0.1 (connect / write 1024 / read 1024 / close) and reports connections/s and
round-trip latency; the server's CPU time comes from the kernel (/proc/PID/schedstat: nanoseconds on CPU, user +
system), its peak RSS from /proc/PID/status (VmHWM). Where valgrind is installed, callgrind counts the server's
user-space instructions for W + N and W + 2N connections (W: the warm-up; PyPy's JIT code needs
--smc-check=all-non-file): the difference / N is the cost of one connection, start-up and warm-up cancelled.

Reference floors, not deliverables, run the same loop with the least a binding can cost per call: csock's raw cffi
functions with no check (cffi's own call protocol) on each interpreter, and a minimal C-API extension on CPython
(bench/floors/capi_floor.c, built here; left out when CPython's Python.h is missing).
"""
import argparse
import concurrent.futures
import csv
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, "build", "bench")
VERBOSE = False  # --verbose: log every server process started
# Every wait for a server (to listen, to answer one call, to stop) is its quiet-machine bound times PATIENCE: at least
# --patience, and at least the load average per core when the run starts (a machine at load 20 on 2 cores gives each
# process a tenth of a core). A server that hangs still fails the run, only later.
PATIENCE = 1.0

CSOCK_SERVER = os.path.join(ROOT, "Linux", "echo_server.py")
C_SERVER = os.path.join(ROOT, "build", "c", "Linux", "echo_server")  # what `make -C csrc` builds
CAPI_FLOOR_SOURCE = os.path.join(HERE, "floors", "capi_floor.c")
PYPY_VENV = os.path.join(ROOT, ".venv-pypy", "bin", "python")  # tests/pypy/run makes it

# The Python program of each server; "pypy-X" runs program X on PyPy, every other name on CPython.
PROGRAMS = {
    "csock": CSOCK_SERVER,
    "stdlib": os.path.join(HERE, "servers", "echo_server_stdlib.py"),
    "ctypes": os.path.join(HERE, "servers", "echo_server_ctypes.py"),
    "cffi": os.path.join(HERE, "servers", "echo_server_cffi_raw.py"),
    "capi": os.path.join(HERE, "servers", "echo_server_capi.py"),
}
# The C original comes first: every ratio is to it. The floors come last: references, not deliverables.
SERVERS = ["c", "csock", "stdlib", "ctypes", "pypy-csock", "pypy-stdlib", "pypy-ctypes", "cffi", "capi", "pypy-cffi"]
FLOORS = ["cffi", "capi", "pypy-cffi"]
SHORT = {"c": "C", "csock": "CPython csock", "stdlib": "CPython stdlib", "ctypes": "CPython ctypes",
         "pypy-csock": "PyPy csock", "pypy-stdlib": "PyPy stdlib", "pypy-ctypes": "PyPy ctypes",
         "cffi": "floor: CPython raw cffi", "capi": "floor: CPython C-API", "pypy-cffi": "floor: PyPy raw cffi"}

# What issue 12 asks, every bounds check kept: (server, metric, bound, "min" or "max", the server the ratio is to).
TARGETS = [
    ("pypy-csock", "conn_per_s", 0.98, "min", "c"),
    ("pypy-csock", "cpu_us_per_conn", 1.10, "max", "c"),
    ("pypy-csock", "ir_per_conn", 1.30, "max", "c"),
    ("csock", "ir_per_conn", 1.30, "max", "cffi"),
    ("csock", "conn_per_s", 0.95, "min", "c"),
]
# ... and ahead of these, on connections/s, CPU and instructions per connection.
RIVALS = {"pypy-csock": ("pypy-stdlib", "pypy-ctypes"), "csock": ("stdlib", "ctypes")}
RIVAL_METRICS = ["conn_per_s", "cpu_us_per_conn", "ir_per_conn"]
HIGHER_IS_BETTER = {"conn_per_s": True, "cpu_us_per_conn": False, "ir_per_conn": False, "peak_rss_mib": False,
                    "lat_mean_us": False, "lat_p99_us": False, "htons_ns": False, "write_read_1024_ns": False}
METRIC_TITLES = {"conn_per_s": "connections/s", "cpu_us_per_conn": "server CPU µs / connection",
                 "ir_per_conn": "user-space instructions / connection", "peak_rss_mib": "peak RSS MiB",
                 "lat_mean_us": "latency mean µs", "lat_p99_us": "latency p99 µs", "htons_ns": "htons ns / call",
                 "write_read_1024_ns": "write+read 1024 B ns / pair"}


def interpreter(name):
    """"pypy" or "cpython" for a Python server, None for C."""
    return None if name == "c" else "pypy" if name.startswith("pypy-") else "cpython"


def program(name):
    return name.split("-", 1)[1] if name.startswith("pypy-") else name


def meets(ratio, bound, kind):
    """Whether a ratio to C meets a target of TARGETS ("min": at least bound, "max": at most)."""
    return ratio >= bound if kind == "min" else ratio <= bound


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- building ------------------------------------------------------------------------------------

def compile_c(source, output, *flags):
    if os.path.exists(output) and os.path.getmtime(output) >= os.path.getmtime(source):
        return output
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", *flags, "-o", output, source], check=True, timeout=120)
    return output


_PROBE = """import json, platform, sys, sysconfig
try:
    import csock._csock
    csock_error = None
except Exception as e:
    csock_error = repr(e)
print(json.dumps({"implementation": platform.python_implementation(), "version": platform.python_version(),
                  "executable": sys.executable, "include": sysconfig.get_paths()["include"],
                  "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"), "csock_error": csock_error}))
"""


def probe(python):
    """What python is (implementation, version, headers) and whether csock imports there; None if it does not run."""
    try:
        out = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, timeout=120 * PATIENCE, cwd=ROOT,
                             env=server_env())
    except OSError:
        return None
    return json.loads(out.stdout) if out.returncode == 0 else None


def find_interpreters(args):
    """{"cpython": probe, "pypy": probe}, each the binary itself (not pyenv's `python3` shim); a missing one logged."""
    this = "pypy" if platform.python_implementation() == "PyPy" else "cpython"
    candidates = {
        "cpython": [args.cpython] if args.cpython else
        ([sys.executable] if this == "cpython" else []) + [os.path.join(ROOT, ".venv", "bin", "python"), "python3"],
        "pypy": [args.pypy] if args.pypy else ([sys.executable] if this == "pypy" else []) + [PYPY_VENV],
    }
    found = {}
    for impl, paths in candidates.items():
        for path in paths:
            info = probe(path) if path and (os.sep not in path or os.path.exists(path)) else None
            if info and info["implementation"].lower() == impl and not info["csock_error"]:
                found[impl] = info
                break
        else:
            hint = " (tests/pypy/run makes .venv-pypy)" if impl == "pypy" else ""
            log(f"bench: no {impl} interpreter with csock built among {', '.join(p for p in paths if p) or '-'}"
                f"{hint}: its rows are left out")
    return found


def build_capi_floor(cpython):
    """bench/floors/capi_floor.c as an extension module of CPython in build/bench/, or None (logged) without Python.h."""
    include = cpython["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        log(f"bench: no Python.h in {include}: the floor: C-API row is left out")
        return None
    return compile_c(CAPI_FLOOR_SOURCE, os.path.join(BUILD, "capi_floor" + cpython["ext_suffix"]),
                     "-shared", "-fPIC", "-I", include)


def build(interpreters):
    os.makedirs(BUILD, exist_ok=True)
    # The C original exactly as the project builds it (csrc/Makefile: gcc -Wall, as the book does).
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "csrc")], check=True, timeout=300, stdout=subprocess.DEVNULL)
    return {
        "loadgen": compile_c(os.path.join(HERE, "loadgen.c"), os.path.join(BUILD, "loadgen")),
        "callcost": compile_c(os.path.join(HERE, "callcost.c"), os.path.join(BUILD, "callcost")),
        "c_server": C_SERVER,
        "capi_floor": build_capi_floor(interpreters["cpython"]) if "cpython" in interpreters else None,
    }


def server_commands(binaries, interpreters):
    if not os.path.exists(CSOCK_SERVER):
        raise SystemExit(f"bench: {CSOCK_SERVER} does not exist yet")
    commands = {"c": [binaries["c_server"]]}
    for name in SERVERS[1:]:
        python = interpreters.get(interpreter(name))
        if python is None or (program(name) == "capi" and not binaries["capi_floor"]):
            continue  # no such interpreter here; no C-API floor without Python.h
        commands[name] = [python["executable"], PROGRAMS[program(name)]]
    return commands


def server_env():
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)  # it would add a write syscall per print
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["CSOCK_BENCH_BUILD"] = BUILD  # where echo_server_capi.py finds the capi_floor module
    return env


# --- one server process --------------------------------------------------------------------------

_ports_given = set()
_ports_lock = threading.Lock()


def free_port():
    """A port no socket uses now, not even in TIME_WAIT (the kernel picked it for a bind, nothing connected), and
    that this run has not given to another server (a server may not have bound its port yet)."""
    with _ports_lock:
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("0.0.0.0", 0))
                port = s.getsockname()[1]
            if port not in _ports_given:
                _ports_given.add(port)
                return port


def listening(port):
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        return True
        except FileNotFoundError:
            continue
    return False


def cpu_ns(pid):
    """Nanoseconds the kernel has accounted to the process on CPU (user + system), all threads."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


def peak_rss_mib(pid):
    """The process's peak resident set size (VmHWM), in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def user_sys_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])  # utime, stime (fields 14 and 15 of stat(5))


class Server:
    """A server process on a fresh port; always stopped on exit from the with block."""

    def __init__(self, command, timeout, wrapper=(), env=None):
        self.port = free_port()
        self.env = dict(server_env(), **(env or {}))
        self.command = list(wrapper) + list(command) + [str(self.port)]
        self.timeout = timeout * PATIENCE
        self.stderr = tempfile.TemporaryFile()
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=self.stderr, stdin=subprocess.DEVNULL,
                                     env=self.env, cwd=ROOT)
        if VERBOSE:
            log(f"  server pid {self.proc.pid}: {' '.join(self.command)}")
        deadline = time.monotonic() + self.timeout
        while not listening(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}): {self.command}\n{self.errors()}")
            if time.monotonic() > deadline:
                self.stop()  # __exit__ does not run when __enter__ raises
                raise RuntimeError(f"server not listening after {self.timeout:.0f} s: {self.command}")
            time.sleep(0.02)
        return self

    def errors(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-2000:]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:  # valgrind writes its counts on SIGTERM: slow for a big program on a busy machine
                self.proc.wait(timeout=30 * PATIENCE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10 * PATIENCE)
                log(f"  server pid {self.proc.pid}: killed: still running {30 * PATIENCE:.0f} s after SIGTERM")

    def __exit__(self, *exc):
        self.stop()
        self.stderr.close()


def load(loadgen, port, connections, call_timeout=5, per_connection=0.01):
    """The load generator's figures for N connections; each of its calls gives up after call_timeout x PATIENCE
    seconds, and the whole run after 10 such calls plus per_connection seconds a connection (x PATIENCE)."""
    call_timeout = math.ceil(call_timeout * PATIENCE)
    out = subprocess.run([loadgen, str(port), str(connections), str(call_timeout)], capture_output=True, text=True,
                         timeout=(60 + connections * per_connection) * PATIENCE + 10 * call_timeout)
    fields = dict(kv.split("=", 1) for kv in out.stdout.split())
    if out.returncode != 0 or int(fields.get("connections", 0)) != connections or fields.get("bad_echoes") != "0":
        raise RuntimeError(f"load generator failed ({out.returncode}): {out.stdout.strip()} {out.stderr.strip()}")
    return {k: float(v) for k, v in fields.items()}


def measure_load(binaries, command, connections, warmup):
    """Connections/s and latency from the load generator, server CPU per connection from the kernel."""
    with Server(command, timeout=30) as server:
        if warmup:
            load(binaries["loadgen"], server.port, warmup)
        cpu0, (user0, sys0) = cpu_ns(server.proc.pid), user_sys_ticks(server.proc.pid)
        result = load(binaries["loadgen"], server.port, connections)
        cpu1, (user1, sys1) = cpu_ns(server.proc.pid), user_sys_ticks(server.proc.pid)
        rss = peak_rss_mib(server.proc.pid)
    hz = os.sysconf("SC_CLK_TCK")
    return {
        "conn_per_s": result["conn_per_s"],
        "lat_mean_us": result["lat_mean_us"],
        "lat_p99_us": result["lat_p99_us"],
        "cpu_us_per_conn": (cpu1 - cpu0) / 1e3 / connections,
        "user_us_per_conn": (user1 - user0) / hz * 1e6 / connections,
        "sys_us_per_conn": (sys1 - sys0) / hz * 1e6 / connections,
        "peak_rss_mib": rss,
    }


def callgrind_total(binaries, command, warmup, connections, workdir, jit):
    """(instructions callgrind counted in the server, CPU seconds the server used under valgrind)."""
    out_file = os.path.join(workdir, f"callgrind.{os.getpid()}.{time.monotonic_ns()}")
    wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
    if jit:  # code that PyPy's JIT writes at run time: valgrind must see it change, or it runs stale translations
        wrapper.append("--smc-check=all-non-file")
    # A fixed hash seed: Python's start-up then costs the same in both runs and cancels exactly.
    # PyPy takes ~20 s to start under valgrind on a quiet machine, and a connection to PyPy's ctypes server (~1 ms
    # natively) can take ~50 ms under it; a JIT compilation of a few seconds can fall in one call.
    with Server(command, timeout=300, wrapper=wrapper, env={"PYTHONHASHSEED": "0"}) as server:
        if warmup:
            load(binaries["loadgen"], server.port, warmup, call_timeout=30, per_connection=0.1)
        load(binaries["loadgen"], server.port, connections, call_timeout=30, per_connection=0.1)
        cpu_s = sum(user_sys_ticks(server.proc.pid)) / os.sysconf("SC_CLK_TCK")
    with open(out_file) as f:  # valgrind writes it when the server dies of SIGTERM
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1]), cpu_s
    raise RuntimeError(f"no totals in {out_file}")


def measure_instructions(binaries, command, warmup, connections, workdir, jit):
    """User-space instructions per connection: (total for W + 2N connections - total for W + N) / N; and the CPU
    seconds of the longer run (on a quiet 2-core machine, about the wall time of the pair)."""
    # Both at once: instruction counts do not depend on what else runs, and valgrind's start-up is slow.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        (small, _), (large, cpu_s) = pool.map(lambda n: callgrind_total(binaries, command, warmup, n, workdir, jit),
                                              (connections, 2 * connections))
    return (large - small) / connections, cpu_s


def measure_callcost(binaries, interpreters, servers, loops, repeats, seconds):
    """ns per call of htons and of write+read of 1024 bytes over a socketpair, per API and interpreter (the keys of
    SERVERS: "csock", "pypy-csock"...); C from an in-process loop. Each Python loop runs about seconds (at most
    loops calls): a slow API (PyPy's ctypes: ~1 ms per write+read) costs no more time than a fast one."""
    per_api = {"c": {"htons": [], "write_read_1024": []}}
    for _ in range(repeats):
        out = subprocess.run([binaries["callcost"], str(loops), "1"], capture_output=True, text=True,
                             timeout=300 * PATIENCE, check=True)
        fields = dict(kv.split("=", 1) for kv in out.stdout.split())
        per_api["c"]["htons"].append(float(fields["htons_ns"]))
        per_api["c"]["write_read_1024"].append(float(fields["write_read_1024_ns"]))
    for impl, prefix in (("cpython", ""), ("pypy", "pypy-")):
        if impl not in interpreters or not any(interpreter(s) == impl for s in servers):
            continue
        # 6 loops (3 APIs x 2 calls), each found by doubling (< 2 x 2 x seconds) then timed repeats times with its
        # empty loop (< 2 x seconds each): the timeout leaves 10x that for a loaded machine, plus start-up.
        budget = 6 * (4 + 2 * repeats) * seconds
        out = subprocess.run([interpreters[impl]["executable"], os.path.join(HERE, "callcost.py"), str(loops),
                              str(repeats), str(seconds)], capture_output=True, text=True,
                             timeout=(120 + 10 * budget) * PATIENCE,
                             env=server_env(), cwd=ROOT)
        if out.returncode != 0:
            raise RuntimeError(f"callcost.py on {impl} failed: {out.stderr}")
        per_api.update({prefix + api: calls for api, calls in json.loads(out.stdout).items()})
    return per_api


# --- the run -------------------------------------------------------------------------------------

def machine(interpreters):
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cc = subprocess.run([os.environ.get("CC", "cc"), "--version"], capture_output=True, text=True).stdout.splitlines()
    return {
        "cpu": model, "cores": os.cpu_count(), "kernel": f"{platform.system()} {platform.release()}",
        "python": ", ".join(f"{i['implementation']} {i['version']}" for i in interpreters.values()),
        "cc": cc[0] if cc else "?",
        "loadavg_start": " ".join(open("/proc/loadavg").read().split()[:3]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def set_patience(floor):
    """PATIENCE: floor, or the load average per core now if higher."""
    global PATIENCE
    PATIENCE = max(floor, os.getloadavg()[0] / (os.cpu_count() or 1))


def run(args):
    started = time.monotonic()
    set_patience(args.patience)
    interpreters = find_interpreters(args)
    binaries = build(interpreters)
    commands = server_commands(binaries, interpreters)
    servers = [s for s in SERVERS if s in args.servers and s in commands]
    info = machine(interpreters)
    log(f"bench: {info['cpu']}, {info['cores']} cores, {info['python']}, load average {info['loadavg_start']}; "
        f"waits for a server x{PATIENCE:.1f}")
    rows = []  # long format: one measurement per row
    phases = []  # (what, seconds it took), printed with the table

    def phase_done(what, since):
        phases.append((what, time.monotonic() - since))
        log(f"bench: {what} took {phases[-1][1]:.0f} s")

    def warmup(name):  # PyPy's JIT compiles the loop during its warm-up connections, which are not measured
        return args.pypy_warmup if interpreter(name) == "pypy" else args.warmup

    since = time.monotonic()
    for rep in range(args.repeats):
        order = servers[rep % len(servers):] + servers[:rep % len(servers)]  # rotated: no server always goes first
        for name in order:
            result = measure_load(binaries, commands[name], args.connections, warmup(name))
            log(f"  run {rep + 1}/{args.repeats} {name:11} {result['conn_per_s']:9.0f} conn/s "
                f"{result['cpu_us_per_conn']:6.1f} µs CPU/conn {result['peak_rss_mib']:6.1f} MiB")
            rows += [{"server": name, "metric": k, "repeat": rep, "value": v} for k, v in result.items()]
    phase_done("load runs", since)

    has_valgrind = shutil.which("valgrind") is not None
    if args.callgrind_connections and has_valgrind:
        counted = [s for s in servers if args.callgrind_servers is None or s in args.callgrind_servers]
        since = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="csock-bench-") as workdir:
            for rep in range(args.callgrind_repeats):
                for name in counted:
                    jit = interpreter(name) == "pypy"
                    server_since = time.monotonic()
                    ir, cpu_s = measure_instructions(binaries, commands[name], args.pypy_warmup if jit else 0,
                                                     args.callgrind_connections, workdir, jit)
                    log(f"  callgrind {name:11} {ir:9.0f} instructions/conn "
                        f"({time.monotonic() - server_since:.0f} s; {cpu_s:.0f} s CPU under valgrind)")
                    rows.append({"server": name, "metric": "ir_per_conn", "repeat": rep, "value": ir})
        phase_done("callgrind", since)
    elif not has_valgrind:
        log("bench: valgrind not installed: no instruction counts")

    if args.callcost_loops:
        since = time.monotonic()
        costs = measure_callcost(binaries, interpreters, servers, args.callcost_loops, args.repeats,
                                 args.callcost_seconds)
        for api, calls in costs.items():
            if api in servers:
                for call, values in calls.items():
                    rows += [{"server": api, "metric": f"{call}_ns", "repeat": i, "value": v} for i, v in enumerate(values)]
        phase_done("per-call timing", since)

    info["loadavg_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    phases.append(("in all", time.monotonic() - started))
    info["took"] = ", ".join(f"{what} {seconds / 60:.1f} min" for what, seconds in phases)
    summary = summarize(rows, servers)
    text = table(summary, servers, info, args)
    print(text)
    write_results(args.out, rows, summary, text, info, servers)
    return summary


def summarize(rows, servers):
    values = {}
    for row in rows:
        values.setdefault((row["server"], row["metric"]), []).append(row["value"])
    summary = {}
    for (name, metric), vals in values.items():
        summary[(name, metric)] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}
    for (name, metric), s in summary.items():
        base = summary.get(("c", metric))
        s["ratio_to_c"] = s["median"] / base["median"] if base and base["median"] else None
    return summary


def _fmt(value):
    if value >= 10000:
        return f"{value / 1000:.1f}k"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(summary, name, metric, reference):
    """median of name / median of reference for metric, or None where either is not measured."""
    s, r = summary.get((name, metric)), summary.get((reference, metric))
    return s["median"] / r["median"] if s and r and r["median"] else None


def target_checks(summary, servers):
    """Every target of issue 12 for the servers run: (text, True for met / False for missed / None if not measured).
    A target whose server or reference was left out of the run (--servers) is not listed; one left out of a step
    (callgrind: --callgrind-servers, no valgrind) is listed as not measured."""
    checks = []
    for name, metric, bound, kind, reference in TARGETS:
        if name not in servers or reference not in servers:
            continue
        r = ratio(summary, name, metric, reference)
        what = f"{SHORT[name]}, {METRIC_TITLES[metric]}"
        sign = ">=" if kind == "min" else "<="
        if r is None:
            checks.append((f"{what} (target {sign} {bound:.2f}x {SHORT[reference]})", None))
        else:
            checks.append((f"{what}: {r:.3f}x {SHORT[reference]} (target {sign} {bound:.2f}x)", meets(r, bound, kind)))
    for name, rivals in RIVALS.items():
        for other in rivals:
            if name not in servers or other not in servers:
                continue
            for metric in RIVAL_METRICS:
                s, o = summary.get((name, metric)), summary.get((other, metric))
                better = "more" if HIGHER_IS_BETTER[metric] else "fewer" if metric == "ir_per_conn" else "less"
                what = f"{SHORT[name]} ahead of {SHORT[other]} on {METRIC_TITLES[metric]} ({better})"
                if s is None or o is None:
                    checks.append((what, None))
                    continue
                ahead = s["median"] > o["median"] if HIGHER_IS_BETTER[metric] else s["median"] < o["median"]
                checks.append((f"{what}: {_fmt(s['median'])} vs {_fmt(o['median'])}", ahead))
    return checks


def target_lines(summary, servers):
    """One line per target (met, MISSED or not measured), then how many of them this run met."""
    checks = target_checks(summary, servers)
    if not checks:
        return []
    lines = [f"  {text}: {'not measured' if ok is None else 'met' if ok else 'MISSED'}" for text, ok in checks]
    met = sum(ok is True for _, ok in checks)
    missed = sum(ok is False for _, ok in checks)
    unmeasured = len(checks) - met - missed
    lines.append(f"  {met} of {len(checks)} targets met, {missed} missed"
                 + (f", {unmeasured} not measured in this run" if unmeasured else ""))
    return lines


def table(summary, servers, info, args):
    load_metrics = ["conn_per_s", "cpu_us_per_conn", "ir_per_conn", "peak_rss_mib", "lat_mean_us", "lat_p99_us"]
    call_metrics = ["htons_ns", "write_read_1024_ns"]
    counted = any((s, "ir_per_conn") in summary for s in servers)
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['kernel']}, {info['python']}, {info['cc']}",
        f"Run: {info['date']}, load average {info['loadavg_start']} at start, {info['loadavg_end']} at end; took "
        f"{info['took']}",
        f"Echo server: {args.connections} sequential connections per run (after {args.warmup} warm-up; PyPy after "
        f"{args.pypy_warmup}), {args.repeats} runs per server in rotated order"
        + (f"; instructions: callgrind, ((W + {2 * args.callgrind_connections}) - (W + {args.callgrind_connections}) "
           f"connections) / {args.callgrind_connections}, W = 0 (PyPy: {args.pypy_warmup})" if counted else "")
        + ". Each cell: median (min-max) [ratio to C].",
        "",
    ]

    def render(metrics, names):
        header = ["server"] + [METRIC_TITLES[m] for m in metrics]
        body = []
        for name in names:
            cells = [SHORT[name]]
            for m in metrics:
                s = summary.get((name, m))
                if s is None:
                    cells.append("-")
                    continue
                cell = _fmt(s["median"])
                if s["n"] > 1:
                    cell += f" ({_fmt(s['min'])}-{_fmt(s['max'])})"
                if s["ratio_to_c"] is not None:
                    cell += f" [{s['ratio_to_c']:.2f}x]"
                cells.append(cell)
            body.append(cells)
        widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
        out = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip()]
        out.append("  ".join("-" * w for w in widths))
        rows = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
        floors_at = next((i for i, name in enumerate(names) if name in FLOORS), len(names))
        out += rows[:floors_at]
        if floors_at < len(names):  # under the main rows, set apart: they are references, not deliverables
            out += ["Reference floors (not deliverables): the same loop at the least a binding costs per call"]
            out += rows[floors_at:]
        return out

    main_servers = [s for s in servers if s not in FLOORS]
    lines += render([m for m in load_metrics if any((s, m) in summary for s in servers)], servers)
    if any((s, m) in summary for s in servers for m in call_metrics):
        lines += ["", "Per call (C: an in-process C loop, where htons is one inlined instruction; Python: loop time minus "
                  "empty-loop time):"]
        lines += render(call_metrics, main_servers)  # the floors' calls are not timed here
    targets = target_lines(summary, servers)
    if targets:
        lines += ["", "Targets of issue 12 for Linux/echo_server.py on csock, every bounds check on:"] + targets
    return "\n".join(lines)


def write_results(out_dir, rows, summary, text, info, servers):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, ["server", "metric", "repeat", "value"])
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(out_dir, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["server", "metric", "median", "min", "max", "runs", "ratio_to_c"])
        for (name, metric), s in sorted(summary.items(), key=lambda kv: (SERVERS.index(kv[0][0]), kv[0][1])):
            ratio = "" if s["ratio_to_c"] is None else f"{s['ratio_to_c']:.4f}"
            w.writerow([name, metric, f"{s['median']:.6g}", f"{s['min']:.6g}", f"{s['max']:.6g}", s["n"], ratio])
    with open(os.path.join(out_dir, "table.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(out_dir, "machine.json"), "w") as f:
        json.dump(info, f, indent=1)
    chart(os.path.join(out_dir, "results.png"), summary, servers, info)


def chart(path, summary, servers, info):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("bench: matplotlib is not installed (pip install '.[bench]'): no chart")
        return
    metrics = [m for m in ["conn_per_s", "cpu_us_per_conn", "ir_per_conn", "peak_rss_mib", "lat_mean_us",
                           "htons_ns", "write_read_1024_ns"] if any((s, m) in summary for s in servers)]
    cols = 4
    rows = (len(metrics) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.9 * rows), squeeze=False)
    # One colour per program; PyPy's bars hatched; the floors pale, apart from the rest.
    colors = {"c": "#555555", "csock": "#1f77b4", "stdlib": "#ff7f0e", "ctypes": "#2ca02c",
              "cffi": "#c5b0d5", "capi": "#9467bd"}
    for ax, metric in zip(axes.flat, metrics):
        names = [s for s in servers if (s, metric) in summary][::-1]  # barh draws bottom-up: C on top
        med = [summary[(s, metric)]["median"] for s in names]
        err = [[summary[(s, metric)]["median"] - summary[(s, metric)]["min"] for s in names],
               [summary[(s, metric)]["max"] - summary[(s, metric)]["median"] for s in names]]
        bars = ax.barh([SHORT[s] for s in names], med, xerr=err, capsize=2, color=[colors[program(s)] for s in names],
                       hatch=None)
        for bar, s in zip(bars, names):
            if interpreter(s) == "pypy":
                bar.set_hatch("//")
                bar.set_edgecolor("white")
            r = summary[(s, metric)]["ratio_to_c"]
            if r is not None:
                ax.annotate(f"{r:.2f}x", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                            ha="left", va="center", fontsize=7, xytext=(3, 0), textcoords="offset points")
        better = "higher is better" if HIGHER_IS_BETTER[metric] else "lower is better"
        ax.set_title(f"{METRIC_TITLES[metric]}\n({better})", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.margins(x=0.25)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    fig.suptitle(f"Echo server: C, and csock / stdlib / ctypes on CPython and PyPy (hatched), with reference floors "
                 f"(median, min-max; ratio to C)\n{info['cpu']}, {info['cores']} cores, {info['python']}, "
                 f"{info['date']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small counts, no PyPy under callgrind (its warm-up alone "
                                                         "takes a minute there): under a minute on a quiet machine")
    p.add_argument("--connections", type=int, help="connections per run (default 20000; quick 1000)")
    p.add_argument("--warmup", type=int, help="connections before each measured run (default 1000; quick 100)")
    p.add_argument("--pypy-warmup", type=int,
                   help="PyPy's JIT warm-up: connections before each measured or counted run (default 5000; quick 2000)")
    p.add_argument("--repeats", type=int, help="runs per server (default 5; quick 3)")
    p.add_argument("--callgrind-connections", type=int,
                   help="N for callgrind's W + N and W + 2N runs; 0 skips callgrind (default 2000; quick 300)")
    p.add_argument("--callgrind-repeats", type=int, default=1, help="callgrind measurements per server (default 1)")
    p.add_argument("--callgrind-servers", help="comma-separated servers callgrind counts (default: all; quick: "
                                               "c,csock,cffi)")
    p.add_argument("--callcost-loops", type=int, help="at most this many htons calls per timing loop; write+read "
                                                       "gets a tenth; 0 skips per-call timing (default 1000000; quick "
                                                       "100000)")
    p.add_argument("--callcost-seconds", type=float, help="seconds one timing loop runs, unless it reaches "
                                                          "--callcost-loops first (default 0.2; quick 0.02)")
    p.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of " + ",".join(SERVERS))
    p.add_argument("--cpython", help="the CPython to run (default: this one if CPython, else .venv/bin/python, python3)")
    p.add_argument("--pypy", help="the PyPy to run (default: this one if PyPy, else .venv-pypy/bin/python)")
    p.add_argument("--patience", type=float, default=1.0,
                   help="multiply every wait for a server (to listen, answer, stop) by at least this; the load "
                        "average per core raises it (default 1)")
    p.add_argument("--verbose", action="store_true", help="log the pid and command of every server started")
    p.add_argument("--out", help="results folder (default bench/results; quick build/bench/quick-results)")
    args = p.parse_args(argv)
    quick = args.quick
    defaults = {"connections": (20000, 1000), "warmup": (1000, 100), "pypy_warmup": (5000, 2000), "repeats": (5, 3),
                "callgrind_connections": (2000, 300), "callcost_loops": (1000000, 100000),
                "callcost_seconds": (0.2, 0.02),
                "callgrind_servers": (None, "c,csock,cffi"),
                "out": (os.path.join(HERE, "results"), os.path.join(BUILD, "quick-results"))}
    for key, (full, small) in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, small if quick else full)
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    if args.callgrind_servers is not None:
        args.callgrind_servers = [s.strip() for s in args.callgrind_servers.split(",") if s.strip()]
    unknown = (set(args.servers) | set(args.callgrind_servers or ())) - set(SERVERS)
    if unknown or "c" not in args.servers:
        p.error(f"--servers must include c and only name {', '.join(SERVERS)}")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    VERBOSE = arguments.verbose
    run(arguments)

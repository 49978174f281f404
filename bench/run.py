"""Benchmark: the book's echo server in C, on csock, on the stdlib `socket` module and on ctypes, side by side.

    python3 bench/run.py            # full run (50,000 connections per run, 5 runs per server), writes bench/results/
    python3 bench/run.py --quick    # under a minute, writes build/bench/quick-results/

Every server runs on a fresh free port, in rotated order, with stdout to /dev/null and PYTHONUNBUFFERED unset. The C
load generator (bench/loadgen.c) makes N sequential connections to 127.0.0.1 (connect / write 1024 / read 1024 / close)
and reports connections/s and round-trip latency; the server's CPU time comes from the kernel (/proc/PID/schedstat:
nanoseconds on CPU, user + system). Where valgrind is installed, callgrind counts the server's user-space instructions
for N and 2N connections: the difference / N is the cost of one connection, start-up cancelled.

Two reference floors, not deliverables, run the same loop with the least a binding can cost per call: csock's raw cffi
functions with no check (cffi's own call protocol), and a minimal C-API extension (bench/floors/capi_floor.c, built
here; left out when Python.h is missing). They show where the issue's targets lie relative to cffi's call cost.
"""
import argparse
import concurrent.futures
import csv
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, "build", "bench")
VERBOSE = False  # --verbose: log every server process started
PYTHON = sys.executable  # the interpreter binary itself (pyenv's `python3` is a shim script)

CSOCK_SERVER = os.path.join(ROOT, "Linux", "echo_server.py")
C_SERVER = os.path.join(ROOT, "build", "c", "Linux", "echo_server")  # what `make -C csrc` builds

CAPI_FLOOR_SOURCE = os.path.join(HERE, "floors", "capi_floor.c")

# The C original comes first: every ratio is to it. The floors come last: references, not deliverables.
SERVERS = ["c", "csock", "stdlib", "ctypes", "cffi", "capi"]
FLOORS = ["cffi", "capi"]
SHORT = {"c": "C", "csock": "csock", "stdlib": "stdlib", "ctypes": "ctypes",
         "cffi": "floor: raw cffi", "capi": "floor: C-API"}
FLOOR_WHAT = {"cffi": "floor: raw cffi (no checks)", "capi": "floor: C-API (METH_FASTCALL, bounds checked)"}

# What the issue asks of the csock port, each as (metric, bound on the ratio to C, "min" or "max").
TARGETS = [("conn_per_s", 0.95, "min"), ("cpu_us_per_conn", 1.20, "max"), ("ir_per_conn", 6.0, "max")]
TARGET_SHORT = {"conn_per_s": "conn/s", "cpu_us_per_conn": "CPU", "ir_per_conn": "instructions"}
HIGHER_IS_BETTER = {"conn_per_s": True, "cpu_us_per_conn": False, "ir_per_conn": False,
                    "lat_mean_us": False, "lat_p99_us": False, "htons_ns": False, "write_read_1024_ns": False}
METRIC_TITLES = {"conn_per_s": "connections/s", "cpu_us_per_conn": "server CPU µs / connection",
                 "ir_per_conn": "user-space instructions / connection", "lat_mean_us": "latency mean µs",
                 "lat_p99_us": "latency p99 µs", "htons_ns": "htons ns / call",
                 "write_read_1024_ns": "write+read 1024 B ns / pair"}


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


def python_headers():
    """The folder of this interpreter's Python.h, or None when its headers are not installed."""
    include = sysconfig.get_paths()["include"]
    return include if os.path.exists(os.path.join(include, "Python.h")) else None


def build_capi_floor():
    """bench/floors/capi_floor.c as an extension module in build/bench/, or None (logged) without Python.h."""
    include = python_headers()
    if include is None:
        log(f"bench: no Python.h in {sysconfig.get_paths()['include']}: the floor: C-API row is left out")
        return None
    return compile_c(CAPI_FLOOR_SOURCE, os.path.join(BUILD, "capi_floor" + sysconfig.get_config_var("EXT_SUFFIX")),
                     "-shared", "-fPIC", "-I", include)


def build():
    os.makedirs(BUILD, exist_ok=True)
    # The C original exactly as the project builds it (csrc/Makefile: gcc -Wall, as the book does).
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "csrc")], check=True, timeout=300, stdout=subprocess.DEVNULL)
    return {
        "loadgen": compile_c(os.path.join(HERE, "loadgen.c"), os.path.join(BUILD, "loadgen")),
        "callcost": compile_c(os.path.join(HERE, "callcost.c"), os.path.join(BUILD, "callcost")),
        "c_server": C_SERVER,
        "capi_floor": build_capi_floor(),
    }


def server_commands(binaries):
    if not os.path.exists(CSOCK_SERVER):
        raise SystemExit(f"bench: {CSOCK_SERVER} does not exist yet")
    commands = {
        "c": [binaries["c_server"]],
        "csock": [PYTHON, CSOCK_SERVER],
        "stdlib": [PYTHON, os.path.join(HERE, "servers", "echo_server_stdlib.py")],
        "ctypes": [PYTHON, os.path.join(HERE, "servers", "echo_server_ctypes.py")],
        "cffi": [PYTHON, os.path.join(HERE, "servers", "echo_server_cffi_raw.py")],
    }
    if binaries["capi_floor"]:  # not built without Python.h: no capi row then
        commands["capi"] = [PYTHON, os.path.join(HERE, "servers", "echo_server_capi.py")]
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
        self.timeout = timeout
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
                raise RuntimeError(f"server not listening after {self.timeout} s: {self.command}")
            time.sleep(0.02)
        return self

    def errors(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-2000:]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __exit__(self, *exc):
        self.stop()
        self.stderr.close()


def load(loadgen, port, connections):
    out = subprocess.run([loadgen, str(port), str(connections)], capture_output=True, text=True,
                         timeout=60 + connections / 100)
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
    hz = os.sysconf("SC_CLK_TCK")
    return {
        "conn_per_s": result["conn_per_s"],
        "lat_mean_us": result["lat_mean_us"],
        "lat_p99_us": result["lat_p99_us"],
        "cpu_us_per_conn": (cpu1 - cpu0) / 1e3 / connections,
        "user_us_per_conn": (user1 - user0) / hz * 1e6 / connections,
        "sys_us_per_conn": (sys1 - sys0) / hz * 1e6 / connections,
    }


def callgrind_total(binaries, command, connections, workdir):
    out_file = os.path.join(workdir, f"callgrind.{os.getpid()}.{time.monotonic_ns()}")
    wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
    # A fixed hash seed: Python's start-up then costs the same in both runs and cancels exactly.
    with Server(command, timeout=120, wrapper=wrapper, env={"PYTHONHASHSEED": "0"}) as server:
        load(binaries["loadgen"], server.port, connections)
    with open(out_file) as f:  # valgrind writes it when the server dies of SIGTERM
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {out_file}")


def measure_instructions(binaries, command, connections, workdir):
    """User-space instructions per connection: (total for 2N connections - total for N) / N."""
    # Both at once: instruction counts do not depend on what else runs, and valgrind's start-up is slow.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        small, large = pool.map(lambda n: callgrind_total(binaries, command, n, workdir), (connections, 2 * connections))
    return (large - small) / connections


def measure_callcost(binaries, loops, repeats):
    """ns per call of htons and of write+read of 1024 bytes over a socketpair, per API; C from an in-process loop."""
    per_api = {"c": {"htons": [], "write_read_1024": []}}
    for _ in range(repeats):
        out = subprocess.run([binaries["callcost"], str(loops), "1"], capture_output=True, text=True, timeout=300,
                             check=True)
        fields = dict(kv.split("=", 1) for kv in out.stdout.split())
        per_api["c"]["htons"].append(float(fields["htons_ns"]))
        per_api["c"]["write_read_1024"].append(float(fields["write_read_1024_ns"]))
    out = subprocess.run([PYTHON, os.path.join(HERE, "callcost.py"), str(loops), str(repeats)], capture_output=True,
                         text=True, timeout=600, env=server_env(), cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"callcost.py failed: {out.stderr}")
    per_api.update(json.loads(out.stdout))
    return per_api


# --- the run -------------------------------------------------------------------------------------

def machine():
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
        "python": f"{platform.python_implementation()} {platform.python_version()}", "cc": cc[0] if cc else "?",
        "loadavg_start": " ".join(open("/proc/loadavg").read().split()[:3]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def run(args):
    binaries = build()
    commands = server_commands(binaries)
    servers = [s for s in SERVERS if s in args.servers and s in commands]
    info = machine()
    log(f"bench: {info['cpu']}, {info['cores']} cores, load average {info['loadavg_start']}")
    rows = []  # long format: one measurement per row

    for rep in range(args.repeats):
        order = servers[rep % len(servers):] + servers[:rep % len(servers)]  # rotated: no server always goes first
        for name in order:
            result = measure_load(binaries, commands[name], args.connections, args.warmup)
            log(f"  run {rep + 1}/{args.repeats} {name:7} {result['conn_per_s']:9.0f} conn/s "
                f"{result['cpu_us_per_conn']:6.1f} µs CPU/conn")
            rows += [{"server": name, "metric": k, "repeat": rep, "value": v} for k, v in result.items()]

    has_valgrind = shutil.which("valgrind") is not None
    if args.callgrind_connections and has_valgrind:
        with tempfile.TemporaryDirectory(prefix="csock-bench-") as workdir:
            for rep in range(args.callgrind_repeats):
                for name in servers:
                    ir = measure_instructions(binaries, commands[name], args.callgrind_connections, workdir)
                    log(f"  callgrind {name:7} {ir:9.0f} instructions/conn")
                    rows.append({"server": name, "metric": "ir_per_conn", "repeat": rep, "value": ir})
    elif not has_valgrind:
        log("bench: valgrind not installed: no instruction counts")

    if args.callcost_loops:
        costs = measure_callcost(binaries, args.callcost_loops, args.repeats)
        for api, calls in costs.items():
            if api in servers:
                for call, values in calls.items():
                    rows += [{"server": api, "metric": f"{call}_ns", "repeat": i, "value": v} for i, v in enumerate(values)]

    info["loadavg_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
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


def table(summary, servers, info, args):
    load_metrics = ["conn_per_s", "cpu_us_per_conn", "ir_per_conn", "lat_mean_us", "lat_p99_us"]
    call_metrics = ["htons_ns", "write_read_1024_ns"]
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['kernel']}, {info['python']}, {info['cc']}",
        f"Run: {info['date']}, load average {info['loadavg_start']} at start, {info['loadavg_end']} at end",
        f"Echo server: {args.connections} sequential connections per run (after {args.warmup} warm-up), "
        f"{args.repeats} runs per server in rotated order"
        + (f"; instructions: callgrind, ({2 * args.callgrind_connections} - {args.callgrind_connections} connections)"
           f" / {args.callgrind_connections}" if any((s, "ir_per_conn") in summary for s in servers) else "")
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
    floors = [s for s in servers if s in FLOORS]
    if "csock" in servers or floors:
        lines += ["", "Targets for Linux/echo_server.py on csock:"]
    if "csock" in servers:
        for metric, bound, kind in TARGETS:
            s = summary.get(("csock", metric))
            if s is None or s["ratio_to_c"] is None:
                lines.append(f"  {METRIC_TITLES[metric]}: not measured")
                continue
            ok = meets(s["ratio_to_c"], bound, kind)
            rivals = []
            for other in ("stdlib", "ctypes"):
                o = summary.get((other, metric))
                if o is not None and other in servers:
                    ahead = s["median"] > o["median"] if HIGHER_IS_BETTER[metric] else s["median"] < o["median"]
                    rivals.append(f"{'ahead of' if ahead else 'BEHIND'} {other}")
            sign = ">=" if kind == "min" else "<="
            lines.append(f"  {METRIC_TITLES[metric]}: {s['ratio_to_c']:.2f}x C (target {sign} {bound:.2f}x): "
                         f"{'met' if ok else 'MISSED'}; " + ", ".join(rivals))
    for floor in floors:  # would the floor itself meet them?
        parts, met, measured = [], 0, 0
        for metric, bound, kind in TARGETS:
            s = summary.get((floor, metric))
            if s is None or s["ratio_to_c"] is None:
                parts.append(f"{TARGET_SHORT[metric]} not measured")
                continue
            ok = meets(s["ratio_to_c"], bound, kind)
            met, measured = met + ok, measured + 1
            parts.append(f"{TARGET_SHORT[metric]} {s['ratio_to_c']:.2f}x ({'met' if ok else 'MISSED'})")
        lines.append(f"  {FLOOR_WHAT[floor]}: " + ", ".join(parts) + f": meets {met} of {measured}"
                     + (" measured" if measured < len(TARGETS) else ""))
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
    metrics = [m for m in ["conn_per_s", "cpu_us_per_conn", "ir_per_conn", "lat_mean_us", "htons_ns",
                           "write_read_1024_ns"] if any((s, m) in summary for s in servers)]
    cols = 3
    rows = (len(metrics) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    colors = {"c": "#555555", "csock": "#1f77b4", "stdlib": "#ff7f0e", "ctypes": "#2ca02c",
              "cffi": "#c5b0d5", "capi": "#9467bd"}  # the floors: pale, apart from the four
    for ax, metric in zip(axes.flat, metrics):
        names = [s for s in servers if (s, metric) in summary]
        med = [summary[(s, metric)]["median"] for s in names]
        err = [[summary[(s, metric)]["median"] - summary[(s, metric)]["min"] for s in names],
               [summary[(s, metric)]["max"] - summary[(s, metric)]["median"] for s in names]]
        labels = [SHORT[s].replace(": ", ":\n") for s in names]  # "floor:" on a line of its own: the labels fit
        bars = ax.bar(labels, med, yerr=err, capsize=3, color=[colors[s] for s in names])
        for bar, s in zip(bars, names):
            r = summary[(s, metric)]["ratio_to_c"]
            if r is not None:
                ax.annotate(f"{r:.2f}x", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        better = "higher is better" if HIGHER_IS_BETTER[metric] else "lower is better"
        ax.set_title(f"{METRIC_TITLES[metric]}\n({better})", fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    floors = " + reference floors (raw cffi, C-API)" if any(s in FLOORS for s in servers) else ""
    fig.suptitle(f"Echo server: C vs csock vs stdlib vs ctypes{floors} (median, min-max; ratio to C)\n"
                 f"{info['cpu']}, {info['cores']} cores, {info['date']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small counts: finishes in under a minute")
    p.add_argument("--connections", type=int, help="connections per run (default 50000; quick 3000)")
    p.add_argument("--warmup", type=int, help="connections before each measured run (default 1000; quick 200)")
    p.add_argument("--repeats", type=int, help="runs per server (default 5; quick 3)")
    p.add_argument("--callgrind-connections", type=int,
                   help="N for callgrind's N and 2N runs; 0 skips callgrind (default 5000; quick 300)")
    p.add_argument("--callgrind-repeats", type=int, default=1, help="callgrind measurements per server (default 1)")
    p.add_argument("--callcost-loops", type=int, help="htons calls per timing loop; write+read gets a tenth; "
                                                       "0 skips per-call timing (default 1000000; quick 100000)")
    p.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of " + ",".join(SERVERS))
    p.add_argument("--verbose", action="store_true", help="log the pid and command of every server started")
    p.add_argument("--out", help="results folder (default bench/results; quick build/bench/quick-results)")
    args = p.parse_args(argv)
    quick = args.quick
    defaults = {"connections": (50000, 3000), "warmup": (1000, 200), "repeats": (5, 3),
                "callgrind_connections": (5000, 300), "callcost_loops": (1000000, 100000),
                "out": (os.path.join(HERE, "results"), os.path.join(BUILD, "quick-results"))}
    for key, (full, small) in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, small if quick else full)
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = set(args.servers) - set(SERVERS)
    if unknown or "c" not in args.servers:
        p.error(f"--servers must include c and only name {', '.join(SERVERS)}")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    VERBOSE = arguments.verbose
    run(arguments)

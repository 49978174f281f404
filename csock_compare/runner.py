"""Runs a scenario of a description in a private network namespace (`unshare -rn`: loopback only, no root
needed) and returns what each process did.

`run(scenario, sides)` runs one side assignment (Scenario.runs()) and returns a ScenarioResult: one Run per
process, in the scenario's order. `run_all(scenarios)` runs every assignment of every scenario, spread over
threads. `prepare(descriptions)` checks the tools and builds the C programs.
"""
import base64
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import List, Optional

from . import peers, winsock
from .folders import this_os

TOOLS = ("unshare", "strace", "ip", "stdbuf")
# Children must not see PYTHONUNBUFFERED: it adds write() calls to anything printing through Python.
_DROPPED_ENV = ("PYTHONUNBUFFERED",)


@dataclass
class Run:
    """What one process did."""
    name: str
    argv: List[str]
    status: Optional[int]  # exit status, None when a signal ended it
    signal: Optional[int]  # the signal that ended it, None when it exited
    stdout: bytes
    stderr: bytes
    received: bytes  # every byte it (and its children) read from a socket, in order
    trace: List[str]  # the program's normalised syscalls from its first `trace_from` call on
    children: List[List[str]] = field(default_factory=list)  # each forked process's syscalls, in fork order
    timed_out: bool = False  # a client that had to be killed
    side: str = ""  # "C", "port", or "" for a peer

    def outcome(self):
        if self.signal is not None:
            return f"killed by {signal.Signals(self.signal).name}"
        return f"exit {self.status}"


@dataclass
class ScenarioResult:
    processes: List[Run]
    sides: dict = field(default_factory=dict)  # {process index: "C" | "port"}

    def named(self, name):
        """The first process of that name (e.g. "server", "peer")."""
        return next(run for run in self.processes if run.name == name)


class ToolMissing(RuntimeError):
    """What the runs need is missing, or a program does not build: the message says which."""


def check_tools():
    """Raise ToolMissing naming what the runs need and this machine lacks."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise ToolMissing(f"missing: {', '.join(missing)} (apt-get install strace iproute2 util-linux coreutils)")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        raise ToolMissing("`unshare -rn` failed (user namespaces disabled?): "
                          + probe.stderr.decode(errors="replace").strip())


def build(programs):
    """Run each distinct build command once (in its description's folder); raise ToolMissing on failure."""
    done = set()
    for program in programs:
        key = (program.build, os.path.dirname(program.source))
        if key in done:
            continue
        done.add(key)
        os.makedirs(os.path.dirname(program.binary), exist_ok=True)
        try:
            made = subprocess.run(list(program.build), cwd=key[1], capture_output=True, text=True, timeout=300)
        except FileNotFoundError:
            raise ToolMissing(f"{program.source}: build command {program.build[0]!r} not found") from None
        if made.returncode != 0:
            raise ToolMissing(f"{program.source}: `{' '.join(program.build)}` failed ({made.returncode}):\n"
                              + (made.stdout + made.stderr).strip()[-2000:])


def start_programs_as_a_terminal_would():
    """Programs started from here get SIGINT, SIGQUIT and SIGHUP at their defaults, as from a terminal, even when
    this process inherited them ignored (a background job of a shell, nohup): C keeps an ignored disposition across
    exec, so without this the C side would survive the SIGINT scenarios. This process itself only catches them (a
    caught signal is back to its default in an exec'd child), so a nohup'd test run stays immune."""
    for name in ("SIGINT", "SIGQUIT", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_IGN:
            signal.signal(number, signal.default_int_handler if name == "SIGINT" else _ignore_here)


def _ignore_here(signum, frame):
    pass


def prepare(descriptions):
    """Ready this process to run scenarios: PYTHONUNBUFFERED dropped, the tools checked (ToolMissing), every
    program of this OS the descriptions use built; another OS's programs (under wine: the Linux ones; a cross-OS
    run: the Windows ones) must have been built by their own leg (tests/windows/run builds the Windows ones); and
    the signals a terminal would give."""
    os.environ.pop("PYTHONUNBUFFERED", None)
    start_programs_as_a_terminal_would()
    programs = list({p.c: p for d in descriptions for p in d.uses}.values())
    missing = [p.binary for p in programs
               if (p.os != this_os() or this_os() == "Windows") and not os.path.exists(p.binary)]
    if missing:
        raise ToolMissing(f"not built: {', '.join(missing)} (tests/windows/run builds the Windows programs)")
    if this_os() == "Windows":
        return
    check_tools()
    build([p for p in programs if p.os == this_os()])


def _import_path():
    """Where this package and csock are imported from: the namespace's Python children need both."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = importlib.util.find_spec("csock")
    paths = [here] + ([os.path.dirname(os.path.dirname(found.origin))] if found and found.origin else [])
    return os.pathsep.join(dict.fromkeys(paths))


def _child_env():
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["PYTHONPATH"] = _import_path() + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def spec_of(scenario, sides, idle_timeout=5.0):
    """The JSON-able spec csock_compare.inside runs for one side assignment."""
    processes, wine = [], False
    for index, p in enumerate(scenario.processes):
        traced = p.traced
        if p.program is None:
            argv, calls, start = peers.argv(p.peer), (), None
        else:
            argv = p.program.command(sides[index], p.argv)
            calls, start = p.program.trace, p.program.trace_from
            if p.program.os != this_os():  # a Windows program in a Linux run: under wine, untraced
                argv, traced, wine = winsock.under_wine(argv, sides[index]), False, True
        processes.append({
            "argv": argv, "role": p.role, "stdin": base64.b64encode(p.stdin).decode(), "ready": p.ready,
            "idle": list(p.idle), "background": p.background, "timeout": p.timeout, "traced": traced,
            "line_buffered": p.line_buffered, "stdout_broken_pipe": p.stdout_broken_pipe,
            "stdin_closed": p.stdin_closed, "strace": list(p.strace), "calls": list(calls), "trace_from": start,
            "stop_after": p.program.stop_after if p.program else None,
        })
    return {"processes": processes, "stop_signal": scenario.stop_signal, "idle_timeout": idle_timeout,
            "stops": [list(stop) for stop in scenario.stops], "wine": wine}


def run_spec(spec, timeout=60.0):
    """The raw result of csock_compare.inside for spec, run in a fresh `unshare -rn` namespace (on Windows: by
    csock_compare.winsock, in the namespace tests/windows/run made)."""
    if sys.platform == "win32":
        import tempfile
        from . import winsock
        with tempfile.TemporaryDirectory(prefix="csock-compare-") as workdir:
            return winsock.run(spec, workdir)
    proc = subprocess.Popen(["unshare", "-rn", "--", sys.executable, "-m", "csock_compare.inside"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_child_env(), start_new_session=True)
    try:
        out, err = proc.communicate(json.dumps(spec).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver leads the group that holds every traced process
        proc.communicate()
        raise TimeoutError(f"scenario did not finish within {timeout} s") from None
    if proc.returncode != 0:
        raise RuntimeError(f"scenario driver failed ({proc.returncode}): {err.decode(errors='replace')}")
    return json.loads(out)["processes"]


def run(scenario, sides, **options):
    """ScenarioResult of one side assignment of scenario."""
    spec = spec_of(scenario, sides, **options)
    raw = run_spec(spec, scenario.timeout)
    runs = []
    for index, (process, r) in enumerate(zip(scenario.processes, raw)):
        runs.append(Run(name=process.name, argv=spec["processes"][index]["argv"], status=r["status"],
                        signal=r["signal"], stdout=base64.b64decode(r["stdout"]),
                        stderr=base64.b64decode(r["stderr"]), received=base64.b64decode(r["received"]),
                        trace=r["trace"], children=r["children"], timed_out=r["timed_out"],
                        side=sides.get(index, "")))
    return ScenarioResult(runs, dict(sides))


def run_all(scenarios, jobs=4):
    """{scenario: [ScenarioResult of each of scenario.runs()]}, the longest scenarios started first."""
    tasks = [(scenario, sides) for scenario in scenarios for sides in scenario.runs()]
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i][0].timeout)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {i: pool.submit(run, *tasks[i]) for i in order}
        results = {scenario: [] for scenario in scenarios}
        for i, (scenario, _sides) in enumerate(tasks):
            results[scenario].append(futures[i].result())
    return results

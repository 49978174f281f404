"""Every erratum kind has one executable check, used by compare, faults and the tests alike.

A scenario names its errata in its description (`errata = [{check = NAME, entry = ..., params...}]`). Each kind
says which processes the plain comparison leaves out (`relax`), whether C and port must differ at all
(`differs`), and checks one run — C's or the port's — against what the erratum says (`check` -> problems).
Observables (`observe = NAME`) replace the comparison where counts are speed, not fate.
"""
import signal
from dataclasses import dataclass
from typing import Callable

from .connections import tally_of
from .normalise import render_bytes

SKIP, UNTIL_LAST_READ = "skip", "until last socket read"


@dataclass(frozen=True)
class Kind:
    relax: Callable  # (scenario, params) -> {process index: SKIP | UNTIL_LAST_READ}
    differs: bool  # C and the port must differ where this erratum applies
    check: Callable  # (ScenarioResult, scenario, params) -> [problem], empty when as documented


def _tested(scenario, params, result):
    """(index, Run) of the erratum's process: params["process"] by name, else the first tested one."""
    for index, process in enumerate(scenario.processes):
        if process.name == params.get("process") or ("process" not in params and process.side == "tested"):
            return index, result.processes[index]
    raise KeyError(f"scenario {scenario.name}: no process {params.get('process')!r}")


def _calls(run):
    return [line.split("(")[0] for line in run.trace if "(" in line and not line.startswith(("---", "+++"))]


def _skip_all(scenario, params):
    return {index: SKIP for index in range(len(scenario.processes))}


def usage_instead_of_crash(result, scenario, params):
    """C dies of params["signal"] after its first params["first_call"]; the port prints its usage line on stderr
    and exits params["status"] before any traced call (ERRATA bug 1: atoi(NULL))."""
    index, run = _tested(scenario, params, result)
    sig = signal.Signals[params["signal"]]
    if result.sides[index] == "C":
        if run.signal != sig or not run.trace[:1] or not run.trace[0].startswith(params["first_call"] + "("):
            return [f"C {run.name}: expected {params['first_call']}() then {sig.name}, got {run.outcome()}"]
        return []
    usage = params["usage"].encode()
    if (run.status, run.stdout, run.stderr, run.trace) != (params["status"], b"", usage, []):
        return [f"port {run.name}: expected exit {params['status']}, {usage!r} and no {params['first_call']}(), got "
                f"{run.outcome()}, {run.stderr!r}, {len(run.trace)} syscalls"]
    return []


def refusal_instead_of_truncation(result, scenario, params):
    """C converts an out-of-range argument silently (htons modulo 65536) and serves where params["c_trace"]
    says; the port refuses in one line (stderr ends with params["refusal"]), exit 1, and never makes the calls
    in params["never"]; the peer then finds nobody (ERRATA F1)."""
    index, run = _tested(scenario, params, result)
    peer = next((r for p, r in zip(scenario.processes, result.processes) if p.peer), None)
    if result.sides[index] == "C":
        if not (run.signal == scenario.stop_signal and params["c_trace"] in "".join(run.trace[1:2])
                and peer is not None and not peer.stdout.startswith(b"connect:")):
            return [f"C {run.name}: expected {params['c_trace']} in its bind(), a peer served and the stop signal; "
                    f"got {run.outcome()}, {run.trace[1:2]}, peer {peer.stdout if peer else None!r}"]
        return []
    calls, refusal = _calls(run), params["refusal"].encode() + b"\n"
    never = [name for name in params.get("never", ()) if name in calls]
    if not (run.status == 1 and run.stderr.endswith(refusal) and calls[:1] == ["socket"] and not never
            and run.trace[-1:] == ["+++ exited with 1 +++"]
            and (peer is None or peer.stdout == b"connect: ECONNREFUSED\n")):
        return [f"port {run.name}: expected socket(), none of {params.get('never')}, exit 1 with {refusal!r}; got "
                f"{run.outcome()}, {run.stderr[-120:]!r}, calls {calls[:6]}, peer {peer.stdout if peer else None!r}"]
    return []


def defined_part(run):
    """A process's syscalls up to its last read from a socket: what is defined when printf then runs past buf."""
    last = max((i for i, line in enumerate(run.trace) if line.startswith("read(fd")), default=len(run.trace) - 1)
    return run.trace[:last + 1]


def printf_past_buffer(result, scenario, params):
    """printf("%s") on a buffer with no NUL: C prints params["prefix"], the buffer and whatever follows it, exit 0;
    the port refuses in one line (params["refusal"]), exit 1 (ERRATA bug 11)."""
    index, run = _tested(scenario, params, result)
    echoed = scenario.processes[index].stdin[:params["echoed"]]
    problems = []
    if run.received != echoed:
        problems.append(f"{result.sides[index]} {run.name} received {len(run.received)} bytes, "
                        f"not the {params['echoed']} typed first")
    if result.sides[index] == "C":
        if not (run.stdout.startswith(params["prefix"].encode() + echoed) and run.status == 0):
            problems.append(f"C {run.name}: expected exit 0 and stdout {params['prefix']!r} + the {params['echoed']} "
                            f"bytes (+ whatever follows the buffer), got {run.outcome()} and "
                            f"{render_bytes(run.stdout[:40])}...")
    elif (run.stdout, run.stderr, run.status) != (b"", params["refusal"].encode(), 1):
        problems.append(f"port {run.name}: expected exit 1, no stdout and stderr {params['refusal']!r}, got "
                        f"{run.outcome()}, {render_bytes(run.stdout[:40])}, {run.stderr!r}")
    return problems


KINDS = {
    "usage-instead-of-crash": Kind(_skip_all, True, usage_instead_of_crash),
    "refusal-instead-of-truncation": Kind(_skip_all, True, refusal_instead_of_truncation),
    "printf-past-buffer": Kind(lambda scenario, params: {_index(scenario, params): UNTIL_LAST_READ}, False,
                               printf_past_buffer),
}


def _index(scenario, params):
    return next(i for i, p in enumerate(scenario.processes)
                if p.name == params.get("process") or ("process" not in params and p.side == "tested"))


def of(scenario):
    """[(Kind, params)] of a scenario's errata (their names were checked when the description was loaded)."""
    return [(KINDS[params["check"]], params) for params in scenario.errata]


# --- observables: what is compared where the full comparison would compare speed ------------------------

def burst(result, scenario):
    """The part of a burst's fate that does not depend on speed.

    How many of the connections are served before the peer stops depends on how fast the server drains the
    queue while the retried SYNs arrive (measured alone, C 78 and Python 75 of 200 in 20 s; both 200 in about
    55 s). What must not depend on it: how each process ends, that nothing is refused or echoed short, the
    server's one line per accepted connection.
    """
    index = next(i for i, p in enumerate(scenario.processes) if p.peer)
    server, peer = result.processes[0], result.processes[index]
    count = int(scenario.processes[index].peer["count"])
    lines = server.stdout.decode("utf-8", "replace").splitlines()
    tally = tally_of(peer.stdout)
    echoed = tally.get("echoed", 0)
    return {
        "server ended": server.outcome(), "server stderr": server.stderr, "server lines": sorted(set(lines)),
        "peer ended": peer.outcome(), "peer stderr": peer.stderr,
        "connections accounted for": sum(tally.values()) == count,
        "refused": tally.get("refused", 0), "echoed short": tally.get("short", 0),
        "at least the listen queue served (6)": echoed >= 6,
        "one line per accepted connection": echoed <= len(lines) <= count - tally.get("refused", 0),
    }


OBSERVABLES = {"burst": burst}

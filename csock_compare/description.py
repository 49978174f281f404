"""Program descriptions: one TOML file per C program and its Python port (the format: docs/DESCRIPTIONS.md).

`load(path)` reads a description and every description its scenarios use, resolving each path against the
folder of the file that names it — never against this package — so a pair living anywhere can be compared.
"""
import itertools
import os
import signal
import sys
from dataclasses import dataclass, field
from typing import Optional, Tuple

from . import errata as checks  # the one check of each erratum kind, the observables
from . import expect, masks
from .folders import DescriptionError, default_folder, find_descriptions, this_os  # noqa: F401 (re-exported)

try:
    import tomllib
except ImportError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

SIDES = ("C", "port")
READY_KINDS = ("tcp", "udp", "unix", "stdout")
DEFAULT_TRACE = ("socket", "bind", "listen", "accept", "accept4", "connect", "read", "write", "close",
                 "recvfrom", "sendto", "recvmsg", "sendmsg", "shutdown")
PROCESS_KEYS = {"name", "program", "side", "peer", "argv", "stdin", "ready", "idle", "role", "background",
                "timeout", "traced", "line_buffered", "stdout", "stdin_closed", "strace", "expect"}
PEER_OPTIONS = {"bytes", "count", "port", "host", "seconds", "reset_after", "data", "path", "reply", "lockstep"}
PROGRAM_KEYS = {"name", "c", "port", "binary", "build", "role", "argv", "stdin", "ready", "idle", "trace", "os",
                "masks", "stop_after"}


@dataclass(frozen=True)
class Program:
    """A C program and its port, as one [program] table declares them (paths absolute)."""
    name: str
    source: str  # the description file
    c: str
    port: str
    binary: str
    build: Tuple[str, ...]  # command run in the description's folder before any run
    role: str  # "server" (started, waited for, stopped by a signal) or "client" (runs to its end)
    argv: Tuple[str, ...]
    stdin: bytes
    ready: Optional[dict]  # {"tcp": 3600}, {"tcp": "any"}, {"udp": N}, {"unix": PATH}, {"stdout": TEXT}
    idle: Tuple[str, ...]  # the calls a finished server waits in
    trace: Tuple[str, ...]  # the syscalls compared
    trace_from: str  # the main process is compared from its first call of this name (or matching line) on
    os: str
    masks: Tuple[str, ...] = ()  # csock_compare.masks applied to its processes in every scenario
    stop_after: Optional[float] = None  # a server that never idles (it polls): stopped this long after the clients

    def command(self, side, argv=None):
        """argv of the C build or of the port, with argv (default: the description's) after the program."""
        args = list(self.argv if argv is None else argv)
        if side == "C":
            return [self.binary, *args]
        if side == "port":
            return [sys.executable, self.port, *args]
        raise ValueError(f"side must be one of {SIDES}, not {side!r}")


@dataclass(frozen=True, eq=False)
class Process:
    """One process of a scenario: a described program (on a side) or a peer of the harness's own."""
    name: str
    program: Optional[Program]
    side: str  # "tested": C in the C run, the port in the port run; "both": crossed with the tested side; "C"; "port"
    peer: Optional[dict]  # {"mode": "send", "bytes": 6, ...} for csock_compare.peers
    argv: Optional[Tuple[str, ...]]
    stdin: bytes
    ready: Optional[dict]
    idle: Tuple[str, ...]
    role: str
    background: bool = False
    timeout: float = 10.0
    traced: bool = True
    line_buffered: bool = True
    stdout_broken_pipe: bool = False
    stdin_closed: bool = False
    strace: Tuple[str, ...] = ()
    expect: dict = field(default_factory=dict)  # csock_compare.expect: checked in every run


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of result tables
class Scenario:
    name: str
    about: str
    groups: Tuple[str, ...]  # "compare" (python -m csock.compare), "faults" (python -m csock.faults)
    processes: Tuple[Process, ...]
    errata: Tuple[dict, ...] = ()  # {"check": NAME, "entry": "csrc/ERRATA.md bug 1", params...}
    observe: Optional[str] = None  # a named observable compared instead of everything (csock_compare.errata)
    stop_signal: int = signal.SIGTERM
    timeout: float = 60.0
    source: str = ""
    masks: Tuple[str, ...] = ()  # csock_compare.masks applied to every described program's processes
    stops: Tuple[Tuple[int, int, int], ...] = ()  # (after how many processes, server index, signal): a mid-run stop

    def masks_of(self, index):
        """The masks of process index: its program's and the scenario's (none for a peer)."""
        program = self.processes[index].program
        return tuple(dict.fromkeys(program.masks + self.masks)) if program else ()

    def runs(self):
        """Every side assignment to run: [{process index: "C" | "port"}], the all-C reference first."""
        tested = [i for i, p in enumerate(self.processes) if p.program and p.side == "tested"]
        crossed = {}  # every process of a crossed program takes the same side in a run
        for i, p in enumerate(self.processes):
            if p.program and p.side == "both":
                crossed.setdefault(p.program.c, []).append(i)
        toggles = ([tested] if tested else []) + list(crossed.values())
        fixed = {i: p.side for i, p in enumerate(self.processes) if p.program and p.side in SIDES}
        runs = []
        for choice in itertools.product(SIDES, repeat=len(toggles)):
            sides = dict(fixed)
            for indexes, side in zip(toggles, choice):
                sides.update((i, side) for i in indexes)
            runs.append(sides)
        return runs

    def run_name(self, sides):
        """"C server + port client": the processes whose side varies, named with their side."""
        varying = [i for i, p in enumerate(self.processes) if p.program and p.side in ("tested", "both")]
        names = dict.fromkeys(f"{sides[i]} {self.processes[i].program.name}" for i in varying)
        return " + ".join(names)


@dataclass(frozen=True)
class Description:
    path: str
    program: Program
    scenarios: Tuple[Scenario, ...]
    uses: Tuple[Program, ...] = field(default=())  # every program its scenarios run, its own first

    def scenario(self, name):
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        raise KeyError(f"{self.path}: no scenario {name!r}")


def _read_toml(path):
    if tomllib is None:
        raise DescriptionError(f"{path}: reading a description needs Python 3.11+ (tomllib) or `pip install tomli`")
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise DescriptionError(f"{path}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise DescriptionError(f"{path}: {e}") from None


def stdin_bytes(value, where):
    """A string, or a list of strings, [string, count] and {ramp = N} parts, as bytes (UTF-8)."""
    return expect.stdin_bytes(value, where, DescriptionError)


def _ready(value, where):
    if value is None:
        return None
    if not (isinstance(value, dict) and len(value) == 1 and next(iter(value)) in READY_KINDS):
        raise DescriptionError(f"{where}: ready must be one of {{tcp = PORT or \"any\"}}, {{udp = PORT}}, "
                               f"{{unix = PATH}}, {{stdout = TEXT}}; not {value!r}")
    return dict(value)


def _strings(value, where, key):
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise DescriptionError(f"{where}: {key} must be a list of strings")
    return tuple(str(v) for v in value)


def _program(table, path, folder):
    where = f"{path} [program]"
    if set(table) - PROGRAM_KEYS:
        raise DescriptionError(f"{where}: unknown key(s) {', '.join(sorted(set(table) - PROGRAM_KEYS))}")
    missing = [key for key in ("name", "c", "port", "role") if key not in table]
    if missing:
        raise DescriptionError(f"{where}: missing {', '.join(missing)}")
    if table["role"] not in ("server", "client"):
        raise DescriptionError(f"{where}: role must be \"server\" or \"client\", not {table['role']!r}")
    at = lambda p: os.path.normpath(os.path.join(folder, p))
    c = at(table["c"])
    binary = at(table.get("binary", os.path.join(".build", table["name"])))
    build = _strings(table["build"], where, "build") if "build" in table else ("cc", "-Wall", "-o", binary, c)
    trace = table.get("trace", {})
    unknown_masks = set(table.get("masks", ())) - set(masks.KINDS)
    if unknown_masks:
        raise DescriptionError(f"{where}: masks are {', '.join(masks.KINDS)}; not {', '.join(sorted(unknown_masks))}")
    return Program(
        name=table["name"], source=path, c=c, port=at(table["port"]), binary=binary, build=build,
        role=table["role"], argv=_strings(table.get("argv", []), where, "argv"),
        stdin=stdin_bytes(table.get("stdin", ""), where), ready=_ready(table.get("ready"), where),
        idle=_strings(table.get("idle", ["accept"] if table["role"] == "server" else []), where, "idle"),
        trace=_strings(trace.get("calls", list(DEFAULT_TRACE)), where, "trace.calls"),
        trace_from=trace.get("from", "socket"), os=table.get("os", "Linux"), masks=tuple(table.get("masks", ())),
        stop_after=table.get("stop_after"))


def _process(table, path, folder, own, cache, number):
    where = f"{path} process {number}"
    unknown = set(table) - PROCESS_KEYS - (PEER_OPTIONS if "peer" in table else set())
    if unknown:
        raise DescriptionError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if ("peer" in table) == ("program" in table):
        raise DescriptionError(f"{where}: give exactly one of program = \"self\" | FILE, or peer = MODE")
    program, peer = None, None
    if "peer" in table:
        peer = {"mode": table["peer"], **{k: table[k] for k in PEER_OPTIONS if k in table}}
        role, side, default_name = table.get("role", "client"), "peer", "peer"
    else:
        program = own if table["program"] == "self" else load(os.path.join(folder, table["program"]), cache).program
        role = table.get("role", program.role)
        side = table.get("side", "tested" if table["program"] == "self" else "C")
        if side not in ("tested", "both", *SIDES):
            raise DescriptionError(f"{where}: side must be tested, both, C or port, not {side!r}")
        default_name = role
    if table.get("stdout", "file") not in ("file", "broken-pipe"):
        raise DescriptionError(f"{where}: stdout must be \"file\" or \"broken-pipe\"")
    return Process(
        name=table.get("name", default_name), program=program, side=side, peer=peer,
        argv=_strings(table["argv"], where, "argv") if "argv" in table else None,
        stdin=stdin_bytes(table["stdin"], where) if "stdin" in table else (program.stdin if program else b""),
        ready=_ready(table.get("ready", program.ready if program else None), where),
        idle=_strings(table["idle"], where, "idle") if "idle" in table else (program.idle if program else ()),
        role=role, background=bool(table.get("background", False)), timeout=float(table.get("timeout", 10.0)),
        traced=bool(table.get("traced", peer is None)), line_buffered=bool(table.get("line_buffered", True)),
        stdout_broken_pipe=table.get("stdout") == "broken-pipe", stdin_closed=bool(table.get("stdin_closed", False)),
        strace=_strings(table.get("strace", []), where, "strace"),
        expect=expect.parse(table.get("expect", {}), where, DescriptionError))


def _scenario(table, path, folder, own, cache):
    where = f"{path} scenario {table.get('name', '?')!r}"
    if "name" not in table or "processes" not in table:
        raise DescriptionError(f"{where}: a scenario needs name and processes")
    stops, listed = [], []
    for table_ in table["processes"]:
        if "stop" not in table_:
            listed.append(table_)
            continue
        names = [p.get("name") for p in listed]
        if set(table_) - {"stop", "signal"} or table_["stop"] not in names:
            raise DescriptionError(f"{where}: {{stop = NAME, signal = SIG}} names (name = NAME) a process "
                                   "started before it")
        stops.append((len(listed), names.index(table_["stop"]), _signal(table_.get("signal", "SIGTERM"), where)))
    processes = tuple(_process(p, path, folder, own, cache, n) for n, p in enumerate(listed, 1))
    if not any(p.program and p.side in ("tested", "both") for p in processes):
        raise DescriptionError(f"{where}: no process runs on both sides (side = tested or both): nothing to compare")
    if set(table.get("masks", ())) - set(masks.KINDS):
        raise DescriptionError(f"{where}: masks are {', '.join(masks.KINDS)}")
    errata = tuple(table.get("errata", ()))
    if any(not isinstance(e, dict) or e.get("check") not in checks.KINDS for e in errata):
        raise DescriptionError(f"{where}: each erratum is a table with check = one of {', '.join(checks.KINDS)}")
    if table.get("observe", next(iter(checks.OBSERVABLES))) not in checks.OBSERVABLES:
        raise DescriptionError(f"{where}: observe must be one of {', '.join(checks.OBSERVABLES)}")
    return Scenario(name=table["name"], about=table.get("about", ""),
                    groups=tuple(table.get("groups", ["compare"])), processes=processes, errata=errata,
                    observe=table.get("observe"), stop_signal=_signal(table.get("stop_signal", "SIGTERM"), where),
                    timeout=float(table.get("timeout", 60.0)), source=path, masks=tuple(table.get("masks", ())),
                    stops=tuple(stops))


def _signal(name, where):
    if name not in signal.Signals.__members__:
        raise DescriptionError(f"{where}: stop_signal {name!r} is no signal name")
    return int(signal.Signals[name])


def load(path, cache=None):
    """The Description in path (TOML), with every description its scenarios use loaded once."""
    path = os.path.abspath(path)
    cache = {} if cache is None else cache
    if path in cache:
        if cache[path] is None:
            return _Partial(cache[path + "#program"])
        return cache[path]
    data = _read_toml(path)
    if "program" not in data:
        raise DescriptionError(f"{path}: no [program] table")
    folder = os.path.dirname(path)
    own = _program(data["program"], path, folder)
    cache[path], cache[path + "#program"] = None, own  # a scenario may name this file again (or a partner us)
    scenarios = tuple(_scenario(s, path, folder, own, cache) for s in data.get("scenario", []))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise DescriptionError(f"{path}: scenario names repeat")
    uses = {own.c: own}
    for scenario in scenarios:
        uses.update((p.program.c, p.program) for p in scenario.processes if p.program)
    cache[path] = Description(path, own, scenarios, tuple(uses.values()))
    return cache[path]


@dataclass(frozen=True)
class _Partial:
    """A description still being loaded (two descriptions naming each other): only its program is needed."""
    program: Program

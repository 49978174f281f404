"""Judging and printing: the first difference between two runs of a scenario, a scenario's verdict (the same
one for compare, faults and the tests), and the short fates the fault table shows."""
from dataclasses import dataclass

from . import errata, expect, masks
from .normalise import render_bytes

SAME, DOCUMENTED, DIFFERENT = "same", "documented", "DIFFERENT"


def _first_byte_difference(a, b):
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"first difference at byte {n} (lengths {len(a)} and {len(b)}): "
            f"{render_bytes(a[n:n + 24])} vs {render_bytes(b[n:n + 24])}")


def _first_line_difference(a, b):
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    left = a[n] if n < len(a) else "(no more syscalls)"
    right = b[n] if n < len(b) else "(no more syscalls)"
    return f"first difference at syscall {n + 1}:\n      {left}\n      {right}"


def first_difference(reference, other, relax=None, masked=None):
    """A description of the first difference between two ScenarioResults, or None when they agree.

    Compared for each process in order: how it ended, stdout, stderr, the bytes it received, its syscalls, then
    each process it forked. relax ({index: errata.SKIP | errata.UNTIL_LAST_READ}) leaves processes out, or
    compares one only up to its last socket read; masked ({index: mask names}) compares a process's stdout,
    syscalls and received bytes as csock_compare.masks views them.
    """
    relax, masked = relax or {}, masked or {}
    ours, theirs = reference.processes, other.processes
    if len(ours) != len(theirs):
        return f"{len(ours)} vs {len(theirs)} processes"
    names = [run.name for run in ours]
    for index, (a, b) in enumerate(zip(ours, theirs)):
        who = a.name if names.count(a.name) == 1 else f"{a.name} {names[:index + 1].count(a.name)}"
        mode = relax.get(index)
        if mode == errata.SKIP:
            continue
        if mode == errata.UNTIL_LAST_READ:
            if a.received != b.received:
                return f"{who} received bytes differ: {_first_byte_difference(a.received, b.received)}"
            if errata.defined_part(a) != errata.defined_part(b):
                return (f"{who} syscalls differ: "
                        f"{_first_line_difference(errata.defined_part(a), errata.defined_part(b))}")
            continue
        if a.outcome() != b.outcome():
            return f"{who} ended differently: {a.outcome()} vs {b.outcome()}"
        (a_trace, a_children, a_received, a_stdout), (b_trace, b_children, b_received, b_stdout) = (
            masks.view(run, masked.get(index, ())) for run in (a, b))
        for name, x, y in (("stdout", a_stdout, b_stdout), ("stderr", a.stderr, b.stderr),
                           ("received", a_received, b_received)):
            if x != y:
                return f"{who} {name} differs: {_first_byte_difference(x, y)}"
        if a_trace != b_trace:
            return f"{who} syscalls differ: {_first_line_difference(a_trace, b_trace)}"
        if len(a_children) != len(b_children):
            return f"{who} forked {len(a_children)} vs {len(b_children)} processes"
        for number, (x, y) in enumerate(zip(a_children, b_children), 1):
            if x != y:
                return f"{who}'s child {number} syscalls differ: {_first_line_difference(x, y)}"
    return None


@dataclass(frozen=True)
class Verdict:
    kind: str  # SAME, DOCUMENTED or DIFFERENT
    text: str

    @property
    def ok(self):
        return self.kind != DIFFERENT


def verdict(scenario, results):
    """The Verdict of a scenario from its ScenarioResults (scenario.runs() order: the all-C run first)."""
    reference, others = results[0], results[1:]
    if scenario.observe:
        observable = errata.OBSERVABLES[scenario.observe]
        seen = observable(reference, scenario)
        for other in others:
            theirs = observable(other, scenario)
            if theirs != seen:
                return Verdict(DIFFERENT, "; ".join(f"{key}: {seen[key]!r} vs {theirs[key]!r}"
                                                    for key in seen if seen[key] != theirs[key]))
        return Verdict(SAME, f"same (compared: {scenario.observe} observable; counts are speed, not fate)")
    kinds = errata.of(scenario)
    relax = {}
    for kind, params in kinds:
        relax.update(kind.relax(scenario, params))
    masked = {index: scenario.masks_of(index) for index in range(len(scenario.processes))}
    for other in others:
        found = first_difference(reference, other, relax, masked)
        if found:
            return Verdict(DIFFERENT, f"{scenario.run_name(reference.sides)} vs {scenario.run_name(other.sides)}: "
                                      f"{found}")
        if any(kind.differs for kind, _ in kinds) and first_difference(reference, other) is None:
            return Verdict(DIFFERENT, "SAME, but ERRATA documents a difference: update it")
    problems = [problem for kind, params in kinds for result in results
                for problem in kind.check(result, scenario, params)]
    if problems:
        return Verdict(DIFFERENT, "DIFFERENT from ERRATA: " + "; ".join(dict.fromkeys(problems)))
    problems = [problem for result in results for process, run in zip(scenario.processes, result.processes)
                for problem in expect.problems(run, process.expect)]
    if problems:
        return Verdict(DIFFERENT, "not as the description expects: " + "; ".join(dict.fromkeys(problems)))
    if kinds:
        return Verdict(DOCUMENTED, "documented: " + ", ".join(params.get("entry", params["check"])
                                                              for _kind, params in kinds))
    used = sorted({name for names in masked.values() for name in names})
    return Verdict(SAME, "same" + (f" (masked, timing: {', '.join(used)})" if used else ""))


# --- short fates ------------------------------------------------------------------------------------

def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def lines_digest(data, limit=60):
    """Short text of stdout/stderr: equal consecutive lines counted, long ones cut, tracebacks summed up."""
    if not data:
        return "-"
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if lines and lines[0].startswith("Traceback"):
        return f"traceback ({len(lines)} lines) {_cut(lines[-1], limit)!r}"
    groups = []
    for line in lines:
        if groups and groups[-1][0] == line:
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    parts = [repr(_cut(line, limit)) + (f"x{n}" if n > 1 else "") for line, n in groups[:3]]
    if len(groups) > 3:
        parts.append(f"... {len(groups) - 3} more")
    return " / ".join(parts) + ("" if text.endswith("\n") else " (no newline)")


def process_fate(run):
    """One process's fate in a few words: how it ended, stdout, stderr, bytes read from sockets."""
    parts = [run.outcome() + (" (timed out)" if run.timed_out else "")]
    if run.stdout:
        parts.append("out " + lines_digest(run.stdout))
    if run.stderr:
        parts.append("err " + lines_digest(run.stderr))
    if run.trace:
        parts.append(f"read {len(run.received)} B")
    if run.children:
        parts.append(f"forked {len(run.children)}")
    return ", ".join(parts)


def fate(result):
    return "; ".join(f"{run.name}: {process_fate(run)}" for run in result.processes)


def exact_or_digest(data, limit=600):
    """data exactly (render_bytes) when short; else its lines counted (10,000 equal lines are one)."""
    exact = render_bytes(data)
    return exact if len(exact) <= limit else f"{lines_digest(data, 200)} ({len(data)} B)"


def details(scenario, results):
    """Every process of every run in full: argv, outcome, stdout, stderr, bytes read, syscalls."""
    out = [f"== {scenario.name}: {scenario.about}"]
    for result in results:
        for run in result.processes:
            out.append(f"-- {scenario.run_name(result.sides)}: {run.name}: {' '.join(run.argv)}")
            out.append(f"   {run.outcome()}{' (timed out)' if run.timed_out else ''}")
            out.append(f"   stdout {exact_or_digest(run.stdout)}")
            out.append(f"   stderr {exact_or_digest(run.stderr)}")
            if run.trace:
                out.append(f"   read from sockets {render_bytes(run.received)}")
                out.extend(f"   | {line}" for line in run.trace)
            for number, child in enumerate(run.children, 1):
                out.extend(f"   | child {number}: {line}" for line in child)
    out.append(f"verdict: {verdict(scenario, results).text}")
    return "\n".join(out)

"""What a process is expected to do, as its description writes it (`expect = {...}` in a process table): checked
in every run of the scenario, C's and the port's, after the runs were found equal. The keys are in KEYS; the
format is in docs/DESCRIPTIONS.md."""
import re

from . import winsock
from .normalise import render_bytes

KEYS = {"ends", "stdout", "stdout_starts", "stdout_matches", "stderr", "received", "received_lines", "calls", "trace_ends", "children",
        "syscalls", "wine"}


def stdin_bytes(value, where, error=ValueError):
    """A string, or a list of strings, [string, count] repeats and {ramp = N} (N bytes 0, 1 ... 255, 0 ...), as
    bytes (strings in UTF-8)."""
    if isinstance(value, str):
        return value.encode()
    if not isinstance(value, list):
        raise error(f"{where}: bytes are a string or a list of parts, not {value!r}")
    out = b""
    for part in value:
        if isinstance(part, str):
            out += part.encode()
        elif isinstance(part, list) and len(part) == 2 and isinstance(part[0], str) and isinstance(part[1], int):
            out += part[0].encode() * part[1]
        elif isinstance(part, dict) and set(part) == {"ramp"} and isinstance(part["ramp"], int):
            out += bytes(range(256)) * (part["ramp"] // 256) + bytes(range(part["ramp"] % 256))
        else:
            raise error(f"{where}: parts are strings, [string, count] or {{ramp = N}}, not {part!r}")
    return out


def _calls(value, where, error):
    if not isinstance(value, list):
        raise error(f"{where}: expect.calls is a list of patterns or [pattern, count]")
    out = []
    for entry in value:
        pattern, count = (entry, None) if isinstance(entry, str) else tuple(entry)
        re.compile(pattern)
        out.append((pattern, count))
    return tuple(out)


def _by_wine(value, where, error):
    """wine = { MAJOR = {expectations} }: what differs per wine major version (an erratum says why)."""
    if not isinstance(value, dict) or not value or not all(key.isdigit() for key in value):
        raise error(f"{where}: expect.wine maps wine major versions (8 = {{...}}, 10 = {{...}}) to expectations")
    return {int(major): parse(table, f"{where} expect.wine.{major}", error, nested=True)
            for major, table in value.items()}


def parse(table, where, error=ValueError, nested=False):
    """The expectations of a process table, checked and converted (bytes as bytes)."""
    keys = KEYS - {"wine"} if nested else KEYS
    if not isinstance(table, dict) or set(table) - keys:
        raise error(f"{where}: expect takes {', '.join(sorted(keys))}")
    out = dict(table)
    if "wine" in out:
        out["wine"] = _by_wine(out["wine"], where, error)
    for key in ("stdout", "stdout_starts", "stderr", "received", "received_lines"):
        if key in out:
            out[key] = stdin_bytes(out[key], f"{where} expect.{key}", error)
    if "calls" in out:
        out["calls"] = _calls(out["calls"], where, error)
    if "stdout_matches" in out:
        if not isinstance(out["stdout_matches"], str):
            raise error(f"{where}: expect.stdout_matches is a regex")
        out["stdout_matches"] = re.compile(out["stdout_matches"].encode())
    return out


def under_wine(expected, major):
    """expected with its `wine` table resolved for wine `major` (its entry's keys replace the common ones), and
    the problem when the description names no expectation for that version."""
    if "wine" not in expected:
        return expected, []
    common = {key: value for key, value in expected.items() if key != "wine"}
    if major not in expected["wine"]:
        named = ", ".join(str(v) for v in sorted(expected["wine"]))
        return common, [f"wine {major}: the description expects only under wine {named} (add what wine {major} does, "
                        f"and why, to its erratum)"]
    return {**common, **expected["wine"][major]}, []


def problems(run, expected, wine_major=None):
    """What of expected one Run (csock_compare.runner) does not do: [] when it does it all. wine_major: a function
    giving the running wine's major version, asked only when expected has a `wine` table."""
    who, found = f"{run.side or 'peer'} {run.name}", []
    if "wine" in expected:
        expected, missing = under_wine(expected, (wine_major or winsock.wine_major)())
        found += [f"{who}: {problem}" for problem in missing]
    lines = run.trace + [line for child in run.children for line in child]
    for key in ("stdout", "stderr", "received"):
        if key in expected and getattr(run, key) != expected[key]:
            found.append(f"{who} {key} {render_bytes(getattr(run, key)[:200])}, expected "
                         f"{render_bytes(expected[key][:200])}")
    if "stdout_starts" in expected and not run.stdout.startswith(expected["stdout_starts"]):
        found.append(f"{who} stdout {render_bytes(run.stdout[:200])}, expected it to start with "
                     f"{render_bytes(expected['stdout_starts'])}")
    if "stdout_matches" in expected and not expected["stdout_matches"].fullmatch(run.stdout):
        found.append(f"{who} stdout {render_bytes(run.stdout[:200])}, expected it to match "
                     f"{expected['stdout_matches'].pattern.decode()!r}")
    if "ends" in expected and run.outcome() != expected["ends"]:
        found.append(f"{who} ended {run.outcome()}, expected {expected['ends']}")
    if "received_lines" in expected and sorted(run.received.splitlines()) != sorted(
            expected["received_lines"].splitlines()):
        found.append(f"{who} received lines {render_bytes(run.received[:200])}, expected (any order) "
                     f"{render_bytes(expected['received_lines'][:200])}")
    for pattern, count in expected.get("calls", ()):
        n = sum(1 for line in lines if re.search(pattern, line))
        if (n == 0) if count is None else (n != count):
            found.append(f"{who}: {n} syscalls match {pattern!r}, expected {'some' if count is None else count}")
    if "trace_ends" in expected and run.trace[-len(expected["trace_ends"]):] != list(expected["trace_ends"]):
        found.append(f"{who} syscalls end {run.trace[-len(expected['trace_ends']):]}, expected "
                     f"{expected['trace_ends']}")
    if "children" in expected and len(run.children) != expected["children"]:
        found.append(f"{who} forked {len(run.children)}, expected {expected['children']}")
    if "syscalls" in expected and len(run.trace) != expected["syscalls"]:
        found.append(f"{who} made {len(run.trace)} traced syscalls, expected {expected['syscalls']}")
    return found

"""A C file and its port in two aligned columns with line numbers (`--side-by-side`)."""
import os
import unicodedata

from . import description, line_rule


def _cells(ch):
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text):
    return sum(_cells(ch) for ch in text)


def _fit(text, width):
    """text cut and padded to exactly width terminal cells."""
    out, used = [], 0
    for ch in text:
        w = _cells(ch)
        if used + w > width - (1 if used + w < _width(text) else 0):
            out.append("…")
            used += 1
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def find_program(name, paths=None):
    """The described Program a name means: a description file, or a .c / .py / program name such as echo_server
    or Windows/echo_client.py (looked up in paths, default every description of the checkout)."""
    if name.endswith(".toml"):
        return description.load(name).program
    paths = paths if paths is not None else description.find_descriptions(description.default_folder())
    programs = {p.c: p for path in paths for p in description.load(path).uses}.values()
    stem = os.path.splitext(os.path.basename(name))[0]
    folder = os.path.basename(os.path.dirname(os.path.abspath(name))) if "/" in name or os.sep in name else ""
    for program in programs:
        if stem in (program.name, os.path.splitext(os.path.basename(program.port))[0]) and \
                (not folder or folder in program.port.split(os.sep) or folder in program.c.split(os.sep)):
            return program
    raise SystemExit(f"--side-by-side: no port pair named {name!r} "
                     f"(pairs: {', '.join(line_rule.shown(p.port) for p in programs)})")


def side_by_side(program, column=None):
    sides = []
    for path in (program.c, program.port):
        with open(path, encoding="utf-8") as f:
            lines = [line.expandtabs(4) for line in f.read().split("\n")]
        if lines and lines[-1] == "":
            lines.pop()
        sides.append(lines)
    c_lines, py_lines = sides
    if column is None:
        column = min(max((_width(line) for line in c_lines), default=10), 84)
    out = [f"     {_fit(line_rule.shown(program.c), column)} | {line_rule.shown(program.port)}",
           f"     {'-' * column} | {'-' * 40}"]
    for number in range(1, max(len(c_lines), len(py_lines)) + 1):
        c = c_lines[number - 1] if number <= len(c_lines) else ""
        py = py_lines[number - 1] if number <= len(py_lines) else ""
        out.append(f"{number:3}  {_fit(c, column)} | {py}".rstrip())
    return "\n".join(out)

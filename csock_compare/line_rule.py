"""The line rule of the ports: line N of a Python port ports line N of its C original.

- A C line with code has a Python line with code; a C line that is blank, only braces or only a
  comment has a blank or comment line. An `#include` line may be either (imports or a comment).
- The C functions called on C line N (an identifier followed by `(` that is not a keyword) are
  exactly the C functions called on Python line N. On the Python side a called name counts as a C
  function when a C file of the described programs calls it; `ffi.sizeof` counts as `sizeof`, other `ffi.*`
  helpers and Python builtins are ignored. Strings and comments never count.
- Lines after the C file's last line may only start the program: `if __name__ == "__main__":` and
  the block under it.

`python -m csock_compare.line_rule [DESCRIPTION...]` checks every described pair (default: descriptions/ of
this checkout) and prints the first mismatch of each.
"""
import io
import keyword
import os
import re
import sys
import tokenize
from dataclasses import dataclass

from . import port_style

C_KEYWORDS = frozenset("""
    if else while for do switch case default return break continue goto typedef struct union enum
    static extern const volatile register auto signed unsigned short long int char float double void
    _Alignof alignof defined
""".split())  # sizeof is deliberately absent: `sizeof(x)` is ported as ffi.sizeof(x)

CODE, NONE, EITHER = "code", "blank or comment", "code or comment"

_C_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # the line as written
    kind: str  # CODE, NONE or EITHER (C preprocessor #include lines)
    calls: frozenset  # names called on it (for Python: every called name, before filtering)
    code: str = ""  # C: the line without comments, string and char literals reduced to "" / ''


@dataclass(frozen=True)
class Mismatch:
    c_path: str
    py_path: str
    number: int
    c_line: str
    py_line: str
    reason: str

    def __str__(self):
        return (f"{self.py_path}:{self.number} does not port {self.c_path}:{self.number}: {self.reason}\n"
                f"  C  {self.number:3}: {self.c_line}\n"
                f"  Py {self.number:3}: {self.py_line}")


def c_lines(source):
    """Each line of a C file with its kind and called names; comments and string/char literals removed."""
    texts = source.split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    stripped = []  # code of each line, comments blanked, literals reduced to ""
    in_comment = False
    for text in texts:
        out = []
        i = 0
        while i < len(text):
            if in_comment:  # a comment's characters become spaces: columns stay C's
                end = text.find("*/", i)
                stop = len(text) if end < 0 else end + 2
                out.append(" " * (stop - i))
                in_comment, i = end < 0, stop
                continue
            ch = text[i]
            if text.startswith("/*", i):
                in_comment = True
                out.append("  ")
                i += 2
            elif text.startswith("//", i):
                break
            elif ch in "\"'":
                j = i + 1
                while j < len(text) and text[j] != ch:
                    j += 2 if text[j] == "\\" else 1
                out.append(ch + ch)
                i = j + 1
            else:
                out.append(ch)
                i += 1
        stripped.append("".join(out))
    lines = []
    for number, (text, code) in enumerate(zip(texts, stripped), 1):
        bare = code.strip()
        if bare.startswith("#"):
            directive = bare[1:].strip()
            kind = EITHER if directive.startswith("include") else CODE
            calls = frozenset() if kind == EITHER else _c_calls(directive)
        elif not bare.strip("{};\t "):
            kind, calls = NONE, frozenset()
        else:
            kind, calls = CODE, _c_calls(code)
        lines.append(Line(number, text, kind, calls, code))
    return lines


def _c_calls(code):
    return frozenset(name for name in _C_CALL.findall(code) if name not in C_KEYWORDS)


def py_lines(source):
    """Each line of a Python file with its kind and the names called on it (`ffi.sizeof` as `sizeof`)."""
    texts = source.split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    code_lines = set()
    calls = {}
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                tokenize.COMMENT, tokenize.ENDMARKER)]
    for index, tok in enumerate(tokens):
        code_lines.update(range(tok.start[0], tok.end[0] + 1))
        if tok.type != tokenize.OP or tok.string != "(" or index == 0:
            continue
        name_tok = tokens[index - 1]
        if name_tok.type != tokenize.NAME or keyword.iskeyword(name_tok.string):
            continue
        owner = _owner(tokens, index - 1)
        name = name_tok.string
        if owner == "ffi":
            if name != "sizeof":
                continue
        calls.setdefault(name_tok.start[0], set()).add(name)
    return [Line(number, text, CODE if number in code_lines else NONE, frozenset(calls.get(number, ())))
            for number, text in enumerate(texts, 1)]


def _owner(tokens, index):
    """For `a.b(`, the name before the dot ("a"); None for a plain call."""
    if index >= 2 and tokens[index - 1].string == "." and tokens[index - 2].type == tokenize.NAME:
        return tokens[index - 2].string
    return None


def c_function_names(c_paths):
    """Every name called somewhere in the C files: what counts as a C function in a port."""
    names = set()
    for path in c_paths:
        with open(path, encoding="utf-8") as f:
            for line in c_lines(f.read()):
                names |= line.calls
    return frozenset(names)


def check_pair(c_source, py_source, c_functions, c_path="C", py_path="Python", style=True):
    """The first Mismatch between a C file and its port, or None when the port keeps the line rule (and, with
    style, the per-line rules of docs/PORTING.md: csock_compare.port_style)."""
    cl = c_lines(c_source)
    pl = py_lines(py_source)

    def mismatch(number, reason):
        c_text = cl[number - 1].text if number <= len(cl) else "(after the end of the C file)"
        py_text = pl[number - 1].text if number <= len(pl) else "(after the end of the Python file)"
        return Mismatch(c_path, py_path, number, c_text, py_text, reason)

    for number, c in enumerate(cl, 1):
        if number > len(pl):
            if c.kind == CODE:
                return mismatch(number, "the C line has code and the port has no such line")
            continue
        p = pl[number - 1]
        if c.kind == CODE and p.kind != CODE:
            return mismatch(number, "the C line has code, the Python line has none")
        if c.kind == NONE and p.kind == CODE:
            return mismatch(number, "the C line has no code (blank, brace or comment), the Python line has code")
        py_c_calls = frozenset(name for name in p.calls if name in c_functions or name == "sizeof")
        if py_c_calls != c.calls:
            missing = sorted(c.calls - py_c_calls)
            extra = sorted(py_c_calls - c.calls)
            parts = []
            if missing:
                parts.append("C calls " + ", ".join(f"{n}(" for n in missing) + " that Python does not")
            if extra:
                parts.append("Python calls " + ", ".join(f"{n}(" for n in extra) + " that C does not")
            return mismatch(number, "; ".join(parts))
        if style:
            reason = port_style.line_mismatch(c.text, c.code, p.text, c.kind, p.kind)
            if reason:
                return mismatch(number, reason)
    rest = [p for p in pl[len(cl):] if p.kind == CODE]
    if rest:
        first = rest[0]
        if first.text.strip() not in ('if __name__ == "__main__":', "if __name__ == '__main__':"):
            return mismatch(first.number, 'after the C file\'s last line only `if __name__ == "__main__":` may follow')
        stray = next((p for p in rest[1:] if not p.text[:1].isspace()), None)
        if stray is not None:
            return mismatch(stray.number, "after the C file's last line, code outside the `if __name__` block")
    if style and len(pl) > len(cl):
        takes_argv = re.search(r"\bmain\s*\(\s*int\b", c_source) is not None
        reason = port_style.prologue_mismatch("\n".join(p.text for p in pl[len(cl):]), takes_argv)
        if reason:
            return mismatch(len(cl) + 1, reason)
    return None


def check_programs(programs, c_functions=None):
    """A list of problems (one per program at most), empty when every port keeps the rule.

    programs: description.Program objects; a Python call counts as a C function when one of their C files
    calls it (or c_functions, when given).
    """
    programs = list({p.c: p for p in programs}.values())
    if c_functions is None:
        c_functions = c_function_names([p.c for p in programs if os.path.exists(p.c)])
    problems = []
    for program in programs:
        missing = [path for path in (program.c, program.port) if not os.path.exists(path)]
        if missing:
            problems.append(f"{program.source}: {', '.join(missing)} missing")
            continue
        with open(program.c, encoding="utf-8") as f:
            c_source = f.read()
        with open(program.port, encoding="utf-8") as f:
            py_source = f.read()
        found = check_pair(c_source, py_source, c_functions, shown(program.c), shown(program.port))
        if found is not None:
            problems.append(str(found))
    return problems


def shown(path):
    """path relative to the current directory when inside it, else absolute."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def main(argv=None):
    from . import description
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        paths = description.find_descriptions(description.default_folder())
    programs = [program for path in paths for program in description.load(path).uses]
    problems = check_programs(programs)
    for problem in problems:
        print(problem)
    print(f"{len({p.c for p in programs})} port pair(s), {len(problems)} breaking the line rule")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

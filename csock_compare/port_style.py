"""The rules of docs/PORTING.md a program can check, line by line (csock_compare.line_rule calls them once the
code/no-code and called-function rules hold):

- imports: the line of `#include <h>` imports from csock (explicitly, never `*`) and names `<h>` in its comment,
  or is a comment naming `<h>`;
- braces: a C line of braces only is a blank line (or a comment that is not a brace) in the port;
- casts: each cast of C line N, `(struct sockaddr *)`, is an `ffi.cast("struct sockaddr *", ...)` on line N;
- indentation: a code line of the port starts at C's column (tabs as 4);
- the `__main__` prologue: C's signal dispositions back (restore_c_signals()), argv as bytes (os.fsencode) when C's
  main takes it, csock's refusals as one line (`except (ValueError, OverflowError...)` then sys.exit).
"""
import re

_INCLUDE = re.compile(r"^\s*#\s*include\s*[<\"]([^>\"]+)[>\"]")
_CAST = re.compile(r"\(\s*((?:const\s+)?(?:struct\s+|unsigned\s+|signed\s+)?[A-Za-z_]\w*(?:\s*\*)+)\s*\)\s*(?=[&\w(])")
_FFI_CAST = re.compile(r"ffi\.cast\(\s*[\"']([^\"']+)[\"']")
_BRACES = re.compile(r"^[\s{}]*$")
# A port passes an address uncast where csock must see the whole struct (a cast pointer vouches for 16 bytes only).
_UNCAST = "# uncast:"
# The prologue's call, as a statement of its own (not in a comment or a string).
_RESTORES_SIGNALS = re.compile(r"^\s*(?:from csock\.startup import restore_c_signals\s*;\s*)?restore_c_signals\(\)",
                               re.MULTILINE)


def _type(text):
    """A C type written one way: single spaces, none before a '*'."""
    return re.sub(r"\s*\*\s*", "*", " ".join(text.split())).strip()


def c_casts(code):
    """The types C code casts to (pointer casts), in order; code without comments and string literals."""
    return [_type(m.group(1)) for m in _CAST.finditer(code)]


def _indent(text):
    text = text.expandtabs(4)
    return len(text) - len(text.lstrip(" "))


def line_mismatch(c_text, c_code, py_text, c_kind, py_kind):
    """The reason line N breaks a style rule, or None. c_code: the C line without comments and literals."""
    include = _INCLUDE.match(c_code) or _INCLUDE.match(c_text)
    py = py_text.strip()
    if include:
        header = f"<{include.group(1)}>"
        if "import *" in py:
            return "`import *`: a port imports the names it uses, explicitly (docs/PORTING.md, imports)"
        if header not in py_text:
            return f"the line of `#include {header}` must name {header} in its comment (docs/PORTING.md, imports)"
        if py and not py.startswith(("from csock import ", "#")):
            return f"the line of `#include {header}` imports from csock, or is a comment (docs/PORTING.md, imports)"
        return None
    if c_code.strip() and _BRACES.match(c_code) and py.startswith("#") and _BRACES.match(py[1:]):
        return "a C brace is a blank line in the port, not a brace comment (docs/PORTING.md, braces)"
    if c_kind == "code" and py_kind == "code":
        missing = [] if _UNCAST in py_text else list(c_casts(c_code))
        for cast in (_type(t) for t in _FFI_CAST.findall(py_text)):
            if cast in missing:
                missing.remove(cast)
        if missing:
            return (f"C casts to ({missing[0]}) here and the port has no ffi.cast(\"{missing[0]}\", ...) on this line "
                    "(docs/PORTING.md, casts)")
        if _indent(c_code) == _indent(c_text) != _indent(py_text):  # (a line that starts in a comment: free)
            return (f"the port's code starts at column {_indent(py_text)}, C's at {_indent(c_code)} "
                    "(docs/PORTING.md, indentation)")
    return None


def prologue_mismatch(block, c_main_takes_argv):
    """The reason the port's `if __name__ == "__main__":` block breaks the prologue rule, or None."""
    if not _RESTORES_SIGNALS.search(block):
        return ("the __main__ block does not put C's signal dispositions back "
                "(from csock.startup import restore_c_signals; restore_c_signals(); docs/PORTING.md)")
    if c_main_takes_argv and "os.fsencode" not in block:
        return "the __main__ block does not pass argv as bytes (os.fsencode; docs/PORTING.md)"
    if not re.search(r"except \((?:\w+Error, )*ValueError, OverflowError", block) or "sys.exit(f\"" not in block:
        return ("the __main__ block does not turn csock's refusals into one line "
                "(except (ValueError, OverflowError) ... sys.exit(f\"NAME.py: {refused}\"); docs/PORTING.md)")
    return None

"""csock.printf follows the grammar of the C runtime it calls: glibc's here, msvcrt's on Windows (its table is
checked here too). Formats drawn from glibc's grammar with safe arguments must print byte for byte what libc's
own snprintf prints for the same values passed as the C types the generator chose (tests/printf_oracle.py, a
child process); formats whose C behaviour is undefined or beyond what csock maps must be refused with a
one-line error naming the format or the argument, never a signal. What csock checks is what C gets, parsing is
linear, and no cache grows without bound or keeps a caller's object."""
import gc
import json
import os
import subprocess
import sys
import tempfile
import weakref

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import csock
from csock import _printf

HERE = os.path.dirname(os.path.abspath(__file__))
GLIBC = _printf.GRAMMAR.name == "glibc"
needs_glibc = pytest.mark.skipif(not GLIBC, reason="csock calls glibc's printf only on glibc systems")
ffi = csock.ffi


class Oracle:
    """A child printing each request through csock and through the C runtime's own snprintf (tests/printf_oracle.py:
    libc's; tests/windows/test_msvcrt_printf.py: msvcrt's), started once; ask() returns its reply, or fails the
    test if it died."""

    def __init__(self, script=os.path.join(HERE, "printf_oracle.py")):
        self.script, self.log = script, tempfile.TemporaryFile()
        env = dict(os.environ)
        env.pop("PYTHONUNBUFFERED", None)
        self.proc = subprocess.Popen([sys.executable, script], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log, env=env, cwd=tempfile.gettempdir())

    def ask(self, fmt, args, reference=True):
        request = {"format": fmt.hex(), "args": args, "reference": reference}
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except OSError:  # BrokenPipeError; Windows: EINVAL on a pipe to a dead child
            line = b""
        if not line:
            status = self.proc.wait(timeout=30)
            self.log.seek(0)
            stderr = self.log.read()[-2000:].decode(errors="replace")
            self.__init__(self.script)  # the next example gets a fresh child
            pytest.fail(f"printf({fmt!r}, {args}) killed the child (status {status}):\n{stderr}")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, "the child failed at its end"


@pytest.fixture(scope="module")
def oracle():
    o = Oracle()
    yield o
    o.close()


# --- glibc's grammar, the parts csock accepts, with the C type of each argument --------------------------

def _range(ctype):
    bits = ffi.sizeof(ctype) * 8
    signed = int(ffi.cast(ctype, -1)) < 0
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


SIGNED = {"": "int", "hh": "int", "h": "int", "l": "long", "ll": "long long", "q": "long long", "L": "long long",
          "j": "intmax_t", "z": "ssize_t", "Z": "ssize_t", "t": "ptrdiff_t"}
UNSIGNED = {"": "unsigned int", "hh": "unsigned int", "h": "unsigned int", "l": "unsigned long",
            "ll": "unsigned long long", "q": "unsigned long long", "L": "unsigned long long", "j": "uintmax_t",
            "z": "size_t", "Z": "size_t", "t": "size_t"}
FLOATS = {"": "double", "l": "double", "L": "long double", "ll": "long double", "q": "long double"}
UNSIGNED_CONVERSIONS = "ouxX" + ("bB" if "b" in "".join(chr(c) for c in _printf.GRAMMAR.kinds) else "")


def value_of(ctype):
    if ctype in ("double", "long double"):
        return st.floats(allow_nan=True, allow_infinity=True)
    if ctype == "char *":
        return st.binary(max_size=12).map(lambda b: b.replace(b"\0", b"").hex())
    if ctype == "void *":
        return st.integers(0, (1 << (8 * ffi.sizeof("void *"))) - 1)
    low, high = _range(ctype)
    return st.one_of(st.integers(low, high), st.sampled_from([low, high, 0, -1 if low < 0 else 1]))


@st.composite
def conversion(draw):
    """(specification bytes, [(C type, value), ...]) of one conversion glibc defines and csock accepts."""
    flags = "".join(draw(st.lists(st.sampled_from("-+ #0'I"), max_size=4)))
    args = []
    width = draw(st.sampled_from(["", "", "*", "1", "7", "12", "40"]))
    if width == "*":
        args.append(("int", draw(st.integers(-40, 40))))
    precision = draw(st.sampled_from(["", "", ".", ".0", ".3", ".08", ".17", ".*"]))
    if precision == ".*":
        args.append(("int", draw(st.integers(-5, 40))))
    conv = draw(st.sampled_from("di" + UNSIGNED_CONVERSIONS + "eEfFgGaAcsp%m"))
    length = ""
    if conv in "di":
        length = draw(st.sampled_from(sorted(SIGNED)))
        ctype = SIGNED[length]
    elif conv in UNSIGNED_CONVERSIONS:
        length = draw(st.sampled_from(sorted(UNSIGNED)))
        ctype = UNSIGNED[length]
    elif conv in "eEfFgGaA":
        length = draw(st.sampled_from(sorted(FLOATS)))
        ctype = FLOATS[length]
    else:
        ctype = {"c": "int", "s": "char *", "p": "void *"}.get(conv)
    if ctype is not None:
        value = draw(st.integers(0, 255) if conv == "c" else value_of(ctype))
        if length in ("hh", "h") and ctype == "int":  # C passes a short or char promoted to int: any int
            value = draw(st.integers(*_range("int")))
        args.append((ctype, value))
    return ("%" + flags + width + precision + length + conv).encode(), args


TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="%"), max_size=6)


@st.composite
def glibc_parts(draw):
    """[(literal text + one conversion, its arguments), ...] and the text after them."""
    parts = [(draw(TEXT).encode() + spec, args) for spec, args in draw(st.lists(conversion(), max_size=5))]
    return parts, draw(TEXT).encode()


def joined(parts, tail):
    return b"".join(p for p, _ in parts) + tail, [a for _, args in parts for a in args]


def glibc_format():
    return glibc_parts().map(lambda pt: joined(*pt))


GRAMMAR_SETTINGS = settings(max_examples=int(os.environ.get("CSOCK_PRINTF_EXAMPLES", "300")), deadline=None,
                            database=None, suppress_health_check=list(HealthCheck))


@needs_glibc
@GRAMMAR_SETTINGS
@given(case=glibc_format())
@example(case=(b"%*%|%s\n", [("int", 5), ("char *", b"x".hex())]))
@example(case=(b"%llf|%s|%s\n", [("long double", 1.0), ("char *", b"x".hex()), ("char *", b"y".hex())]))
@example(case=(b"%Ld %qd %Lu %Zd\n", [("long long", 5), ("long long", -7), ("unsigned long long", 9),
                                      ("ssize_t", -3)]))
@example(case=(b"%-*m|%.*%|%'Id\n", [("int", 30), ("int", 2), ("int", 1234567)]))
@example(case=(b"%hhd %hu %c\n", [("int", 300), ("unsigned int", 70000), ("int", 200)]))
@example(case=(b"%.3s|%10.2Lf|%p|%p\n", [("char *", b"abcdef".hex()), ("long double", 3.14159),
                                         ("void *", 0), ("void *", 0x1234)]))
def test_accepted_formats_print_what_libc_prints(case, oracle):
    fmt, args = case
    reply = oracle.ask(fmt, args)
    assert "error" not in reply, f"printf({fmt!r}, {args}) refused: {reply['error']}"
    assert reply["csock"] == reply["libc"], f"printf({fmt!r}, {args}): csock {reply['csock']} != libc {reply['libc']}"


# --- what csock refuses: C undefined, glibc-specific beyond the grammar above, or unmappable -----------------

REFUSED_SPECS = [
    "%n", "%hhn", "%ln", "%lln", "%jn",  # writes through a pointer
    "%ls", "%lc", "%S", "%C", "%lls", "%hs", "%Ls", "%zs", "%hc", "%qc", "%lp", "%hp", "%lm", "%h%", "%l%",
    "%hf", "%hhf", "%jf", "%zf", "%tf", "%Zf", "%hhhd", "%llld", "%Lld", "%hL", "%lL",  # no such combination
    "%1$d", "%*1$d", "%.*1$d", "%1$*2$d", "%0$d", "%5$s", "%*5d", "%.*5d",  # positional forms
    "%y", "%k", "%w32d", "%v", "%-", "%5", "%.", "%l", "%", "%5-d", "%.3.4d", "%*.*",  # unknown or incomplete
    "%2147483648d", "%.2147483648s", "%9999999999999999999d", "%.99999999999f",  # does not fit an int
]


@needs_glibc
@pytest.mark.parametrize("spec", REFUSED_SPECS)
def test_refused_conversions_raise_one_line_naming_the_format(spec, oracle):
    fmt = b"ok " + spec.encode() + b"\n"
    reply = oracle.ask(fmt, [("int", 1)] * 3, reference=False)
    assert "error" in reply, f"printf({fmt!r}) was not refused: {reply}"
    typ, message = reply["error"]
    assert typ == "ValueError" and message.startswith("printf: format: ") and "\n" not in message, reply


@needs_glibc
@settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case=glibc_parts(), spec=st.sampled_from(REFUSED_SPECS), where=st.integers(0, 5))
def test_a_refused_conversion_anywhere_refuses_the_call(case, spec, where, oracle):
    parts, tail = case
    where = min(where, len(parts))
    parts = parts[:where] + [(spec.encode() + b"|", [("int", 1)] * 3)] + parts[where:]  # between two conversions
    fmt, args = joined(parts, tail)
    reply = oracle.ask(fmt, args, reference=False)
    assert "error" in reply and reply["error"][0] == "ValueError" and "format" in reply["error"][1], (fmt, reply)


CRASHERS = [  # (call, what it must give): each once killed the interpreter or the checker (issue 10)
    ('csock.printf(b"%*%|%s\\n", b"x")', "TypeError: printf: the format takes 2 argument(s), 1 given"),
    ('csock.printf(b"%llf|%s|%s\\n", 1.0, b"x", b"y")', "1.000000|x|y\n"),
    ('csock.printf(b"%Ld\\n", 5)', "5\n"),
    ('csock.printf(b"%*%|%s\\n", 1 << 31, b"x")', "OverflowError: printf: argument 2 (2147483648) does not fit 'int'"),
    ('csock.printf(b"%*d\\n", -(1 << 31), 5)', "OverflowError: printf: argument 2 (a `*` width) is INT_MIN"),
    ('csock.printf(b"%Lf\\n", b"x")', "TypeError: printf: argument 2 must be a float for 'long double', not bytes"),
    ('csock.printf(b"%s\\n", 5)', "TypeError: printf: argument 2 must be bytes or a char cdata, not int"),
    ('csock.printf(b"%s\\n", csock.ffi.new("char *", b"A"))', "ValueError: printf: argument 2 has no terminating NUL"),
    ('csock.printf(b"%ls\\n", b"x")', "ValueError: printf: format: b'%ls' at byte 0: the length modifier 'l' on %s"),
]


@needs_glibc
@pytest.mark.parametrize("call,expected", CRASHERS, ids=[c[0][13:40] for c in CRASHERS])
def test_former_crashers_give_one_line_in_a_child(call, expected):
    code = ("import csock\ntry:\n    " + call + "\n    csock.fflush(csock.stdout)\n"
            "except Exception as e:\n    print(f'{type(e).__name__}: {e}')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd=tempfile.gettempdir())
    assert proc.returncode == 0, f"{call}: status {proc.returncode}: {proc.stderr[-2000:]!r}"
    out = proc.stdout.decode()
    assert out.startswith(expected) and out.count("\n") == 1, f"{call}: {out!r}"


# --- msvcrt's grammar (the Windows build's C runtime) and the C99 fallback, as tables ------------------------

def kinds(fmt, grammar):
    return [getattr(c, "ctype", None) for c in _printf.parse(fmt, grammar)]


@pytest.mark.parametrize("fmt,expected", [
    (b"%d %i %u %x %X %o", ["int", "int", "unsigned int", "unsigned int", "unsigned int", "unsigned int"]),
    (b"%ld %lu", ["int32_t", "uint32_t"]),  # long is 32 bits on Windows
    (b"%lld %I64d %I64x %I32d %I32u", ["int64_t", "int64_t", "uint64_t", "int32_t", "uint32_t"]),
    (b"%Id %Iu %hd %hu", ["ptrdiff_t", "size_t", "int", "unsigned int"]),
    (b"%f %lf %e %E %g %G %Lf %Lg", ["double"] * 8),  # msvcrt's long double is its double
    (b"%c %s %p %%", ["int", "char *", "void *"]),
    (b"%-*.*d %+ 5.3f %#x %#o %#g %05d", ["int", "int", "int", "double", "unsigned int", "unsigned int", "double",
                                           "int"]),
])
def test_msvcrt_grammar_maps_each_conversion_to_its_c_type(fmt, expected):
    assert kinds(fmt, _printf.MSVCRT) == expected


@pytest.mark.parametrize("spec", [
    "%hhd", "%jd", "%zu", "%td", "%Ld", "%qd", "%Zd", "%llf", "%F", "%a", "%A", "%m", "%n", "%b",
    "%ls", "%S", "%C", "%lc", "%hs", "%wd", "%5%", "%*%", "%-%", "%'d", "%Id%I6d", "%1$d", "%#d", "%#s", "%0s",
    "%0c", "%.3c", "%.3p", "%0p", "%",
])
def test_msvcrt_grammar_refuses_what_it_cannot_map(spec):
    with pytest.raises(ValueError, match=r"^printf: format: "):
        _printf.parse(spec.encode(), _printf.MSVCRT)


def test_c99_grammar_has_no_glibc_extension():
    for spec in ["%m", "%Ld", "%qd", "%Zd", "%llf", "%Id", "%*%", "%'x", "%#d", "%b"]:
        with pytest.raises(ValueError, match=r"^printf: format: "):
            _printf.parse(spec.encode(), _printf.C99)
    assert kinds(b"%Lf %'d %zu %jd %hhu %lc"[:-4], _printf.C99) == ["long double", "int", "size_t", "intmax_t",
                                                                     "unsigned int"]


def test_glibc_grammar_versions_and_star_before_percent():
    old, new = _printf.glibc_grammar((2, 34)), _printf.glibc_grammar((2, 35))
    with pytest.raises(ValueError):
        _printf.parse(b"%b", old)
    assert kinds(b"%b %lB", new) == ["unsigned int", "unsigned long"]
    assert kinds(b"%*%%.*m%-5%", new) == ["int", "int"]  # glibc reads an int for each `*`, even before %% and %m
    assert kinds(b"%Ld %qu %Lf %llg %qa %lf", new) == ["long long", "unsigned long long", "long double",
                                                       "long double", "long double", "double"]


def test_runtime_grammar_is_the_c_runtime_csock_calls():
    expected = "msvcrt" if hasattr(csock.lib, "WSAStartup") else "glibc" if os.confstr(
        "CS_GNU_LIBC_VERSION").startswith("glibc") else "C99"
    assert _printf.GRAMMAR.name == expected


# --- what is checked is what C gets ------------------------------------------------------------------------

def run_child(code):
    proc = subprocess.run([sys.executable, "-c", "import csock\nfrom csock import ffi\n" + code],
                          capture_output=True, timeout=60, cwd=tempfile.gettempdir())
    assert proc.returncode == 0, f"status {proc.returncode}: {proc.stderr[-2000:]!r}"
    return proc.stdout


def test_user_code_in_a_conversion_cannot_change_what_was_checked():
    """An __index__ that rewrites the format array, removes an earlier string's NUL or lies in comparisons."""
    out = run_child("""
fmt = ffi.new("char[]", b"%s|%d|%d\\n")
s = ffi.new("char[4]", b"ab")
class Rewrite:
    def __index__(self):
        ffi.memmove(fmt, b"%s%s%s%s%s%s%s\\0", 15)  # a format that would read six more pointers
        ffi.memmove(s, b"XYZW", 4)  # the checked string loses its NUL
        return 7
class Liar(int):
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __lt__(self, other): return False
    def __gt__(self, other): return False
csock.printf(fmt, s, Rewrite(), 8)
csock.fflush(csock.stdout)
try:
    csock.printf(b"%d\\n", Liar(1 << 40))
except OverflowError as e:
    print(e)
""")
    assert out == b"ab|7|8\nprintf: argument 2 (1099511627776) does not fit 'int'\n"


def test_nothing_of_the_caller_is_kept():
    fmt = ffi.new("char[]", b"%s %s\n")
    big = ffi.new("char[]", b"x" * 100000)
    data = b"y" * 1000 + b"\n"
    counted = hasattr(sys, "getrefcount")  # CPython; PyPy has no reference counts: the weak references below tell
    before = [sys.getrefcount(o) for o in (fmt, big, data)] if counted else None
    for _ in range(3):  # prints nothing: each string's precision is 0
        _printf.converters(b"%s %s\n")
        csock.printf(b"%.0s%.0s", big, data)
        csock.printf(b"%.0s", fmt)
    if counted:
        assert [sys.getrefcount(o) for o in (fmt, big, data)] == before
    arrays = [weakref.ref(fmt), weakref.ref(big)]
    del fmt, big
    gc.collect()
    assert [array() for array in arrays] == [None, None]
    long_format = b"%.0s" + b" " * 1000
    csock.printf(long_format, b"z")
    assert long_format not in _printf._bytes_formats  # over 512 bytes: never kept


def test_caches_stay_bounded_over_100000_distinct_formats():
    """At most 256 formats of at most 512 bytes each are kept (RSS growth: bench/printf_grammar.py)."""
    for i in range(100000):
        _printf.converters(b"%d %s " + str(i).encode())
    kept = _printf._bytes_formats
    assert len(kept) <= _printf._KEEP_FORMATS and len(_printf._string_formats) <= _printf._KEEP_FORMATS
    assert max(len(f) for f in kept) <= _printf._KEEP_BYTES
    if sys.implementation.name == "cpython":  # PyPy's sys.getsizeof has no answer (it raises TypeError)
        held = sum(sys.getsizeof(f) + sys.getsizeof(v[0]) for f, v in kept.items()) + sys.getsizeof(kept)
        assert held < 256 << 10, f"the parse cache holds {held} bytes"


@pytest.mark.parametrize("shape", [b"%d", b"%%", b"%*.*%", b"x", b"%-+ #0'I12.7Lf", b"%0"])
def test_parsing_is_linear(shape):
    """The Python-level steps for a 20,000-byte format are 10x those for 2,000 bytes (times: bench/printf_grammar.py)."""
    def steps(n):
        fmt = (shape * (n // len(shape) + 1))[:n]
        if fmt.endswith(b"%") or shape == b"%0":
            fmt = fmt[:-2] + b"d " if shape != b"%0" else b"%" + b"0" * (n - 2) + b"d"
        count, last = [0], [None]

        def tracer(frame, event, arg):  # an event repeating the one before, in the same frame, is the same step:
            step = (id(frame), event, frame.f_lineno)  # PyPy reports a loop's line again when its periodic actions run
            count[0] += step != last[0]
            last[0] = step
            return tracer
        sys.settrace(tracer)
        try:
            _printf.parse(fmt)
        except ValueError:
            pass
        finally:
            sys.settrace(None)
        return count[0]
    small, large = steps(2000), steps(20000)
    assert large <= 11 * small, (small, large)

"""csock.printf on Windows follows msvcrt.dll's printf grammar, proved against msvcrt itself (under wine).

mingw-w64 links csock against msvcrt.dll and builds it with __USE_MINGW_ANSI_STDIO=0 (tests/windows/provision.py),
so csock.printf ends in msvcrt's formatter. Formats are drawn from a model of msvcrt's documented grammar
(Microsoft's "Format specification syntax" and "Size specification" for msvcrt.dll, narrowed by ISO C's rules for
flags and precisions: '#' on %d or a precision on %c, which Microsoft documents as ignored, stay refused; and csock
maps no length modifier on %c %s %p) and a wider space around it (C99's and glibc's length modifiers, other
conversions, flags C leaves undefined). Where the model says the format is defined, csock.printf must accept it
and print, byte for byte and with the same return value, what msvcrt's own _snprintf prints for the same values
passed as the C types the model gives (long is 32 bits, I and I64 are 64, L on floating conversions is double);
values outside those types must be refused. Where the model says undefined, csock must refuse the call with a
one-line ValueError naming the format. Each call runs in a child process (this file run as a script), where
msvcrt's fd 1 is a binary file: a crash fails the example that caused it.
"""
import json
import os
import sys
import tempfile

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="msvcrt's printf: the Windows leg (tests/windows/run)")

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# --- the model: msvcrt.dll's printf as Microsoft documents it, and the C type each argument is read as ---------

SIGNED = {"": "int", "h": "int", "l": "int32_t", "ll": "int64_t", "I": "int64_t", "I32": "int32_t", "I64": "int64_t"}
UNSIGNED = {"": "unsigned int", "h": "unsigned int", "l": "uint32_t", "ll": "uint64_t", "I": "uint64_t",
            "I32": "uint32_t", "I64": "uint64_t"}  # h: a short is passed promoted to int; I: size_t, 64 bits on x64
FLOATS = {"": "double", "l": "double", "L": "double"}  # msvcrt's long double is its double
OTHERS = {"c": "int", "s": "char *", "p": "void *"}
# ISO C: '#' only on o x X and floating conversions, '0' only on numeric ones, no precision on %c and %p.
HASH_OK, ZERO_OK, PRECISION_OK = "oxXeEfgG", "diouxXeEfgG", "diouxXeEfgGs"

# The space drawn around the model: glibc's ' flag, C99's and glibc's lengths, Microsoft's w, other conversions.
FLAG_CHARS = "-+ #0'"
LENGTHS = ["", "", "", "h", "l", "ll", "I", "I32", "I64", "L", "hh", "j", "z", "t", "q", "Z", "w"]
CONVERSIONS = "diouxXeEfgGcsp" * 3 + "FaAnmbCS%"
WIDTHS = ["", "", "*", "1", "7", "12", "40"]
PRECISIONS = ["", "", ".", ".0", ".3", ".08", ".17", ".*"]


def model_ctype(flags, width, precision, length, conv):
    """The C type msvcrt reads for this conversion (None: none), or False where msvcrt's behaviour is undefined."""
    if "'" in flags or ("#" in flags and conv not in HASH_OK) or ("0" in flags and conv not in ZERO_OK):
        return False
    if precision and conv not in PRECISION_OK:
        return False
    table = SIGNED if conv in "di" else UNSIGNED if conv in "ouxX" else FLOATS if conv in "eEfgG" else None
    if table is not None:
        return table.get(length, False)
    if conv in OTHERS:  # h, l, w on c and s are Microsoft's narrow and wide forms: csock maps neither
        return OTHERS[conv] if not length else False
    return None if conv == "%" and not (flags or width or precision or length) else False  # a bare %% only


def c_range(ctype):
    bits = 64 if ctype.endswith("64_t") else 32  # int, unsigned int, int32_t, uint32_t: 32 bits on Windows
    return (0, (1 << bits) - 1) if ctype.startswith("u") else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)


# --- the child: csock.printf into msvcrt's fd 1 (a binary file), then msvcrt's _snprintf on the same values -----

def child():
    from cffi import FFI

    import csock
    reference = FFI()
    reference.cdef("""int _snprintf(char *buffer, size_t count, const char *format, ...);
                      int _open(const char *filename, int oflag, ...); int _dup(int fd); int _dup2(int fd1, int fd2);
                      int _close(int fd);""")
    msvcrt = reference.dlopen("msvcrt.dll")  # the C runtime csock's extension imports (one per process)
    replies = os.fdopen(os.dup(1), "w")  # a handle of its own: msvcrt's _dup2 below closes the one fd 1 shares
    fd, path = tempfile.mkstemp(prefix="csock-msvcrt-printf-")
    os.close(fd)
    O_RDWR, O_TRUNC, O_BINARY, S_IREAD, S_IWRITE = 0x2, 0x200, 0x8000, 0x100, 0x80
    captured = msvcrt._open(os.fsencode(path), O_RDWR | O_TRUNC | O_BINARY, reference.cast("int", S_IREAD | S_IWRITE))
    saved = msvcrt._dup(1)
    assert captured >= 0 and saved >= 0 and msvcrt._dup2(captured, 1) == 0  # csock.printf writes into the file
    out = reference.new("char[]", 1 << 16)
    with open(path, "rb") as written:
        for line in sys.stdin:
            request = json.loads(line)
            fmt, args = bytes.fromhex(request["format"]), request["args"]
            reply = {}
            start = written.seek(0, os.SEEK_END)
            try:
                n = csock.printf(fmt, *[python_value(csock.ffi, t, v) for t, v in args])
                csock.fflush(csock.stdout)
            except Exception as e:
                reply["error"] = [type(e).__name__, str(e)]
            else:
                written.seek(start)
                reply["csock"] = [n, written.read().hex()]
            if request["reference"]:
                keep = []
                n = msvcrt._snprintf(out, len(out), fmt, *[c_value(reference, t, v, keep) for t, v in args])
                reply["msvcrt"] = [n, reference.buffer(out, max(0, n))[:].hex()]
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
        csock.fflush(csock.stdout)
        msvcrt._dup2(saved, 1)
        msvcrt._close(captured)
    os.unlink(path)


def python_value(ffi, ctype, value):
    if ctype == "char *":
        return bytes.fromhex(value)
    if ctype == "void *":
        return ffi.cast("void *", value)
    return value


def c_value(ffi, ctype, value, keep):
    if ctype == "char *":
        keep.append(ffi.new("char[]", bytes.fromhex(value)))
        return keep[-1]
    return ffi.cast(ctype, value)


if __name__ == "__main__":
    child()
    sys.exit(0)


# --- the tests ---------------------------------------------------------------------------------------------

from test_printf_grammar import Oracle  # noqa: E402  (tests/ is on sys.path: its conftest.py; not in the child)


@pytest.fixture(scope="module")
def msvcrt():
    child_process = Oracle(os.path.abspath(__file__))
    yield child_process
    child_process.close()


def value_of(ctype):
    if ctype == "double":
        return st.floats(allow_nan=True, allow_infinity=True)
    if ctype == "char *":
        return st.binary(max_size=12).map(lambda b: b.replace(b"\0", b"").hex())
    if ctype == "void *":
        return st.integers(0, (1 << 64) - 1)
    low, high = c_range(ctype)
    return st.one_of(st.integers(low, high), st.sampled_from([low, high, 0, -1 if low < 0 else 1]))


@st.composite
def conversion(draw):
    """(specification, [(C type, value), ...] msvcrt reads, or None where msvcrt's behaviour is undefined)."""
    flags = "".join(draw(st.lists(st.sampled_from(FLAG_CHARS), max_size=4)))
    width, precision = draw(st.sampled_from(WIDTHS)), draw(st.sampled_from(PRECISIONS))
    length, conv = draw(st.sampled_from(LENGTHS)), draw(st.sampled_from(CONVERSIONS))
    spec = ("%" + flags + width + precision + length + conv).encode()
    ctype = model_ctype(flags, width, precision, length, conv)
    if ctype is False:
        return spec, None
    args = []
    if width == "*":
        args.append(("int", draw(st.integers(-40, 40))))
    if precision == ".*":
        args.append(("int", draw(st.integers(-5, 40))))
    if ctype is not None:
        args.append((ctype, draw(st.integers(*c_range("int")) if conv == "c" else value_of(ctype))))
    return spec, args


TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="%"), max_size=6)


@st.composite
def msvcrt_format(draw):
    """(format, its arguments, the specifications msvcrt leaves undefined in it)."""
    parts = draw(st.lists(st.tuples(TEXT, conversion()), max_size=5))
    fmt = b"".join(text.encode() + spec for text, (spec, _) in parts) + draw(TEXT).encode() + b"\n"
    undefined = [spec for _, (spec, args) in parts if args is None]
    return fmt, [a for _, (_, args) in parts if args is not None for a in args], undefined


SETTINGS = settings(max_examples=int(os.environ.get("CSOCK_PRINTF_EXAMPLES", "400")), deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(case=msvcrt_format())
@example(case=(b"%I64d %I32u %Id %lld %lx|%hd %hu\n",
               [("int64_t", -(1 << 63)), ("uint32_t", (1 << 32) - 1), ("int64_t", 1 << 40), ("int64_t", -5),
                ("uint32_t", 0xdeadbeef), ("int", 70000), ("unsigned int", 70000)], []))
@example(case=(b"%Lf %Le %lg %-*.*E|%p|%s|%c\n",
               [("double", 3.25), ("double", -1e300), ("double", float("inf")), ("int", -12), ("int", 3),
                ("double", float("nan")), ("void *", 0x1234), ("char *", b"\xffab".hex()), ("int", 0x141)], []))
@example(case=(b"%#o %#x %#X %#e %#g %+ 05d % u %08.3f %.0s %.d|\n",
               [("unsigned int", 0), ("unsigned int", 255), ("unsigned int", 255), ("double", 1.0), ("double", 2.0),
                ("int", 42), ("unsigned int", 7), ("double", -3.14159), ("char *", b"hidden".hex()), ("int", 0)], []))
def test_msvcrt_defined_formats_print_what_msvcrt_prints(case, msvcrt):
    fmt, args, undefined = case
    reply = msvcrt.ask(fmt, args, reference=not undefined)
    if undefined:
        assert "error" in reply, f"printf({fmt!r}) was accepted; msvcrt leaves {undefined[0]!r} undefined: {reply}"
        typ, message = reply["error"]
        assert typ == "ValueError" and message.startswith("printf: format: ") and "\n" not in message, reply
        return
    assert "error" not in reply, f"printf({fmt!r}, {args}) refused, but msvcrt defines it: {reply['error']}"
    assert reply["csock"] == reply["msvcrt"], (
        f"printf({fmt!r}, {args}): csock {reply['csock']} != msvcrt {reply['msvcrt']} "
        f"({bytes.fromhex(reply['csock'][1])!r} != {bytes.fromhex(reply['msvcrt'][1])!r})")


@pytest.mark.parametrize("spec,ctype", [(b"%d", "int"), (b"%ld", "int32_t"), (b"%lu", "uint32_t"),
                                        (b"%I32x", "uint32_t"), (b"%I64d", "int64_t"), (b"%Iu", "uint64_t"),
                                        (b"%llu", "uint64_t")])
def test_values_outside_the_c_type_msvcrt_reads_are_refused(spec, ctype, msvcrt):
    """The range csock checks is that of the type msvcrt reads: long is 32 bits on Windows, I is 64 on x64."""
    low, high = c_range(ctype)
    for value in (low - 1, high + 1):
        reply = msvcrt.ask(spec + b"\n", [(ctype, value)], reference=False)
        assert reply.get("error", [None])[0] == "OverflowError", (spec, value, reply)
    for value in (low, high):
        reply = msvcrt.ask(spec + b"\n", [(ctype, value)])
        assert reply.get("csock") == reply["msvcrt"], (spec, value, reply)


def test_csock_calls_msvcrts_printf_not_mingws(msvcrt):
    """mingw-w64's own printf (what gcc's C17 default compiles in) writes two exponent digits and a space for
    '% u'; msvcrt's writes three and none. csock's extension must call msvcrt's, whose grammar it checks."""
    reply = msvcrt.ask(b"%e|% u\n", [("double", 1.0), ("unsigned int", 7)])
    assert reply["msvcrt"][1] == b"1.000000e+000|7\n".hex(), reply
    assert reply["csock"] == reply["msvcrt"], (
        f"csock printed {bytes.fromhex(reply['csock'][1])!r}: not msvcrt's printf "
        "(build the extension with -D__USE_MINGW_ANSI_STDIO=0)")

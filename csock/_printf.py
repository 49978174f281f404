"""printf's variadic arguments, checked against the format before libc sees them.

cffi passes variadic arguments only as cdata; a wrong one (a %s given an int) would crash libc.
Each format is parsed once: every conversion gets a converter that checks one Python value and
returns the cdata C expects, so a mismatch raises TypeError/OverflowError and libc never runs.
"""
import re

from ._checks import CDATA_TYPES, CHAR_POINTERS, c_string
from ._csock import ffi

_CONVERSION = re.compile(
    rb"%(?P<flags>[-+ #0']*)(?P<width>\*|[0-9]+)?(?:\.(?P<prec>\*|[0-9]*))?"
    rb"(?P<length>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[diouxXeEfFgGaAcspnm%])"
)

_SIGNED = {b"": "int", b"hh": "int", b"h": "int", b"l": "long", b"ll": "long long", b"q": "long long",
           b"j": "intmax_t", b"z": "ssize_t", b"Z": "ssize_t", b"t": "ptrdiff_t"}
_UNSIGNED = {b"": "unsigned int", b"hh": "unsigned int", b"h": "unsigned int", b"l": "unsigned long",
             b"ll": "unsigned long long", b"q": "unsigned long long", b"j": "uintmax_t", b"z": "size_t",
             b"Z": "size_t", b"t": "ptrdiff_t"}

_typeof = ffi.typeof


def _integer(ctype):
    bits = ffi.sizeof(ctype) * 8
    signed = int(ffi.cast(ctype, -1)) < 0
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    cdata_type = ffi.typeof(ctype)

    def convert(value, index):
        if isinstance(value, ffi.CData):
            ct = ffi.typeof(value)
            if ct.kind != "primitive" or ct.cname in ("float", "double", "long double"):
                raise TypeError(f"printf: argument {index} must be an integer for '{ctype}', not cdata '{ct.cname}'")
            return ffi.cast(cdata_type, value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"printf: argument {index} must be an int for '{ctype}', not {type(value).__name__}")
        if not low <= value <= high:
            raise OverflowError(f"printf: argument {index} ({value}) does not fit '{ctype}'")
        return ffi.cast(cdata_type, value)

    convert.c_arg = ctype  # "int": printf can take the fixed-argument path csock_printf_i
    return convert


def _floating(ctype):
    cdata_type = ffi.typeof(ctype)

    def convert(value, index):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return ffi.cast(cdata_type, value)
        if isinstance(value, ffi.CData) and ffi.typeof(value).kind == "primitive":
            return ffi.cast(cdata_type, value)
        raise TypeError(f"printf: argument {index} must be a number for '{ctype}', not {type(value).__name__}")

    return convert


def _checked_string(value, index):
    if type(value) in CDATA_TYPES or isinstance(value, ffi.CData):
        if _typeof(value) in CHAR_POINTERS:  # what c_string returns as is, NULL too (glibc prints (null))
            return value
        return c_string(value, "printf", f"argument {index}", null_ok=True)  # glibc prints (null)
    return ffi.from_buffer(c_string(value, "printf", f"argument {index}"))


def _pointer(value, index):
    if isinstance(value, ffi.CData) and ffi.typeof(value).kind in ("pointer", "array"):
        return ffi.cast("void *", value)
    raise TypeError(f"printf: argument {index} must be a cdata pointer for '%p', not {type(value).__name__}")


_checked_string.c_arg = _pointer.c_arg = "void *"  # both give a pointer: the path csock_printf_p


_INT = _integer("int")


def _converters(fmt):
    """The converter of each argument the format consumes, in order."""
    text = fmt.split(b"\0", 1)[0]
    out = []
    pos = 0
    while True:
        pos = text.find(b"%", pos)
        if pos < 0:
            return tuple(out)
        m = _CONVERSION.match(text, pos)
        if m is None:
            raise ValueError(f"printf: format: unsupported conversion at byte {pos} of {text!r}")
        pos = m.end()
        conv, length = m["conv"], m["length"] or b""
        if conv == b"%" or conv == b"m":
            continue
        if m["width"] == b"*":
            out.append(_INT)
        if m["prec"] == b"*":
            out.append(_INT)
        if conv in b"di":
            out.append(_integer(_SIGNED[length]))
        elif conv in b"ouxX":
            out.append(_integer(_UNSIGNED[length]))
        elif conv == b"c":
            if length:
                raise ValueError("printf: format: wide characters (%lc) are not supported")
            out.append(_INT)
        elif conv in b"eEfFgGaA":
            out.append(_floating("long double" if length == b"L" else "double"))
        elif conv == b"s":
            if length:
                raise ValueError("printf: format: wide strings (%ls) are not supported")
            out.append(_checked_string)
        elif conv == b"p":
            out.append(_pointer)
        else:  # %n writes through a pointer: never from Python
            raise ValueError("printf: format: %n is not supported")


_cache = {}


def converters(fmt):
    found = _cache.get(fmt)
    if found is None:
        found = _cache[fmt] = _converters(fmt)
    return found

"""printf: its format parsed by the grammar of the C runtime csock calls, each variadic argument checked against it.

cffi passes variadic arguments only as cdata, and C trusts the format for their types: a %s given an int, a
long double read where a double was passed, or an int read for a `*` nobody supplied would crash libc. So the
format is copied once to an immutable `bytes`, parsed (linearly) by the C runtime's own grammar — glibc's on
Linux, msvcrt's on Windows (mingw-w64), C99's elsewhere — and each argument converted once to the cdata C will
read: an exact int in range (operator.index), a float() result, a NUL-terminated copy of a char array. Exactly
those values and that copy reach C; nothing of the caller's is kept after the call.

glibc: flags - + space # 0 ' I in any order; width and precision digits (up to INT_MAX) or `*` (an int; even
before %% and %m, as glibc reads one there); hh h l ll q L j z Z t on d i o u x X (b B from glibc 2.35), where
q and L mean long long; l on floating conversions means double, L ll q long double; c s p % m without a length
modifier. Refused with ValueError naming the format and the byte: positional forms (n$, *n$: csock does not
support them), %n, wide %lc %ls %C %S and any other length modifier on c s p % m, h hh j z t on floating
conversions, an unknown or unfinished conversion, a width or precision past INT_MAX (glibc: EOVERFLOW).
msvcrt: flags - + space # 0, width and precision, h l (32 bits) ll I64 I32 I on integers, l and L (a double:
msvcrt's long double) on e f g, and a bare %% only; refused beside glibc's refusals: hh j z t q Z and L on
integers, %F %a %m %b, flags or precisions C leaves undefined for the conversion. %s takes bytes without NUL,
a char array with a NUL, or a char * from C (trusted, NULL printed "(null)"); a char array is passed as a copy
up to its NUL.
"""
import operator
import os
import re
import sys

from ._checks import CDATA_TYPES, CHAR_POINTERS, array_length, c_string, ctype_of as _ctype_of
from ._csock import ffi, lib
from ._csock_nonblocking import lib as _lib

_CData = ffi.CData
_typeof = ffi.typeof
_cast = ffi.cast
_from_buffer = ffi.from_buffer
_NULL = ffi.NULL
_index = operator.index
_int_index = int.__index__  # an exact int of an int subclass, without calling anything the subclass defines
_bytes_copy = bytes.__getitem__  # an exact bytes of a bytes subclass (with [:]), without its __buffer__
_ALL = slice(None)
_CAST = type(_cast("char *", 0))  # the class of a cdata pointer from C (inet_ntoa) or from ffi.cast
_OWNED = type(ffi.new("char *"))  # what ffi.new returns: it owns exactly its type's size
_CLASSES_DIFFER = _OWNED is not _CAST  # CPython's cffi; on PyPy every cdata has one class
# printf's fast path takes a `char *` of this class: from C or ffi.cast (CPython); any cdata on PyPy, then asked
# _unterminated_char (one class for all there).
_FAST_CHAR_P_CLASS = _CAST
_CHAR_P = _typeof("char *")


def _unterminated_char(value):
    """Whether a char * is ffi.new's one char, not a NUL: C would read past it (from C or ffi.cast: C's word)."""
    if not value:  # NULL: printed "(null)"
        return False
    first = value[0]  # bytes for a char *, an int for a signed or unsigned char *
    if first == b"\0" or first == 0:  # an empty string: nothing read past it
        return False
    if _CLASSES_DIFFER:
        return type(value) is _OWNED
    try:  # PyPy: cffi refuses index 1 of an ffi.new("char *") before reading; a C string has it (value[0] is no NUL)
        value[1]
    except IndexError:
        return True
    return False
_FLOATING = frozenset(("float", "double", "long double"))
# CPython's bytes end in a NUL after their last byte, so C may read one in place; elsewhere (PyPy) a copy has one.
_BYTES_IN_PLACE = sys.implementation.name == "cpython"
_INT_MAX = 2147483647


class Grammar:
    """One C runtime's printf grammar: what each part of a conversion specification means there.

    spec: a regex matched at each '%' (groups pos, flags, width, prec, length, conv; conv is empty at the
    end of the format); tokens: the specifications' extent, faster. kinds: conversion character -> what it
    prints (an entry absent: unknown there). integers: length -> (signed C type, unsigned C type) read for an
    integer conversion; floats: length -> C type read for a floating one. percent_spec: whether flags, width and precision may come between the
    two '%' of %% (glibc: yes, and a `*` there reads an int). strict: refuse the flag/conversion pairs and
    precisions that C leaves undefined (a runtime csock cannot compare against here).
    """

    def __init__(self, name, spec, tokens, kinds, integers, floats, percent_spec, strict):
        self.name, self.spec, self.kinds = name, re.compile(spec), kinds
        # tokens: a looser, faster regex that cuts the format where `spec` would wherever `spec` accepts (a
        # conversion character is never a flag, digit or length character); where they differ, spec refuses.
        self.specs, self.finditer = re.compile(tokens).findall, re.compile(tokens).finditer
        self.known: dict = {}  # specification -> its converters, for short ones (see _spec_converters)
        self.integers, self.floats, self.percent_spec, self.strict = integers, floats, percent_spec, strict


def _regexes(flags, positional, lengths) -> "tuple[bytes, bytes]":
    """(spec, tokens) regexes of a grammar: its flags, whether `*` may be `*n$`, its length modifiers in order."""
    star = rb"\*(?:[0-9]+\$)?" if positional else rb"\*"
    length = b"|".join(lengths)
    spec = (rb"%(?P<pos>[0-9]+\$)?(?P<flags>[" + flags + rb"]*)(?P<width>" + star + rb"|[1-9][0-9]*)?(?:\.(?P<prec>"
            + star + rb"|[0-9]*))?(?P<length>" + length + rb")?(?P<conv>[\s\S]?)")
    # the same cut: flags, width and precision are of these characters, and a conversion never is one
    return spec, rb"%[" + flags + rb"0-9$*.]*(?:" + length + rb")?[\s\S]?"


def _kinds(**groups):
    return {ord(c): kind for kind, chars in groups.items() for c in chars}


_REFUSED = {  # conversions a runtime knows, refused everywhere: C would write or read what csock cannot check
    "n": "%n writes through a pointer",
    "C": "%C takes a wide character", "S": "%S takes a wide string",
}
_LENGTHS = (b"hh", b"h", b"ll", b"l", b"q", b"L", b"j", b"z", b"Z", b"t")  # every one a grammar may know, longest first
_C99_INTEGERS = {b"": ("int", "unsigned int"), b"hh": ("int", "unsigned int"), b"h": ("int", "unsigned int"),
                 b"l": ("long", "unsigned long"), b"ll": ("long long", "unsigned long long"),
                 b"j": ("intmax_t", "uintmax_t"), b"z": ("ssize_t", "size_t"), b"t": ("ptrdiff_t", "size_t")}


def _glibc_version():
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):  # not glibc: musl, BSD libc, macOS
        return None
    name, _, version = text.partition(" ")
    if name != "glibc":
        return None
    return tuple(int(part) for part in re.findall(r"\d+", version)[:2])


def glibc_grammar(version=(2, 36)):
    """glibc's: the flags ' and I, `*` before %% and %m, q Z and L on integers, %m; %b %B from 2.35."""
    unsigned = "ouxX" + ("bB" if version >= (2, 35) else "")
    integers = dict(_C99_INTEGERS)
    integers.update({b"q": integers[b"ll"], b"L": integers[b"ll"], b"Z": integers[b"z"]})
    return Grammar(
        "glibc", *_regexes(rb"-+ #0'I", True, _LENGTHS),
        _kinds(signed="di", unsigned=unsigned, floating="eEfFgGaA", char="c", string="s", pointer="p",
               percent="%", strerror="m", refused="nCS"),
        integers,
        {b"": "double", b"l": "double", b"L": "long double", b"ll": "long double", b"q": "long double"},
        percent_spec=True, strict=False)


# msvcrt.dll (what mingw-w64 links): long is 32 bits, I64/I32/I are its own sizes; no hh (read as h), no j z t,
# no %F %a %m, %Lf reads a double (msvcrt's long double; mingw's is 80 bits: csock passes a double); %n refused.
MSVCRT = Grammar(
    "msvcrt", *_regexes(rb"-+ #0", False, (b"I64", b"I32", b"I", b"w") + _LENGTHS),
    _kinds(signed="di", unsigned="ouxX", floating="eEfgG", char="c", string="s", pointer="p", percent="%",
           refused="nCS"),
    {b"": ("int", "unsigned int"), b"h": ("int", "unsigned int"), b"l": ("int32_t", "uint32_t"),
     b"ll": ("int64_t", "uint64_t"), b"I64": ("int64_t", "uint64_t"), b"I32": ("int32_t", "uint32_t"),
     b"I": ("ptrdiff_t", "size_t")},
    {b"": "double", b"l": "double", b"L": "double"},
    percent_spec=False, strict=True)

# Any other C library (musl, BSD, macOS): C99 and POSIX's ' flag, no extension.
C99 = Grammar(
    "C99", *_regexes(rb"-+ #0'", True, _LENGTHS),
    _kinds(signed="di", unsigned="ouxX", floating="eEfFgGaA", char="c", string="s", pointer="p", percent="%",
           refused="nCS"),
    _C99_INTEGERS,
    {b"": "double", b"l": "double", b"L": "long double"},
    percent_spec=False, strict=True)

# C leaves these undefined: '#' outside o x X and floating, '0' outside numbers, precision on %c and %p.
_HASH_OK = frozenset(b"oxXbBeEfFgGaA")
_ZERO_OK = frozenset(b"diouxXbBeEfFgGaA")
_PREC_OK = frozenset(b"diouxXbBeEfFgGaAs")
_QUOTE_OK = frozenset(b"diufFgG")  # POSIX's thousands grouping


def runtime_grammar():
    """The grammar of the printf csock calls: msvcrt's where lib is Winsock's, glibc's (its version), or C99's."""
    if hasattr(lib, "WSAStartup"):
        return MSVCRT
    version = _glibc_version()
    return glibc_grammar(version) if version is not None else C99


GRAMMAR = runtime_grammar()


# --- converters: each checks one Python value and returns the immutable cdata C reads -----------------------

def _describe(value):
    if isinstance(value, _CData):
        return f"cdata '{_typeof(value).cname}'"
    return type(value).__name__


_integers: dict = {}  # C type name -> its converter (a few dozen at most)


def _typed(convert, ctype, c_arg):
    """convert, labelled with the C type it gives (ctype) and the fixed-argument helper's type (c_arg)."""
    setattr(convert, "ctype", ctype)
    setattr(convert, "c_arg", c_arg)
    return convert


def _integer(ctype):
    convert = _integers.get(ctype)
    if convert is not None:
        return convert
    cdata_type = _typeof(ctype)
    bits = ffi.sizeof(cdata_type) * 8
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if int(_cast(cdata_type, -1)) < 0 else (0, (1 << bits) - 1)

    def convert(value, index):
        if type(value) is not int:
            if type(value) in CDATA_TYPES or isinstance(value, _CData):
                ct = _typeof(value)
                if ct.kind not in ("primitive", "enum") or ct.cname in _FLOATING:
                    raise TypeError(f"printf: argument {index} must be an integer for '{ctype}', not {_describe(value)}")
                value = int(value)  # its C value, read once
            else:
                if isinstance(value, (bool, float)):
                    raise TypeError(f"printf: argument {index} must be an int for '{ctype}', not {_describe(value)}")
                try:
                    value = _index(value)  # user code (__index__) runs here, once, before the check
                except TypeError:
                    raise TypeError(f"printf: argument {index} must be an int for '{ctype}', not {_describe(value)}") \
                        from None
                if type(value) is not int:  # Python < 3.10 may return an int subclass
                    value = _int_index(value)
        if not low <= value <= high:
            raise OverflowError(f"printf: argument {index} ({value}) does not fit '{ctype}'")
        return _cast(cdata_type, value)

    _integers[ctype] = _typed(convert, ctype, ctype)  # "int": the binding's fixed-argument path csock_printf_i
    return convert


_INT = _integer("int")


def _star_width(value, index):
    """An int for `*` width: C takes a negative one as '-' and its absolute value, which INT_MIN has not."""
    converted = _INT(value, index)
    if int(converted) == -_INT_MAX - 1:
        raise OverflowError(f"printf: argument {index} (a `*` width) is INT_MIN, whose absolute value is no int")
    return converted


_typed(_star_width, "int", "int")
_floats: dict = {}


def _floating(ctype):
    convert = _floats.get(ctype)
    if convert is not None:
        return convert
    cdata_type = _typeof(ctype)

    def convert(value, index):
        if type(value) is not float:
            if type(value) in CDATA_TYPES or isinstance(value, _CData):
                if _typeof(value).kind not in ("primitive", "enum"):
                    raise TypeError(f"printf: argument {index} must be a number for '{ctype}', not {_describe(value)}")
                return _cast(cdata_type, value)  # C's own conversion, which keeps a long double's precision
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"printf: argument {index} must be a float for '{ctype}', not {_describe(value)}")
            try:
                value = float(value)  # user code (__float__ of a subclass) runs here, once, before the call
            except OverflowError:
                raise OverflowError(f"printf: argument {index} is too large for '{ctype}'") from None
        return _cast(cdata_type, value)

    _floats[ctype] = _typed(convert, ctype, ctype)
    return convert


_char_arrays: dict = {}  # array ctype -> whether its items are bytes (char, signed char, unsigned char)
_CHARS = ("char", "signed char", "unsigned char")


def _is_char_array(ct):
    if len(_char_arrays) >= 1024:  # char[N] for many N: bounded like every cache here
        _char_arrays.clear()
    found = _char_arrays[ct] = ct.kind == "array" and ct.item.cname in _CHARS
    return found


def _checked_string(value, index):
    """%s: a char * from C as is (NULL too: glibc and msvcrt print "(null)"), else a NUL-terminated copy."""
    if type(value) in CDATA_TYPES or isinstance(value, _CData):
        ct = _typeof(value)
        if ct in CHAR_POINTERS:  # C vouches for its NUL, unless ffi.new made it: one char, a NUL or not
            if _unterminated_char(value):
                raise ValueError(f"printf: argument {index} has no terminating NUL within its 1 bytes")
            return value
        chars = _char_arrays.get(ct)
        if chars is None:
            chars = _is_char_array(ct)
        if not chars:  # another pointer to char (trusted), NULL, or an error naming the argument
            return c_string(value, "printf", f"argument {index}", null_ok=True)
        n = array_length(value)
        if n < 0:
            raise TypeError(f"printf: argument {index} is an array of unknown length (pass the array, not ffi.gc of it)")
        copy = ffi.string(value, n)  # its bytes up to the NUL: no later write into the array changes what C reads
        if len(copy) == n:
            raise ValueError(f"printf: argument {index} has no terminating NUL within its {n} bytes")
        return _from_buffer(copy) if _BYTES_IN_PLACE else ffi.new("char[]", copy)
    elif type(value) is not bytes:
        if isinstance(value, bytes):
            value = _bytes_copy(value, _ALL)
        c_string(value, "printf", f"argument {index}")  # raises: str, bytearray, int...
    if 0 in value:  # a NUL inside: C would print less than was given
        raise ValueError(f"printf: argument {index} contains a NUL byte at index {value.index(0)}")
    return _from_buffer(value) if _BYTES_IN_PLACE else ffi.new("char[]", value)


def _pointer(value, index):
    if isinstance(value, _CData) and _typeof(value).kind in ("pointer", "array"):
        return _cast("void *", value)
    raise TypeError(f"printf: argument {index} must be a cdata pointer for '%p', not {_describe(value)}")


_typed(_checked_string, "char *", "void *")  # both give a pointer: the binding's path csock_printf_p
_typed(_pointer, "void *", "void *")


# --- the format ------------------------------------------------------------------------------------------

class _Refused(Exception):
    """Why one conversion specification is refused; parse() says where it is."""


def _bounded(digits, what):
    digits = digits.lstrip(b"0")
    if len(digits) > 10 or (digits and int(digits) > _INT_MAX):
        raise _Refused(f"the {what} does not fit an int (glibc fails with EOVERFLOW)")


def _analyse(spec, grammar):
    """The converters of one conversion specification (from '%' to its conversion character), in order."""
    m = grammar.spec.match(spec)
    conv = m["conv"]
    if not conv:
        raise _Refused("the format ends inside a conversion")
    if m.end() != len(spec):  # the tokens regex read further: a flag, digit or length after the conversion
        raise _Refused(f"unknown conversion {conv.decode('latin-1')!r} for {grammar.name}'s printf")
    width, prec, length, flags = m["width"], m["prec"], m["length"], m["flags"]
    if m["pos"] is not None or conv == b"$" or (width and width.endswith(b"$")) or (prec and prec.endswith(b"$")):
        raise _Refused("positional arguments (n$) are not supported")
    c = conv[0]
    kind = grammar.kinds.get(c)
    if kind is None:
        raise _Refused(f"unknown conversion {conv.decode('latin-1')!r} for {grammar.name}'s printf")
    if kind == "refused":
        raise _Refused(_REFUSED[chr(c)] + ": not supported")
    if width and width != b"*":
        _bounded(width, "width")
    if prec and prec != b"*":
        _bounded(prec, "precision")
    if kind == "percent" and not grammar.percent_spec and spec != b"%%":
        raise _Refused(f"{grammar.name}'s printf takes %% with nothing between")
    if grammar.strict and kind != "percent":
        _check_defined(c, flags, prec)
    if length and kind not in ("signed", "unsigned", "floating"):
        raise _Refused(f"the length modifier {length.decode()!r} on %{chr(c)} is not supported (wide or undefined)")
    out = []
    if width == b"*":
        out.append(_star_width)
    if prec == b"*":
        out.append(_INT)  # a negative precision is taken as none
    length = length or b""
    if kind == "signed" or kind == "unsigned":
        types = grammar.integers.get(length)
        if types is None:
            raise _Refused(f"{grammar.name}'s printf has no length modifier {length.decode()!r} for integers")
        out.append(_integer(types[kind == "unsigned"]))
    elif kind == "floating":
        ctype = grammar.floats.get(length)
        if ctype is None:
            raise _Refused(f"the length modifier {length.decode()!r} on %{chr(c)} is undefined for {grammar.name}'s"
                           " printf")
        out.append(_floating(ctype))
    elif kind == "char":
        out.append(_INT)
    elif kind == "string":
        out.append(_checked_string)
    elif kind == "pointer":
        out.append(_pointer)
    return tuple(out)  # percent and strerror (%m) take no argument of their own


def _check_defined(c, flags, prec):
    if b"#" in flags and c not in _HASH_OK:
        raise _Refused(f"the flag '#' on %{chr(c)} is undefined in C")
    if b"0" in flags and c not in _ZERO_OK:
        raise _Refused(f"the flag '0' on %{chr(c)} is undefined in C")
    if b"'" in flags and c not in _QUOTE_OK:
        raise _Refused(f"the flag \"'\" on %{chr(c)} is undefined in POSIX")
    if prec is not None and c not in _PREC_OK:
        raise _Refused(f"a precision on %{chr(c)} is undefined in C")


_KNOWN_SPECS = 1024  # specifications of up to 32 bytes remembered per grammar (%d, %5.2f...): a bounded set
_KNOWN_SPEC_BYTES = 32


def _spec_converters(spec, grammar):
    convs = _analyse(spec, grammar)
    if len(spec) <= _KNOWN_SPEC_BYTES:
        if len(grammar.known) >= _KNOWN_SPECS:
            grammar.known.clear()
        grammar.known[spec] = convs
    return convs


def parse(fmt, grammar=None):
    """The converter of each argument `fmt` (bytes, no NUL) makes printf read, in order; ValueError if refused.

    One regex scan splits the format into its conversion specifications (linear: each byte is read once or
    twice); each is looked up among those already analysed, or analysed once.
    """
    grammar = grammar or GRAMMAR
    known = grammar.known
    out: list = []
    try:
        for spec in grammar.specs(fmt):
            convs = known.get(spec)
            if convs is None:
                convs = _spec_converters(spec, grammar)
            out += convs
    except _Refused:
        for m in grammar.finditer(fmt):  # again, to say where: the first specification refused
            if m.group() in known:
                continue
            try:
                _analyse(m.group(), grammar)
            except _Refused as e:
                spec = m.group()
                shown = repr(spec if len(spec) <= 24 else spec[:20] + b"...")
                raise ValueError(f"printf: format: {shown} at byte {m.start()}: {e}") from None
        raise
    return tuple(out)


_bytes_formats: dict = {}  # bytes format -> (its converters, its fixed-argument call or None); see _keep
_string_formats: set = set()  # bytes formats of exactly one %s (with csock_printf_p): the server loop's fast path
# The last of them kept, tested first by identity: one field read on PyPy (where the set lookup is a call of its own),
# and on CPython no type test (it is exact bytes). Always a one-%s format: never None, which printf would pass as NULL.
_string_format: bytes = b"%s"
_KEEP_FORMATS = 256  # a bound on both: full, they are emptied (a program prints with a few formats)
_KEEP_BYTES = 512  # longer formats are parsed again each call: the cache never holds much of a caller's data


def converters(fmt):
    """parse(fmt) by the runtime's grammar, the parse kept for a short bytes format."""
    found = _bytes_formats.get(fmt)
    if found is None:
        return _keep(fmt, parse(fmt))[0]
    return found[0]


# printf's fixed-argument helpers of the binding (libc's printf, without libffi's variadic call), by argument type.
_FIXED_PRINTF = {c_arg: getattr(lib, name) for c_arg, name in (("void *", "csock_printf_p"), ("int", "csock_printf_i"))
                 if hasattr(lib, name)}
_printf_p = _FIXED_PRINTF.get("void *")
_c_printf = getattr(_lib, "printf", None)


def _fixed_printf(convs):
    """The binding's printf of one fixed argument that serves these converters, or None (the variadic call)."""
    if not convs:  # no argument: the pointer helper, given NULL, which the format never reads
        return _FIXED_PRINTF.get("void *")
    if len(convs) == 1:
        return _FIXED_PRINTF.get(getattr(convs[0], "c_arg", None))
    return None


def _keep(fmt, convs):
    global _string_format
    parsed = (convs, _fixed_printf(convs))
    if len(fmt) <= _KEEP_BYTES:
        if len(_bytes_formats) >= _KEEP_FORMATS:
            _bytes_formats.clear()
            _string_formats.clear()
        _bytes_formats[fmt] = parsed
        if parsed[1] is not None and convs == (_checked_string,):
            _string_formats.add(fmt)
            _string_format = fmt
    return parsed


def _format_copy(format):
    """The format as an immutable bytes of its own: what is parsed is what C reads."""
    if isinstance(format, bytes):
        copy = _bytes_copy(format, _ALL)  # a bytes subclass: an exact copy
    else:
        checked = c_string(format, "printf", "format")  # TypeError/ValueError for anything else
        copy = ffi.string(checked)  # a char array (NUL within it) or a char * from C, up to its NUL
    return copy


_NO_ARGUMENT = object()  # printf's second parameter when it is given none (a name: no tuple of one per call)


def printf(format, arg=_NO_ARGUMENT, /, *args):
    """int printf(const char *format, ...);  each argument is checked against its conversion."""
    if ((format is _string_format or (type(format) is bytes and format in _string_formats))  # kept: exact bytes
            and type(arg) is _FAST_CHAR_P_CLASS and not args
            and _ctype_of(arg) is _CHAR_P
            and (_CLASSES_DIFFER or not _unterminated_char(arg))):  # "...%s..." given a char * from C: as is
        return _printf_p(format, arg)  # what the general path below passes, in fewer steps
    if arg is not _NO_ARGUMENT:
        args = (arg,) + args
    fmt, convs, fixed = checked_format(format, len(args))
    if fixed is not None:  # the book's printf calls: one argument or none, no libffi
        if not args:
            return fixed(fmt, _NULL)
        return fixed(fmt, convs[0](args[0], 2))
    if len(args) == 1:
        return _c_printf(fmt, convs[0](args[0], 2))
    return _c_printf(fmt, *c_arguments(convs, args, 2))


def checked_format(format, count):
    """(the format as bytes of its own, the converter of each argument, the fixed-argument printf or None), the
    format parsed by the runtime's grammar and taking exactly `count` arguments. printf's and fprintf's."""
    fmt = format if type(format) is bytes else _format_copy(format)
    parsed = _bytes_formats.get(fmt)
    if parsed is None:
        if 0 in fmt:  # C would stop at the NUL: a different, shorter format than the one given
            raise ValueError(f"printf: format contains a NUL byte at index {fmt.index(0)}")
        parsed = _keep(fmt, parse(fmt))
    convs, fixed = parsed
    if count != len(convs):
        raise TypeError(f"printf: the format takes {len(convs)} argument(s), {count} given")
    return fmt, convs, fixed


def c_arguments(convs, args, first):
    """The cdata C reads for each argument, converted once; `first`: the C argument number of args[0]."""
    c_args = []  # a loop, not a comprehension: one frame less per call
    i = first
    for conv, arg in zip(convs, args):
        c_args.append(conv(arg, i))
        i += 1
    return c_args

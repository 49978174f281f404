"""<stdio.h>: printf (its format and arguments checked by csock._printf), perror, getchar, fflush."""
from .._checks import CDATA_TYPES, CHAR_POINTERS, NULL, CData, Bounded, c_string, describe, ffi, named_call, typeof
from .._csock import lib
from .._csock_nonblocking import lib as _lib
from .._printf import _checked_string, converters

_c_printf = _lib.printf
# printf's fixed-argument helpers of the binding (libc's printf, without libffi's variadic call), by argument type.
_FIXED_PRINTF = {c_arg: getattr(lib, name) for c_arg, name in (("void *", "csock_printf_p"), ("int", "csock_printf_i"))
                 if hasattr(lib, name)}
_printf_p = _FIXED_PRINTF.get("void *")
_FILE_P = typeof("FILE *")


def _fixed_printf(convs):
    """The binding's printf of one fixed argument that serves these converters, or None (the variadic call)."""
    if not convs:  # no argument: the pointer helper, given NULL, which the format never reads
        return _printf_p
    if len(convs) == 1:
        return _FIXED_PRINTF.get(getattr(convs[0], "c_arg", None))
    return None


# Bytes formats already parsed, and what their parse gave: bounded (64 formats of up to 1 KiB, then forgotten at
# once); a format is an immutable bytes the program usually writes as a literal, and C gets that very object.
_formats = Bounded(64)
_one_string_formats = Bounded(64)  # those of them that take exactly one %s, served by csock_printf_p
_CACHED_FORMAT_BYTES = 1024


def _parse(format):
    """(the bytes C gets, their converters, the fixed-argument printf or None, whether it is exactly one %s)."""
    fmt = c_string(format, "printf", "format")  # bytes as they are (immutable); a char array or pointer, copied
    if type(fmt) is not bytes:
        fmt = ffi.string(fmt)
    convs = converters(fmt)
    fixed = _fixed_printf(convs)
    parsed = (fmt, convs, fixed, fixed is _printf_p and convs == (_checked_string,))
    if type(format) is bytes and len(format) <= _CACHED_FORMAT_BYTES:
        _formats.remember(format, parsed)
        if parsed[3]:
            _one_string_formats.remember(format, True)
    return parsed


def printf(format, *args):
    """int printf(const char *format, ...);  each argument is checked against its conversion."""
    if (type(format) is bytes and format in _one_string_formats and len(args) == 1 and type(args[0]) in CDATA_TYPES
            and typeof(args[0]) in CHAR_POINTERS):  # "...%s..." given a char * from C (inet_ntoa): as is
        return _printf_p(format, args[0])  # what the general path below passes, in fewer steps
    parsed = _formats.get(format) if type(format) is bytes else None
    fmt, convs, fixed, one_string = parsed if parsed is not None else _parse(format)
    if len(args) != len(convs):
        raise TypeError(f"printf: the format takes {len(convs)} argument(s), {len(args)} given")
    if one_string and type(args[0]) in CDATA_TYPES and typeof(args[0]) in CHAR_POINTERS:
        return _printf_p(fmt, args[0])  # "...%s..." given a char * from C (inet_ntoa): as is
    if fixed is not None:  # the book's printf calls: one argument or none, no libffi
        if not args:
            return fixed(fmt, NULL)
        return fixed(fmt, convs[0](args[0], 2))
    c_args = []  # a loop, not a comprehension: one frame less per call
    i = 2
    for conv, arg in zip(convs, args):
        c_args.append(conv(arg, i))
        i += 1
    return _c_printf(fmt, *c_args)


def perror(s):
    """void perror(const char *s);"""
    _lib.perror(c_string(s, "perror", "s", null_ok=True))


def getchar():
    """int getchar(void);"""
    return _lib.getchar()


def fflush(stream):
    """int fflush(FILE *stream);  stream: stdin, stdout, stderr or NULL (every output stream)."""
    # cffi 1.x turns any char * into a FILE * with a mere warning (fflush(ffi.new("char[8]")) then crashes): only
    # a FILE * (or NULL) passes, on every cffi version.
    if not (type(stream) in CDATA_TYPES or isinstance(stream, CData)) or (
            typeof(stream) is not _FILE_P and stream != NULL):
        raise TypeError(f"fflush: stream must be a FILE * (stdin, stdout, stderr) or NULL, not {describe(stream)}")
    return named_call(_lib.fflush, "fflush", ("stream",), stream if typeof(stream) is _FILE_P else NULL)

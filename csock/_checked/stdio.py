"""<stdio.h>: printf and fprintf (their format and arguments checked by csock._printf), perror, getchar, fflush."""
from .._checks import CALL_ERRORS, CDATA_TYPES, NULL, CData, c_string, describe, named_call, typeof
from .._csock_nonblocking import lib as _lib
from .._printf import c_arguments, checked_format
from .._printf import printf  # the format parsed by the C runtime's own grammar, each argument checked there

_FILE_P = typeof("FILE *")


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


_STREAMS = tuple(getattr(_lib, name) for name in ("stdout", "stderr") if hasattr(_lib, name))


def fprintf(stream, format, *args):
    """int fprintf(FILE *stream, const char *format, ...);  stream: stdout or stderr; checked as printf's."""
    if not (type(stream) in CDATA_TYPES or isinstance(stream, CData)) or stream not in _STREAMS:
        raise TypeError(f"fprintf: stream must be stdout or stderr, not {describe(stream)}")
    try:
        fmt, convs, _ = checked_format(format, len(args))
        c_args = c_arguments(convs, args, 3)
    except CALL_ERRORS as refused:  # csock._printf names printf: this is fprintf (anything else goes on as it is)
        message = str(refused)
        if not message.startswith("printf:"):
            raise
        raise type(refused)("f" + message) from None
    return _lib.fprintf(stream, fmt, *c_args)

"""<stdio.h>: printf (its format and arguments checked by csock._printf), perror, getchar, fflush."""
from .._checks import CDATA_TYPES, NULL, CData, c_string, describe, named_call, typeof
from .._csock_nonblocking import lib as _lib
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

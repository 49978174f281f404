"""<stdlib.h>: atoi, exit."""
from .._checks import c_string, integer, named_call
from .._csock_nonblocking import lib as _lib


def atoi(nptr):
    """int atoi(const char *nptr);"""
    return _lib.atoi(c_string(nptr, "atoi", "nptr"))


def exit(status):
    """void exit(int status);"""
    named_call(_lib.exit, "exit", ("status",), integer(status, "exit", "status"))

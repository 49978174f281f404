"""<fcntl.h>: fcntl with the commands that take an int."""
from .._checks import ffi, integer, named_call
from .._csock import lib
from .._csock_nonblocking import lib as _lib

_INT_ARG_COMMANDS = {getattr(lib, n) for n in ("F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL") if hasattr(lib, n)}


def fcntl(fd, cmd, arg=0):
    """int fcntl(int fd, int cmd, ... /* int arg */);  only the commands that take an int."""
    fd, cmd = integer(fd, "fcntl", "fd"), integer(cmd, "fcntl", "cmd")
    if cmd not in _INT_ARG_COMMANDS:
        raise ValueError(f"fcntl: cmd {cmd} is not one of F_GETFD, F_SETFD, F_GETFL, F_SETFL")
    if isinstance(arg, bool) or not isinstance(arg, int):
        raise TypeError(f"fcntl: arg must be an int, not {type(arg).__name__}")
    arg = integer(arg, "fcntl", "arg")
    if not -(1 << 31) <= arg < (1 << 31):
        raise OverflowError(f"fcntl: arg ({arg}) does not fit 'int'")
    return named_call(_lib.fcntl, "fcntl", ("fd", "cmd"), fd, cmd, ffi.cast("int", arg))

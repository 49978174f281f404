"""<signal.h>: signal with SIG_DFL or SIG_IGN, and the handlers as `void *` (never callable)."""
from .._checks import CData, ffi, integer, named_call
from .._csock import lib
from .._csock_nonblocking import lib as _lib

# The handlers as 'void *': a function pointer cdata is callable from Python, and calling SIG_IGN (address 1)
# or SIG_ERR (-1) jumps there and kills the interpreter. signal() compares them by address.
SIG_DFL = ffi.cast("void *", lib.SIG_DFL)
SIG_IGN = ffi.cast("void *", lib.SIG_IGN)
SIG_ERR = ffi.cast("void *", lib.SIG_ERR)


def signal(signum, handler):
    """sighandler_t signal(int signum, sighandler_t handler);  handler: SIG_DFL or SIG_IGN only."""
    signum = integer(signum, "signal", "signum")
    if not isinstance(handler, CData) or handler not in (lib.SIG_DFL, lib.SIG_IGN):
        raise TypeError("signal: handler must be SIG_DFL or SIG_IGN (a Python handler cannot run in a C signal handler)")
    old = named_call(_lib.signal, "signal", ("signum", "handler"), signum,
                     lib.SIG_DFL if handler == lib.SIG_DFL else lib.SIG_IGN)
    return ffi.cast("void *", old)  # the previous handler, never callable: calling SIG_IGN would crash

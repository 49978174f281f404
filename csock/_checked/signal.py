"""<signal.h>: signal with SIG_DFL, SIG_IGN or a Python callable, and the handlers as `void *` (never callable)."""
import signal as _signal_module

from .._checks import CData, ffi, integer, named_call
from .._csock import lib
from .._csock_nonblocking import lib as _lib

# The handlers as 'void *': a function pointer cdata is callable from Python, and calling SIG_IGN (address 1)
# or SIG_ERR (-1) jumps there and kills the interpreter. signal() compares them by address.
SIG_DFL = ffi.cast("void *", lib.SIG_DFL)
SIG_IGN = ffi.cast("void *", lib.SIG_IGN)
SIG_ERR = ffi.cast("void *", lib.SIG_ERR)

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_python_handlers: dict = {}  # signum -> the Python callable installed through signal(): what a later signal() returns
_UNCATCHABLE = {getattr(_signal_module, n) for n in ("SIGKILL", "SIGSTOP") if hasattr(_signal_module, n)}


def signal(signum, handler):
    """sighandler_t signal(int signum, sighandler_t handler);  handler: SIG_DFL, SIG_IGN or a Python callable.

    SIG_DFL and SIG_IGN go to libc's signal() (C's very syscall). A Python handler(signum) cannot run inside a C
    signal handler: it is installed with Python's signal module, whose C handler only records the signal; the handler
    then runs in the main thread between two Python steps. The call the signal interrupted returns -1 EINTR (no
    SA_RESTART, or the handler would wait for the call to end by itself); errno is kept as that call left it, whatever
    the handler calls. Main thread only. Returns the previous handler (a Python one, or a `void *`).
    """
    signum = integer(signum, "signal", "signum")
    if isinstance(handler, CData):
        if handler not in (lib.SIG_DFL, lib.SIG_IGN):
            raise TypeError("signal: handler must be SIG_DFL, SIG_IGN or a Python callable")
        old = named_call(_lib.signal, "signal", ("signum", "handler"), signum,
                         lib.SIG_DFL if handler == lib.SIG_DFL else lib.SIG_IGN)
        if old == lib.SIG_ERR:
            return SIG_ERR
        before = _python_handlers.pop(signum, None)
        return before if before is not None else ffi.cast("void *", old)  # never callable: calling SIG_IGN crashes
    if not callable(handler):
        raise TypeError(f"signal: handler must be SIG_DFL, SIG_IGN or a Python callable, not {type(handler).__name__}")
    if not _INT_MIN <= signum <= _INT_MAX:  # what the C path's cffi conversion refuses
        raise OverflowError(f"signal: signum ({signum}) does not fit 'int'")

    def run(received, _frame):
        saved = ffi.errno  # it runs right after the interrupted call, before the caller reads errno: keep it
        try:
            handler(received)
        finally:
            ffi.errno = saved

    if signum in _UNCATCHABLE:  # C's signal() fails with EINVAL; PyPy's signal module would not say so
        ffi.errno = lib.EINVAL
        return SIG_ERR
    try:
        _signal_module.signal(signum, run)
    except OSError as refused:  # SIGKILL, SIGSTOP: EINVAL, as C's signal() says
        ffi.errno = refused.errno
        return SIG_ERR
    except ValueError as refused:
        if "main thread" in str(refused):
            raise ValueError(f"signal: {refused}") from None
        ffi.errno = lib.EINVAL  # a number that is no signal
        return SIG_ERR
    before = _python_handlers.get(signum)
    _python_handlers[signum] = handler
    return before if before is not None else SIG_DFL

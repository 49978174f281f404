"""The checked calls of the family programs (issue 14): fork, waitpid, signal with a handler, fprintf,
unlink, strncpy, strcmp and the iphdr field reader. Each keeps the C name, argument order and return value.

csock._checked imports every name of __all__ after its own, so a function here replaces the raw call of
the same name (or, for signal, the SIG_DFL/SIG_IGN-only one). fork is not declared to cffi at all: a raw
fork() would skip the interpreter's own before/after-fork bookkeeping.
"""
import os as _os
import signal as _signal_module

from ._checks import c_string, span, too_big, with_named_errors
from ._csock import ffi, lib
from ._csock_nonblocking import lib as _lib
from ._printf import converters

_NULL = ffi.NULL
_CData = ffi.CData
_typeof = ffi.typeof

__all__ = []


def _export(func):
    """func exported where this platform has it, a cffi conversion error naming its argument."""
    if hasattr(lib, func.__name__) or func.__name__ == "fork" and hasattr(_os, "fork"):
        __all__.append(func.__name__)
    code = func.__code__
    if code.co_flags & 0x04:  # *args (fprintf): the function names each argument itself
        return func
    params = code.co_varnames[:code.co_argcount]
    return with_named_errors(func, func.__name__, params)


# --- unistd.h: fork, unlink ----------------------------------------------------------------------

@_export
def fork():
    """pid_t fork(void);  the child's pid in the parent, 0 in the child, -1 and errno on failure.

    Made by os.fork(): it calls glibc's fork() (the same clone syscall as C's) between the interpreter's
    before-fork and after-fork hooks (locks, threads, os.register_at_fork callbacks; CPython and PyPy), so
    both processes stay consistent. libc's stdio buffers are copied as C's are.
    """
    try:
        return _os.fork()
    except OSError as failed:  # C returns -1 and leaves errno: so does this
        ffi.errno = failed.errno
        return -1


@_export
def unlink(pathname):
    """int unlink(const char *pathname);"""
    return _lib.unlink(c_string(pathname, "unlink", "pathname"))


# --- sys/wait.h ----------------------------------------------------------------------------------

@_export
def waitpid(pid, wstatus, options):
    """pid_t waitpid(pid_t pid, int *wstatus, int options);  wstatus: ffi.new("int *") or ffi.NULL."""
    c, size = span(wstatus, "waitpid", "wstatus", True)
    if c != _NULL and size < ffi.sizeof("int"):
        raise too_big("waitpid", "sizeof(int)", ffi.sizeof("int"), "wstatus", size)
    if c != _NULL and _typeof(c).item.cname != "int":
        raise TypeError(f"waitpid: wstatus must be 'int *', not '{_typeof(c).cname}'")
    return _lib.waitpid(pid, c, options)


# --- signal.h ------------------------------------------------------------------------------------

_python_handlers = {}  # signum -> the Python handler installed through signal()
_UNCATCHABLE = {getattr(_signal_module, n) for n in ("SIGKILL", "SIGSTOP") if hasattr(_signal_module, n)}
_SIG_DFL, _SIG_IGN, _SIG_ERR = (ffi.cast("void *", getattr(lib, n)) for n in ("SIG_DFL", "SIG_IGN", "SIG_ERR"))


def _previous(signum, before):
    """What C's signal() returns: the handler installed before (a Python one, or SIG_DFL / SIG_IGN)."""
    if before is not None:
        return before
    return _SIG_DFL


@_export
def signal(signum, handler):
    """sighandler_t signal(int signum, sighandler_t handler);  handler: SIG_DFL, SIG_IGN or a Python callable.

    SIG_DFL and SIG_IGN go to libc's signal() (C's very syscall). A Python handler(signum) cannot run inside a
    C signal handler: it is installed with Python's signal module, whose C handler only records the signal;
    the handler then runs in the main thread between two Python steps. The call the signal interrupted
    returns -1 EINTR (no SA_RESTART, or the handler would wait for the call to end by itself); errno is kept
    as that call left it, whatever the handler calls. Main thread only.
    """
    if isinstance(handler, _CData):
        if handler not in (lib.SIG_DFL, lib.SIG_IGN):
            raise TypeError("signal: handler must be SIG_DFL, SIG_IGN or a Python callable")
        before = _python_handlers.pop(signum, None)
        old = _lib.signal(signum, lib.SIG_DFL if handler == lib.SIG_DFL else lib.SIG_IGN)
        if old == lib.SIG_ERR:
            return _SIG_ERR
        return before if before is not None else ffi.cast("void *", old)
    if not callable(handler):
        raise TypeError(f"signal: handler must be SIG_DFL, SIG_IGN or a Python callable, not {type(handler).__name__}")
    def run(received, _frame):
        saved = ffi.errno  # it runs right after the interrupted call, before the caller reads errno: keep it
        try:
            handler(received)
        finally:
            ffi.errno = saved

    if signum in _UNCATCHABLE:  # C's signal() fails with EINVAL; PyPy's signal module would not say so
        ffi.errno = lib.EINVAL
        return _SIG_ERR
    try:
        _signal_module.signal(signum, run)
    except OSError as refused:  # SIGKILL, SIGSTOP: EINVAL, as C's signal() says
        ffi.errno = refused.errno
        return _SIG_ERR
    except ValueError as refused:
        if "main thread" in str(refused):
            raise ValueError(f"signal: {refused}") from None
        ffi.errno = lib.EINVAL  # a number that is no signal
        return _SIG_ERR
    before = _python_handlers.get(signum)
    _python_handlers[signum] = handler
    return _previous(signum, before)


# --- stdio.h: fprintf ----------------------------------------------------------------------------

_STREAMS = tuple(getattr(lib, n) for n in ("stdout", "stderr") if hasattr(lib, n))


@_export
def fprintf(stream, format, *args):
    """int fprintf(FILE *stream, const char *format, ...);  stream: stdout or stderr; arguments checked."""
    if not isinstance(stream, _CData) or stream not in _STREAMS:
        raise TypeError("fprintf: stream must be stdout or stderr")
    fmt = c_string(format, "fprintf", "format")
    try:  # the converters say "printf: format: ..." / "printf: argument N ...": renamed to fprintf
        convs = converters(fmt if isinstance(fmt, bytes) else bytes(ffi.string(fmt)))
        if len(args) != len(convs):
            raise TypeError(f"printf: the format takes {len(convs)} argument(s), {len(args)} given")
        c_args = [conv(arg, index) for index, (conv, arg) in enumerate(zip(convs, args), 3)]
    except (TypeError, OverflowError, ValueError) as refused:
        raise type(refused)("f" + str(refused)) from None
    return _lib.fprintf(stream, fmt, *c_args)


# --- string.h: strncpy ---------------------------------------------------------------------------

@_export
def strncpy(dest, src, n):
    """char *strncpy(char *dest, const char *src, size_t n);"""
    c, size = span(dest, "strncpy", "dest", True)
    if n > size:
        raise too_big("strncpy", "n", n, "dest", size)
    return _lib.strncpy(c, c_string(src, "strncpy", "src"), n)


@_export
def strcmp(s1, s2):
    """int strcmp(const char *s1, const char *s2);"""
    return _lib.strcmp(c_string(s1, "strcmp", "s1"), c_string(s2, "strcmp", "s2"))


# --- netinet/ip.h: the iphdr bit-fields ------------------------------------------------------------

_IPHDR_P = _typeof("struct iphdr *")


@_export
def csock_iphdr_ihl(ip):
    """ip->ihl (a 4-bit field cffi cannot declare portably): the header length in 32-bit words."""
    if not isinstance(ip, _CData) or _typeof(ip) is not _IPHDR_P or ip == _NULL:
        raise TypeError("csock_iphdr_ihl: ip must be a non-NULL 'struct iphdr *'")
    return _lib.csock_iphdr_ihl(ip)


# --- the raw calls of the family: called unchanged, a cffi conversion error names its argument -------------

for _name, _params in (("usleep", "usec"), ("getpid", ""), ("WIFEXITED", "wstatus"), ("WEXITSTATUS", "wstatus"),
                       ("WIFSIGNALED", "wstatus"), ("WTERMSIG", "wstatus")):
    if hasattr(lib, _name):
        globals()[_name] = with_named_errors(getattr(_lib, _name), _name, _params.split())
        __all__.append(_name)
del _name, _params

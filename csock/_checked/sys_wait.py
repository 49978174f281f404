"""<sys/wait.h>: waitpid, and the W* status macros (cffi calls them as functions)."""
from .._checks import integer, named_call, struct_pointer, typeof
from .._csock_nonblocking import lib as _lib

_INT = typeof("int")


def waitpid(pid, wstatus, options):
    """pid_t waitpid(pid_t pid, int *wstatus, int options);  wstatus: an 'int *' (or int[] of one at least), or NULL."""
    pid, options = integer(pid, "waitpid", "pid"), integer(options, "waitpid", "options")
    c = struct_pointer(wstatus, _INT, "waitpid", "wstatus", True, True)  # C writes one int there
    return named_call(_lib.waitpid, "waitpid", ("pid", "wstatus", "options"), pid, c, options)


def WIFEXITED(wstatus):
    """int WIFEXITED(int wstatus);"""
    return named_call(_lib.WIFEXITED, "WIFEXITED", ("wstatus",), integer(wstatus, "WIFEXITED", "wstatus"))


def WEXITSTATUS(wstatus):
    """int WEXITSTATUS(int wstatus);"""
    return named_call(_lib.WEXITSTATUS, "WEXITSTATUS", ("wstatus",), integer(wstatus, "WEXITSTATUS", "wstatus"))


def WIFSIGNALED(wstatus):
    """int WIFSIGNALED(int wstatus);"""
    return named_call(_lib.WIFSIGNALED, "WIFSIGNALED", ("wstatus",), integer(wstatus, "WIFSIGNALED", "wstatus"))


def WTERMSIG(wstatus):
    """int WTERMSIG(int wstatus);"""
    return named_call(_lib.WTERMSIG, "WTERMSIG", ("wstatus",), integer(wstatus, "WTERMSIG", "wstatus"))

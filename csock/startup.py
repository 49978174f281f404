"""What a port's `__main__` block calls first, so the program starts with the signal dispositions its C would.

Not a C name: import it from here (`from csock import *` never brings it).
"""
import signal


def restore_c_signals() -> None:
    """Undo what Python's startup did to the signal dispositions the program inherited, as far as it can be known.

    A C program keeps what exec() left: an ignored SIGINT (nohup, `trap '' INT`, a background job of a
    non-interactive shell) stays ignored. CPython catches SIGINT only when it was SIG_DFL, so its
    default_int_handler means "SIG_DFL before"; anything else is inherited and stays (PyPy installs the handler
    even over SIG_IGN: csrc/ERRATA.md, F3). CPython and PyPy ignore SIGPIPE and SIGXFSZ whatever came before, so
    the inherited value is lost: SIG_DFL, what a program almost always starts with, is the guess.
    """
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    for name in ("SIGPIPE", "SIGXFSZ"):  # neither exists on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)

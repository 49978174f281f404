"""Adversarial values for tests/test_hostile_input.py: the objects (built in the worker, tests/hostile_worker.py) and
the hypothesis strategies that put them into otherwise valid calls of every exported function.

- integers that lie: an int subclass whose comparisons lie, an __index__ that answers differently each time it is
  asked, an __index__ that changes another argument of the same call (raises *addrlen, claims AF_INET6 in a
  16-byte struct sockaddr, empties a bytearray) when csock converts it;
- read-only memory of every kind where C writes (ffi.from_buffer of bytes / of a read-only memoryview / of a read-only
  mmap, a read-only mmap itself, ffi.gc around a from_buffer of bytes): refused, and never changed;
- zero-length and one-short arrays of every struct type csock passes to C.
"""
from hypothesis import strategies as st

HUGE = 1 << 20


class LyingInt(int):
    """An int whose comparisons say it is small (and equal to anything): a check made by comparing it passes."""

    def __lt__(self, other):
        return True

    def __le__(self, other):
        return True

    def __gt__(self, other):
        return False

    def __ge__(self, other):
        return False

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class ShiftingIndex:
    """__index__ gives `value` the first time, then HUGE: a check that converts again before the call is fooled."""

    def __init__(self, value):
        self.value = value
        self.asked = 0

    def __index__(self):
        self.asked += 1
        return self.value if self.asked == 1 else HUGE


class MutatingIndex:
    """__index__ gives `value` and, each time it is asked, changes every other argument of the call it can."""

    def __init__(self, value):
        self.value = value
        self.args = []  # filled by the worker with the call's arguments

    def __index__(self):
        from csock import ffi, lib
        for arg in self.args:
            if arg is self:
                continue
            try:
                if isinstance(arg, bytearray):
                    del arg[:]  # refused (BufferError) while viewed; else the buffer is now empty
                elif isinstance(arg, ffi.CData):
                    ct = ffi.typeof(arg)
                    if ct.kind == "pointer" and ct.item.cname in ("uint32_t", "int", "unsigned int") and arg:
                        arg[0] = HUGE  # *addrlen / *optlen
                    elif ct.cname == "struct sockaddr *" and arg:
                        arg.sa_family = lib.AF_INET6  # a 16-byte struct sockaddr now claims 28 bytes
            except (BufferError, TypeError, OverflowError, ValueError):
                pass
        return self.value


def adversarial_integer(value):
    """(spec tag, value) of an integer argument that is one of the liars above, worth `value`."""
    return st.sampled_from(["lying_int", "shifting_index", "mutating_index"]).map(lambda kind: ("liar", kind, value))


def build_liar(kind, value):
    return {"lying_int": LyingInt, "shifting_index": ShiftingIndex, "mutating_index": MutatingIndex}[kind](value)


# Read-only memory where C writes: the worker's buffer kinds (tests/hostile_worker.py) that must be refused.
READ_ONLY_KINDS = ["frombuf_bytes", "frombuf_ro_memoryview", "ro_mmap", "frombuf_ro_mmap", "gc_frombuf_bytes",
                   "bytes", "readonly_memoryview"]


def read_only_buffer(size=16):
    return st.sampled_from(READ_ONLY_KINDS).map(lambda k: ("buf", k, size, b"x"))


# (function, argument specs, the argument that is too short): an empty or one-short array of each struct type
# csock passes to C; each must be refused before C runs (ValueError or TypeError naming that argument).
SHORT_ARRAYS = [
    ("select", [("v", 0), ("null", None), ("null", None), ("null", None), ("new", "struct timeval[0]")], "timeout"),
    ("select", [("v", 1), ("new", "fd_set[0]"), ("null", None), ("null", None), ("null", None)], "readfds"),
    ("FD_ZERO", [("new", "fd_set[0]")], "set"),
    ("FD_SET", [("v", 1), ("new", "fd_set[0]")], "set"),
    ("accept", [("fd", "listener"), ("new", "struct sockaddr_in *"), ("new", "socklen_t[0]")], "addrlen"),
    ("accept", [("fd", "listener"), ("new", "struct sockaddr_in[0]"), ("length", "socklen_t", 16)], "addr"),
    ("accept", [("fd", "listener"), ("new", "char[15]"), ("length", "socklen_t", 16)], "addr"),
    ("getsockname", [("fd", "udp"), ("new", "struct sockaddr_in[0]"), ("length", "socklen_t", 16)], "addr"),
    ("getsockname", [("fd", "udp"), ("new", "struct sockaddr_in *"), ("new", "socklen_t[0]")], "addrlen"),
    ("getpeername", [("fd", "pair"), ("new", "struct sockaddr_storage[0]"), ("length", "socklen_t", 1)], "addr"),
    ("recvfrom", [("fd", "udp"), ("buf", "array", 8, b""), ("v", 8), ("v", 0), ("new", "struct sockaddr_in6[0]"),
                  ("length", "socklen_t", 28)], "src_addr"),
    ("recvfrom", [("fd", "udp"), ("buf", "array", 8, b""), ("v", 8), ("v", 0), ("new", "struct sockaddr_in6 *"),
                  ("new", "socklen_t[0]")], "addrlen"),
    ("bind", [("fd", "udp"), ("new", "struct sockaddr_in[0]"), ("v", 16)], "addr"),
    ("bind", [("fd", "udp"), ("new", "char[15]"), ("v", 16)], "addrlen"),
    ("connect", [("fd", "udp6"), ("new", "struct sockaddr_in6[0]"), ("v", 28)], "addr"),
    ("sendto", [("fd", "udp"), ("buf", "array", 1, b"x"), ("v", 1), ("v", 0), ("new", "struct sockaddr_in[0]"),
                ("v", 16)], "addrlen"),
    ("getnameinfo", [("new", "struct sockaddr_in[0]"), ("v", 16), ("new", "char[64]"), ("v", 64), ("null", None),
                     ("v", 0), ("v", 1)], "addrlen"),
    ("getsockopt", [("fd", "udp"), ("v", 1), ("v", 3), ("new", "int[0]"), ("length", "socklen_t", 4)], "optlen"),
    ("getsockopt", [("fd", "udp"), ("v", 1), ("v", 3), ("new", "int *"), ("new", "socklen_t[0]")], "optlen"),
    ("setsockopt", [("fd", "tcp"), ("lib", "SOL_SOCKET"), ("lib", "SO_LINGER"), ("new", "struct linger[0]"),
                    ("v", 8)], "optlen"),
    ("setsockopt", [("fd", "tcp"), ("lib", "SOL_SOCKET"), ("lib", "SO_LINGER"), ("new", "int[1]"), ("v", 8)],
     "optlen"),
    ("getaddrinfo", [("v", b"127.0.0.1"), ("null", None), ("new", "struct addrinfo[0]"),
                     ("new", "struct addrinfo **")], "hints"),
    ("getaddrinfo", [("v", b"127.0.0.1"), ("null", None), ("null", None), ("new", "struct addrinfo *[0]")], "res"),
    ("poll", [("new", "struct pollfd[]", 1), ("v", 2), ("v", 0)], "nfds"),
    ("poll", [("new", "struct pollfd[0]"), ("v", 1), ("v", 0)], "nfds"),
    ("epoll_ctl", [("fd", "epoll"), ("lib", "EPOLL_CTL_ADD"), ("fd", "pair"), ("new", "struct epoll_event[0]")],
     "event"),
    ("epoll_wait", [("fd", "epoll"), ("new", "struct epoll_event[]", 1), ("v", 2), ("v", 0)], "maxevents"),
    ("inet_aton", [("v", b"1.2.3.4"), ("new", "struct in_addr[0]")], "inp"),
    ("inet_pton", [("lib", "AF_INET6"), ("v", b"::1"), ("new", "char[15]")], "dst"),
    ("inet_ntop", [("lib", "AF_INET6"), ("new", "char[15]"), ("new", "char[64]"), ("v", 64)], "src"),
    ("inet_ntop", [("lib", "AF_INET"), ("new", "struct in_addr *"), ("new", "char[15]"), ("v", 16)], "size"),
    ("socketpair", [("lib", "AF_UNIX"), ("lib", "SOCK_STREAM"), ("v", 0), ("new", "int[1]")], "sv"),
    ("gethostbyaddr", [("new", "char[3]"), ("v", 4), ("lib", "AF_INET")], "len"),
    ("read", [("fd", "devnull"), ("new", "char[0]"), ("v", 1)], "count"),
    ("memset", [("new", "char[0]"), ("v", 0), ("v", 1)], "n"),
]

# (function, argument specs with "{}" for the destination, the destination's name): calls where C writes.
WRITTEN_DESTINATIONS = [
    ("read", [("fd", "pair_with_data"), "{}", ("v", 1)], "buf"),
    ("recv", [("fd", "pair_with_data"), "{}", ("v", 1), ("v", 0)], "buf"),
    ("recvfrom", [("fd", "pair_with_data"), "{}", ("v", 1), ("v", 0), ("null", None), ("null", None)], "buf"),
    ("memset", ["{}", ("v", 0), ("v", 1)], "s"),
    ("bzero", ["{}", ("v", 1)], "s"),
    ("inet_pton", [("lib", "AF_INET"), ("v", b"1.2.3.4"), "{}"], "dst"),
    ("inet_ntop", [("lib", "AF_INET"), ("new", "struct in_addr *"), "{}", ("v", 16)], "dst"),
    ("getsockopt", [("fd", "udp"), ("lib", "SOL_SOCKET"), ("lib", "SO_TYPE"), "{}", ("length", "socklen_t", 4)],
     "optval"),
    ("getnameinfo", [("addr", "in", 7, "struct sockaddr_in *", b""), ("v", 16), "{}", ("v", 16), ("null", None),
                     ("v", 0), ("lib", "NI_NUMERICHOST")], "host"),
    ("inet_aton", [("v", b"1.2.3.4"), "{}"], "inp"),
]

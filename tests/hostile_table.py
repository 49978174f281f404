"""For every function csock exports: its parameters, and hypothesis strategies of valid and hostile arguments.

A function is a list of groups; a group is one parameter, or parameters that only make sense together
(a buffer and its count). A valid group is what a correct C program passes; a hostile group is a wrong
type, an out-of-range integer, a count larger than its buffer, NULL, bytes with a NUL inside, an
over-long host name, a malformed address. Arguments are specs that tests/hostile_worker.py builds.

Nothing here can reach beyond loopback: addresses are 127.0.0.1 / ::1 / a path in the worker's
directory / a family that is not AF_INET, AF_INET6 or AF_UNIX; names are numeric, `localhost`, or
can never become a DNS query (a label longer than 63 bytes, or a NUL, which csock rejects before C).
"""
from dataclasses import dataclass, field
from typing import Optional

from hypothesis import strategies as st

from csock import lib
from hostile_values import READ_ONLY_KINDS


class _Constants:
    """lib's constants, 0 for one this platform lacks (on Windows: SOCK_NONBLOCK, EPOLL*...), so that
    the table builds everywhere; only entries of functions the platform lacks depend on those."""

    def __getattr__(self, name):
        return getattr(lib, name, 0)


C = _Constants()

# --- integers and wrong types -------------------------------------------------------------------

WINDOWS = hasattr(lib, "WSAStartup")
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
OUT_OF_INT = [INT_MAX + 1, INT_MIN - 1, 1 << 63, 1 << 64, -(1 << 64)]
EDGE_INTS = [-1, 0, 1, INT_MAX, INT_MIN, 255, 256, 65535, 65536, 1 << 32]

WRONG_TYPES = st.sampled_from([
    ("v", "12"), ("v", "x" * 300), ("v", None), ("v", 1.5), ("v", float("nan")), ("v", b"7"),
    ("v", []), ("v", {}), ("v", 1j), ("v", (1, 2)), ("null", None), ("new", "int *", 3),
])
HOSTILE_INT = st.one_of(WRONG_TYPES, st.sampled_from(OUT_OF_INT + EDGE_INTS).map(lambda v: ("v", v)),
                        st.integers(-(1 << 80), 1 << 80).map(lambda v: ("v", v)),
                        st.just(("cast", "long", 7)), st.just(("cast", "double", 2.0)))


def ints(*values):
    return st.sampled_from(values).map(lambda v: ("v", v))


SMALL_INT = st.integers(-4, 4).map(lambda v: ("v", v))

# --- descriptors --------------------------------------------------------------------------------

SOCKET_FDS = ["tcp", "udp", "udp6", "listener", "pair"]
BAD_FDS_IN_RANGE = [-1, INT_MIN, INT_MAX, ("fd", "closed")]  # EBADF from the kernel


def descriptor(kinds=SOCKET_FDS + ["devnull", "epoll"]):
    return st.sampled_from(kinds).map(lambda k: ("fd", k))


def bad_descriptor():
    return st.one_of(
        st.sampled_from(BAD_FDS_IN_RANGE).map(lambda v: v if isinstance(v, tuple) else ("v", v)),
        st.sampled_from(OUT_OF_INT).map(lambda v: ("v", v)), WRONG_TYPES)


def is_bad_fd(spec):
    """True for a descriptor spec that fits an int and is no descriptor: the kernel must answer EBADF."""
    if spec == ("fd", "closed"):
        return True
    return spec[0] == "v" and type(spec[1]) is int and INT_MIN <= spec[1] <= INT_MAX


# --- buffers and counts -------------------------------------------------------------------------

WRITABLE_KINDS = ["array", "uarray", "slice", "bytearray", "memoryview"]
# C may read read-only memory, never write it (ffi.gc of a from_buffer keeps no length: it is hostile only)
READABLE_KINDS = WRITABLE_KINDS + [k for k in READ_ONLY_KINDS if k != "gc_frombuf_bytes"]
POINTER_KINDS = ["char_ptr", "int_ptr", "void_ptr", "int_array"]
FILL = st.sampled_from([b"", b"a", b"\0", b"ab\0cd", b"\xff" * 3])


def buffer_and_count(writable):
    """A valid (buffer, count <= its size)."""
    kinds = WRITABLE_KINDS if writable else READABLE_KINDS
    return st.tuples(st.sampled_from(kinds), st.integers(0, 64), FILL).flatmap(
        lambda b: st.tuples(st.just(("buf",) + b), st.integers(0, b[1]).map(lambda n: ("v", n))))


def hostile_buffer_and_count(writable):
    """A count larger than its buffer, negative or huge; a buffer of the wrong kind, read-only or NULL."""
    kinds = READABLE_KINDS + ["gc_frombuf_bytes"] + POINTER_KINDS
    count = st.one_of(st.sampled_from([-1, INT_MAX, INT_MAX + 1, 1 << 63, 1 << 64, -(1 << 64)]).map(
        lambda v: ("v", v)), WRONG_TYPES)
    return st.one_of(
        st.tuples(st.sampled_from(kinds), st.integers(0, 64), FILL).flatmap(
            lambda b: st.tuples(st.just(("buf",) + b), st.one_of(
                st.integers(b[1] + 1, b[1] + 4096).map(lambda n: ("v", n)), count))),
        st.tuples(st.one_of(WRONG_TYPES, st.just(("null", None)), st.just(("null", "char *")),
                            st.just(("new", "struct sockaddr_in *")), st.just(("lib", "stdout")),
                            st.just(("v", "text")), st.just(("v", "x" * 100))),
                  st.one_of(st.integers(0, 8).map(lambda n: ("v", n)), count)))


def valid_buffer(writable, size=16):
    kinds = WRITABLE_KINDS if writable else READABLE_KINDS
    return st.sampled_from(kinds).map(lambda k: ("buf", k, size, b""))


def hostile_buffer():
    return st.one_of(WRONG_TYPES, st.sampled_from(READ_ONLY_KINDS + POINTER_KINDS).map(
        lambda k: ("buf", k, 2, b"")), st.just(("null", None)), st.just(("v", "str")))


# --- C strings ----------------------------------------------------------------------------------

def no_dns_name():
    """A host name that cannot become a DNS query: one label longer than 63 bytes (> 255, > 64 KiB too)."""
    alphabet = st.sampled_from([b"a", b"Z", b"7", b"-", b"!", b"*", b"~", b"\xff", b"\x01", b" "])
    return st.tuples(alphabet, st.sampled_from([64, 200, 256, 300, 1024, 65537, 70000])).map(
        lambda t: ("string", t[0], t[1]))


def embedded_nul():
    return st.sampled_from([b"127.0.0.1\0evil", b"\0", b"a\0b", b"localhost\0" + b"x" * 300,
                            b"\0" * 64]).map(lambda b: ("v", b))


def hostile_c_string():
    """str for char *, bytes with a NUL inside, a char array with no NUL, NULL, non-char cdata."""
    return st.one_of(
        st.text(max_size=20).map(lambda s: ("v", s)), embedded_nul(),
        st.just(("new", "char[4]", b"abcd")), st.just(("new", "int[4]")), st.just(("null", None)),
        st.just(("null", "char *")), st.just(("v", bytearray(b"ab"))), WRONG_TYPES)


def any_c_string():
    """Valid bytes of any content without NUL."""
    return st.binary(max_size=40).map(lambda b: ("v", b.replace(b"\0", b"")))


# --- addresses ----------------------------------------------------------------------------------

ADDRESS_TYPES = ["struct sockaddr *", "struct sockaddr_in *", "struct sockaddr_in6 *",
                 "struct sockaddr_storage *", "char[]"]
if hasattr(lib, "AF_UNIX"):
    ADDRESS_TYPES.append("struct sockaddr_un *")
SAFE_GARBAGE_FAMILIES = st.integers(0, 65535).filter(
    lambda f: f not in (C.AF_INET, C.AF_INET6, getattr(lib, "AF_UNIX", -1)))
ADDRESS_SIZE = {"in": 16, "in6": 28, "unix": 110}


def _valid_address_type(family, as_type):
    """The type a correct program passes: a cast `struct sockaddr *` counts only sizeof(struct sockaddr) (csock
    cannot tell what it was cast from), so an IPv6 or AF_UNIX address goes as its own struct or as storage."""
    if as_type == "struct sockaddr *" and family != "in":
        return "struct sockaddr_storage *"
    if as_type == "char[]" and family == "unix":
        return "struct sockaddr_un *"
    return as_type


def loopback_address(port=st.just(0)):
    """(address spec, its length): 127.0.0.1, ::1 or a path that nothing listens on."""
    return st.tuples(st.sampled_from(["in", "in6", "unix"]), port,
                     st.sampled_from(["struct sockaddr *", "struct sockaddr_storage *", "char[]"])).map(
        lambda t: (("addr", t[0], t[1], _valid_address_type(t[0], t[2]), b""), ("v", ADDRESS_SIZE[t[0]])))


def hostile_address(port=st.just(0)):
    """(address, length): lengths past the address, garbage families, the wrong pointer type, NULL."""
    length = st.one_of(st.integers(0, 300).map(lambda n: ("v", n)),
                       st.sampled_from([-1, INT_MAX, 1 << 32, 1 << 64]).map(lambda v: ("v", v)), WRONG_TYPES)
    good = st.tuples(st.sampled_from(["in", "in6"]), port, st.sampled_from(ADDRESS_TYPES))
    garbage = st.tuples(SAFE_GARBAGE_FAMILIES.map(lambda f: ("garbage", f)), st.just(0),
                        st.sampled_from(["struct sockaddr *", "char[]", "struct sockaddr_storage *"]),
                        st.binary(max_size=40))
    return st.one_of(
        st.tuples(good.map(lambda t: ("addr",) + t + (b"",)), length),
        st.tuples(garbage.map(lambda t: ("addr",) + t), length),
        st.tuples(st.one_of(WRONG_TYPES, st.just(("null", None)), st.just(("new", "struct in_addr *")),
                            st.just(("new", "int *")), st.just(("v", b"\x02\x00\x00\x00"))),
                  st.integers(0, 32).map(lambda n: ("v", n))))


def out_address(valid):
    """(addr, addrlen pointer) for accept / getsockname / recvfrom: C writes both."""
    if valid:
        return st.one_of(
            st.just((("null", None), ("null", None))),
            st.sampled_from(["struct sockaddr_in *", "struct sockaddr_in6 *", "struct sockaddr_storage *"]).map(
                lambda t: (("new", t), ("length", "socklen_t", {"struct sockaddr_in *": 16,
                                                                "struct sockaddr_in6 *": 28}.get(t, 128)))),
            st.just((("new", "char[]", 64), ("length", "socklen_t", 64))),
            st.just((("addr", "in", 0, "struct sockaddr *", b""), ("length", "socklen_t", 16))))
    return st.one_of(
        st.tuples(st.sampled_from(["struct sockaddr *", "char[]", "struct sockaddr_in *"]).map(
            lambda t: ("addr", "in", 0, t, b"")),
            st.one_of(st.integers(17, 1 << 20).map(lambda n: ("length", "socklen_t", n)),
                      st.just(("length", "int", 4)), st.just(("v", 16)), WRONG_TYPES,
                      st.just(("null", "socklen_t *")))),
        st.tuples(st.one_of(WRONG_TYPES, st.just(("new", "int *")), st.just(("v", bytearray(16)))),
                  st.just(("length", "socklen_t", 16))))


# --- the table ----------------------------------------------------------------------------------

@dataclass
class Group:
    names: tuple
    valid: object  # strategy of a tuple of specs, one per name
    hostile: object


@dataclass
class Function:
    groups: list
    fd: Optional[str] = None  # the descriptor parameter: a bad one must give -1/EBADF
    syscall: bool = True  # returns -1 and sets errno on failure
    blocking: bool = False  # may block as C does: the worker's watchdog interrupts it (EINTR)
    own_child: bool = False  # ends the process (exit): tested in a child of its own
    not_callable: bool = False  # an exported cdata that is not a function (SIG_DFL, stdout)
    ok_errnos: dict = field(default_factory=dict)

    @property
    def params(self):
        return [n for g in self.groups for n in g.names]


def P(name, valid, hostile=HOSTILE_INT):
    return Group((name,), valid.map(lambda s: (s,)), hostile.map(lambda s: (s,)))


def G(names, valid, hostile):
    return Group(tuple(names), valid, hostile)


FD = lambda name="sockfd", kinds=SOCKET_FDS: P(name, descriptor(kinds), bad_descriptor())  # noqa: E731
FLAGS = st.one_of(ints(0), st.sampled_from(["MSG_DONTWAIT", "MSG_PEEK", "MSG_NOSIGNAL"]).filter(
    lambda n: hasattr(lib, n)).map(lambda n: ("v", getattr(lib, n))))
NO_CALL = [Group((), st.just(()), st.just(()))]
FD_SET_VALID = st.lists(st.sampled_from(["pair", "udp", "devnull"]), max_size=3).map(lambda k: ("fd_set", k))
FD_SET_HOSTILE = st.one_of(WRONG_TYPES, st.just(("new", "int *")), st.just(("new", "fd_set[2]")),
                           st.just(("buf", "bytearray", 128, b"")), st.just(("v", "fd_set")))
SET_INDEX_VALID = st.integers(0, C.FD_SETSIZE - 1).map(lambda v: ("v", v))
SET_INDEX_HOSTILE = st.one_of(st.sampled_from([-1, C.FD_SETSIZE, C.FD_SETSIZE + 1, INT_MAX, INT_MIN]
                                              + OUT_OF_INT).map(lambda v: ("v", v)), WRONG_TYPES)
# -1 blocks as C does, until the worker's SIGALRM watchdog; Windows has none: finite timeouts only there.
TIMEOUT_MS = ints(0, 1, 5) if WINDOWS else st.one_of(ints(0, 1, 5), ints(-1))
EPOLL = P("epfd", descriptor(["epoll"]), bad_descriptor())
SIGNUMS = [n for n in ("SIGUSR1", "SIGUSR2", "SIGINT", "SIGPIPE", "SIGALRM", "SIGCHLD", "SIGTERM",
                       "SIGKILL", "SIGHUP") if hasattr(lib, n)]


def printf_call():
    """(format, args...): conversions supported or not, arguments of the right or the wrong kind/count."""
    conversions = st.sampled_from([b"%d", b"%i", b"%u", b"%x", b"%ld", b"%lld", b"%hhd", b"%zu", b"%c",
                                   b"%s", b"%.3s", b"%p", b"%f", b"%Lf", b"%g", b"%5d", b"%-*d", b"%.*s",
                                   b"%%", b"%m", b"%n", b"%ln", b"%ls", b"%lc", b"%Q", b"%", b"%y",
                                   b"%2147483648d", b"%.2147483648s", b"%9999999999999999999d"])
    text = st.binary(max_size=10).map(lambda b: b.replace(b"%", b"").replace(b"\0", b""))
    arg = st.one_of(
        st.integers(-(1 << 70), 1 << 70).map(lambda v: ("v", v)), ints(0, -1, INT_MAX, INT_MIN, 1 << 64),
        st.floats().map(lambda v: ("v", v)), st.just(("v", b"bytes")), st.just(("v", "str")),
        st.just(("v", None)), st.just(("v", b"a\0b")), st.just(("new", "char[3]", b"abc")),
        st.just(("new", "char[]", b"ok")), st.just(("null", "char *")), st.just(("null", None)),
        st.just(("new", "int *")), st.just(("cast", "long", 5)), st.just(("cast", "double", 1.5)),
        st.just(("v", bytearray(b"x"))), st.just(("v", [1])))
    fmt = st.lists(st.tuples(text, conversions), max_size=4).map(lambda parts: b"".join(a + b for a, b in parts))
    return st.tuples(st.one_of(fmt.map(lambda f: ("v", f)), hostile_c_string()), st.lists(arg, max_size=5))


def build_table():
    t = {}
    pure = dict(syscall=False)
    t["errno"] = Function(NO_CALL, **pure)
    t["oserror"] = Function([P("errnum", st.one_of(SMALL_INT, ints(C.EBADF, 5000)))], **pure)
    t["h_errno"] = Function(NO_CALL, **pure)
    t["getchar"] = Function(NO_CALL, **pure)  # stdin is /dev/null: EOF, -1 without errno as in C
    for name in ("SIG_DFL", "SIG_IGN", "SIG_ERR", "stdin", "stdout", "stderr"):
        t[name] = Function([P("signum", ints(C.SIGUSR1), HOSTILE_INT)], not_callable=True, **pure)
    for name in ("FD_SET", "FD_CLR", "FD_ISSET"):
        t[name] = Function([P("fd", SET_INDEX_VALID, SET_INDEX_HOSTILE), P("set", FD_SET_VALID, FD_SET_HOSTILE)],
                           **pure)
    t["FD_ZERO"] = Function([P("set", FD_SET_VALID, FD_SET_HOSTILE)], **pure)
    t["accept"] = Function([FD(kinds=["listener", "tcp", "udp"]), G(("addr", "addrlen"), out_address(True),
                                                                   out_address(False))], fd="sockfd")
    t["accept4"] = Function(t["accept"].groups + [P("flags", ints(0, C.SOCK_NONBLOCK))], fd="sockfd")
    t["atoi"] = Function([P("nptr", any_c_string(), hostile_c_string())], **pure)
    t["strlen"] = Function([P("s", any_c_string(), hostile_c_string())], **pure)
    t["perror"] = Function([P("s", st.one_of(any_c_string(), st.just(("null", None))), hostile_c_string())],
                           **pure)
    t["inet_addr"] = Function([P("cp", st.one_of(any_c_string(), ints(b"127.0.0.1")), hostile_c_string())],
                              **pure)
    t["inet_aton"] = Function([P("cp", any_c_string(), hostile_c_string()),
                               P("inp", st.sampled_from([("new", "struct in_addr *"), ("buf", "bytearray", 4, b""),
                                                         ("buf", "slice", 4, b"")]),
                                 st.one_of(hostile_buffer(), st.just(("buf", "slice", 3, b""))))], **pure)
    # A 16-byte struct sockaddr from ffi.new claiming AF_INET6 / AF_UNIX: csock must not let C read past it
    # (bind only: a kernel reading past it would take heap bytes as the address, never to send to).
    lying = st.tuples(st.sampled_from(["in6", "unix"]).map(lambda f: ("addr", f, 0, "lying struct sockaddr *", b"")),
                      ints(16, 17, 28, 110))
    t["bind"] = Function([FD(), G(("addr", "addrlen"), loopback_address(), hostile_address() | lying)], fd="sockfd")
    t["connect"] = Function([FD(), G(("addr", "addrlen"), loopback_address(), hostile_address())], fd="sockfd")
    t["bzero"] = Function([G(("s", "n"), buffer_and_count(True), hostile_buffer_and_count(True))], **pure)
    for name in ("memset", "memchr"):
        writable = name == "memset"
        t[name] = Function([G(("s", "c", "n"),
                              buffer_and_count(writable).map(lambda b: (b[0], ("v", 65), b[1])),
                              st.one_of(hostile_buffer_and_count(writable).map(lambda b: (b[0], ("v", 0), b[1])),
                                        buffer_and_count(writable).flatmap(
                                            lambda b: HOSTILE_INT.map(lambda c: (b[0], c, b[1])))))],
                           **pure)
    t["close"] = Function([FD("fd", SOCKET_FDS + ["devnull", "epoll"])], fd="fd")
    t["epoll_create"] = Function([P("size", ints(1, 10))])
    t["epoll_create1"] = Function([P("flags", ints(0, C.EPOLL_CLOEXEC))])
    event = st.sampled_from([("events", 1), ("events", 4)])
    t["epoll_ctl"] = Function([EPOLL, P("op", ints(C.EPOLL_CTL_ADD, C.EPOLL_CTL_DEL, C.EPOLL_CTL_MOD)),
                               FD("fd"), P("event", event, st.one_of(
                                   WRONG_TYPES, st.just(("new", "int *")), st.just(("events", 0)),
                                   st.just(("buf", "bytearray", 4, b"")), st.just(("null", None))))], fd="epfd")
    t["epoll_wait"] = Function([EPOLL, G(("events", "maxevents"), st.integers(1, 4).flatmap(
        lambda n: st.tuples(st.just(("events", n)), st.integers(1, n).map(lambda m: ("v", m)))),
        st.one_of(st.integers(0, 4).flatmap(lambda n: st.tuples(
            st.just(("events", n)), st.sampled_from([n + 1, 1 << 20, INT_MAX, INT_MAX + 1, 1 << 64, -1, 0]).map(
                lambda m: ("v", m)))), st.tuples(st.one_of(WRONG_TYPES, st.just(("new", "int[8]")),
                                                           st.just(("buf", "bytearray", 64, b""))), ints(1)))),
        P("timeout", TIMEOUT_MS)], fd="epfd", blocking=True)
    t["exit"] = Function([P("status", ints(0, 3, 255, 256), HOSTILE_INT)], own_child=True, **pure)
    t["fcntl"] = Function([FD("fd", SOCKET_FDS + ["devnull"]),
                           P("cmd", st.sampled_from(["F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL"]).map(
                               lambda n: ("v", getattr(lib, n)))),
                           P("arg", ints(0, 1, 2048))], fd="fd")
    t["fflush"] = Function([P("stream", st.sampled_from([("lib", "stdout"), ("lib", "stderr"), ("null", None)]),
                              st.one_of(WRONG_TYPES, st.just(("new", "char[8]")), st.just(("v", b"stdout"))))])
    t["freeaddrinfo"] = Function([P("res", st.just(("addrinfo_result", "live")), st.one_of(
        st.sampled_from([("addrinfo_result", "freed"), ("new", "struct addrinfo *"), ("null", None),
                         ("null", "struct addrinfo *"), ("new", "char[64]")]), WRONG_TYPES))], **pure)
    t["gai_strerror"] = Function([P("errcode", ints(C.EAI_NONAME, 0, -1))], **pure)
    t["strerror"] = Function([P("errnum", ints(C.EBADF, 0, -1, 100000))], **pure)
    numeric_flags = C.AI_NUMERICHOST | C.AI_NUMERICSERV
    t["getaddrinfo"] = Function([
        P("node", st.sampled_from([b"127.0.0.1", b"::1", b"localhost", b"0"]).map(lambda b: ("v", b)) | st.just(
            ("null", None)), st.one_of(hostile_c_string(), no_dns_name())),
        P("service", st.sampled_from([("v", b"7"), ("v", b"echo"), ("null", None)]),
          st.one_of(hostile_c_string(), no_dns_name().map(lambda s: (s[0], s[1], min(s[2], 300))))),
        P("hints", st.tuples(st.sampled_from([numeric_flags, numeric_flags | C.AI_PASSIVE]),
                             st.sampled_from([0, C.AF_INET, C.AF_INET6]), st.sampled_from([0, C.SOCK_STREAM]))
          .map(lambda h: ("hints",) + h),
          st.one_of(WRONG_TYPES, st.just(("new", "struct addrinfo **")), st.just(("buf", "bytearray", 48, b"")),
                    st.tuples(st.integers(-1, 1 << 12).map(lambda f: f | C.AI_NUMERICHOST), HOSTILE_INT.filter(
                        lambda s: s[0] == "v" and type(s[1]) is int and INT_MIN <= s[1] <= INT_MAX),
                              st.integers(-3, 20)).map(lambda h: ("hints", h[0], h[1][1], h[2])))),
        P("res", st.just(("new", "struct addrinfo **")), st.one_of(
            WRONG_TYPES, st.just(("new", "struct addrinfo *")), st.just(("null", "struct addrinfo **"))))],
        **pure)
    t["gethostbyname"] = Function([P("name", ints(b"127.0.0.1", b"localhost", b"::1"),
                                     st.one_of(hostile_c_string(), no_dns_name()))], **pure)
    ipv4_loopback = b"\x7f\x00\x00\x01"
    t["gethostbyaddr"] = Function([G(("addr", "len", "type"), st.just(
        (("v", ipv4_loopback), ("v", 4), ("v", C.AF_INET))), st.one_of(
        st.tuples(st.sampled_from([("v", ipv4_loopback), ("buf", "slice", 4, ipv4_loopback),
                                   ("buf", "char_ptr", 1, ipv4_loopback)]),
                  st.sampled_from([5, 16, 1 << 20, -1, 1 << 32, INT_MAX]).map(lambda n: ("v", n)) | WRONG_TYPES,
                  ints(C.AF_INET)),
        st.tuples(st.just(("v", ipv4_loopback)), ints(0, 1, 3, 4),
                  st.integers(INT_MIN, INT_MAX).filter(lambda f: f != C.AF_INET6).map(lambda f: ("v", f))),
        st.tuples(st.one_of(hostile_c_string(), hostile_buffer()), ints(4), ints(C.AF_INET))))], **pure)
    t["getnameinfo"] = Function([
        G(("addr", "addrlen"), loopback_address().filter(lambda a: a[0][1] != "unix"),
          hostile_address().filter(lambda a: a[0][0] != "addr" or a[0][1] != "unix")),
        G(("host", "hostlen"), buffer_and_count(True), hostile_buffer_and_count(True)),
        G(("serv", "servlen"), buffer_and_count(True), hostile_buffer_and_count(True)),
        P("flags", ints(0, C.NI_NUMERICHOST, C.NI_NUMERICHOST | C.NI_NUMERICSERV, C.NI_NAMEREQD))],
        **pure)
    for name in ("getpeername", "getsockname"):
        t[name] = Function([FD(), G(("addr", "addrlen"), out_address(True), out_address(False))], fd="sockfd")
    t["getsockopt"] = Function([FD(), P("level", ints(C.SOL_SOCKET, C.IPPROTO_TCP)),
                                P("optname", ints(C.SO_TYPE, C.SO_ERROR, C.SO_RCVBUF)),
                                G(("optval", "optlen"), st.sampled_from(
                                    [(("new", "int *"), ("length", "socklen_t", 4)),
                                     (("buf", "slice", 8, b""), ("length", "socklen_t", 8))]),
                                  st.one_of(
                                      st.tuples(st.sampled_from([("new", "int *"), ("buf", "slice", 4, b""),
                                                                 ("buf", "char_ptr", 1, b""),
                                                                 ("buf", "void_ptr", 1, b"")]),
                                                st.sampled_from([5, 64, 1 << 20, 1 << 31, (1 << 32) - 1]).map(
                                                    lambda n: ("length", "socklen_t", n))),
                                      st.tuples(st.sampled_from([("new", "int *"), ("buf", "bytes", 4, b"")]),
                                                st.one_of(WRONG_TYPES, ints(4), st.just(("length", "int", 4)),
                                                          st.just(("null", "socklen_t *")))),
                                      st.tuples(hostile_buffer(), st.just(("length", "socklen_t", 4)))))],
                               fd="sockfd")
    t["setsockopt"] = Function([FD(), P("level", ints(C.SOL_SOCKET)),
                                P("optname", ints(C.SO_REUSEADDR, C.SO_KEEPALIVE, C.SO_RCVBUF)),
                                G(("optval", "optlen"), st.just((("new", "int *", 1), ("v", 4))),
                                  hostile_buffer_and_count(False))], fd="sockfd")
    for name, bits in (("htons", 16), ("ntohs", 16), ("htonl", 32), ("ntohl", 32)):
        t[name] = Function([P({"htons": "hostshort", "ntohs": "netshort", "htonl": "hostlong",
                               "ntohl": "netlong"}[name], st.integers(0, (1 << bits) - 1).map(lambda v: ("v", v)),
                              st.one_of(HOSTILE_INT, ints(-1, 1 << bits)))], **pure)
    t["inet_ntoa"] = Function([P("in", st.just(("item", ("new", "struct in_addr *", {"s_addr": 0x0100007F}))),
                                 st.one_of(WRONG_TYPES, ints(0x7F000001, -1),
                                           st.just(("item", ("new", "struct in6_addr *"))),
                                           st.just(("new", "struct in_addr *")), st.just(("v", {"s_addr": -1}))))],
                              **pure)
    t["inet_ntop"] = Function([G(("af", "src", "dst", "size"), st.sampled_from(
        [(("v", C.AF_INET), ("new", "struct in_addr *"), ("buf", "array", 16, b""), ("v", 16)),
         (("v", C.AF_INET6), ("new", "struct in6_addr *"), ("buf", "slice", 46, b""), ("v", 46))]),
        st.one_of(
            st.tuples(ints(C.AF_INET, C.AF_INET6), st.sampled_from(
                [("new", "struct in_addr *"), ("buf", "bytes", 3, b""), ("buf", "char_ptr", 1, b"")]),
                st.just(("buf", "slice", 8, b"")), st.sampled_from([0, 8, 9, 46, -1, 1 << 32]).map(lambda n: ("v", n))),
            st.tuples(HOSTILE_INT, st.just(("new", "struct in6_addr *")), st.just(("buf", "slice", 46, b"")),
                      ints(46)),
            st.tuples(ints(C.AF_INET), hostile_buffer(), hostile_buffer(), ints(16))))], **pure)
    t["inet_pton"] = Function([G(("af", "src", "dst"), st.sampled_from(
        [(("v", C.AF_INET), ("v", b"127.0.0.1"), ("new", "struct in_addr *")),
         (("v", C.AF_INET6), ("v", b"::1"), ("buf", "slice", 16, b""))]),
        st.one_of(
            st.tuples(ints(C.AF_INET6), any_c_string(), st.sampled_from(
                [("new", "struct in_addr *"), ("buf", "slice", 15, b""), ("buf", "bytes", 16, b"")])),
            st.tuples(HOSTILE_INT, any_c_string(), st.just(("buf", "slice", 16, b""))),
            st.tuples(ints(C.AF_INET), hostile_c_string(), st.just(("buf", "slice", 4, b""))),
            st.tuples(ints(C.AF_INET), ints(b"1.2.3.4"), hostile_buffer())))], **pure)
    t["listen"] = Function([FD(), P("backlog", ints(0, 1, 128))], fd="sockfd")
    t["shutdown"] = Function([FD(), P("how", ints(C.SHUT_RD, C.SHUT_WR, C.SHUT_RDWR))], fd="sockfd")
    t["socket"] = Function([P("domain", ints(C.AF_INET, C.AF_INET6)),
                            P("type", ints(C.SOCK_STREAM | C.SOCK_NONBLOCK, C.SOCK_DGRAM)),
                            P("protocol", ints(0))])
    t["socketpair"] = Function([P("domain", ints(C.AF_UNIX)), P("type", ints(C.SOCK_STREAM, C.SOCK_DGRAM)),
                                P("protocol", ints(0)),
                                P("sv", st.sampled_from([("new", "int[2]"), ("new", "int[3]")]),
                                  st.one_of(hostile_buffer(), st.sampled_from(
                                      [("new", "int[1]"), ("buf", "slice", 7, b""), ("buf", "slice", 8, b""),
                                       ("new", "int *")])))])
    t["poll"] = Function([G(("fds", "nfds"), st.lists(st.tuples(st.sampled_from(SOCKET_FDS + ["devnull"]), st.sampled_from(  # noqa: E501
        [C.POLLIN, C.POLLOUT, C.POLLIN | C.POLLOUT])), min_size=0, max_size=3).flatmap(
        lambda fds: st.tuples(st.just(("pollfds", fds)), st.integers(0, len(fds)).map(lambda n: ("v", n)))),
        st.one_of(st.lists(st.tuples(st.sampled_from([-1, 777, "pair"]), st.integers(-(1 << 15), (1 << 15) - 1)), max_size=3).flatmap(
            lambda fds: st.tuples(st.just(("pollfds", fds)), st.sampled_from(
                [len(fds) + 1, 1 << 20, 1 << 31, 1 << 63, 1 << 64, -1]).map(lambda n: ("v", n)) | WRONG_TYPES)),
            st.tuples(st.one_of(WRONG_TYPES, st.just(("new", "int[8]")), st.just(("buf", "bytearray", 64, b"")),
                                st.just(("events", 2))), ints(1)))),
        P("timeout", TIMEOUT_MS)], blocking=True)
    fd_set_arg = lambda n: P(n, st.one_of(FD_SET_VALID, st.just(("null", None))), FD_SET_HOSTILE)  # noqa: E731
    t["select"] = Function([P("nfds", ints(0, 1, 64, C.FD_SETSIZE), st.one_of(
                                 HOSTILE_INT, ints(C.FD_SETSIZE + 1))),
                            fd_set_arg("readfds"), fd_set_arg("writefds"), fd_set_arg("exceptfds"),
                            P("timeout", st.sampled_from([("timeval", [0, 0]), ("timeval", [0, 1000])]
                                                         + ([] if WINDOWS else [("null", None)])),
                              st.one_of(WRONG_TYPES, st.sampled_from(
                                  [("timeval", [-1, 0]), ("timeval", [0, -1]), ("timeval", [0, 10 ** 7]),
                                   ("new", "int *"), ("buf", "bytearray", 16, b"")])))], blocking=True)
    for name, writable in (("read", True), ("write", False)):
        t[name] = Function([FD("fd", SOCKET_FDS + ["devnull", "stdin"] if writable else SOCKET_FDS + ["devnull"]),
                            G(("buf", "count"), buffer_and_count(writable), hostile_buffer_and_count(writable))],
                           fd="fd")
    for name, writable in (("recv", True), ("send", False)):
        t[name] = Function([FD(), G(("buf", "len"), buffer_and_count(writable), hostile_buffer_and_count(writable)),
                            P("flags", FLAGS)], fd="sockfd")
    t["recvfrom"] = Function([FD(), G(("buf", "len"), buffer_and_count(True), hostile_buffer_and_count(True)),
                              P("flags", FLAGS), G(("src_addr", "addrlen"), out_address(True), out_address(False))],
                             fd="sockfd")
    t["sendto"] = Function([FD(kinds=["udp", "udp6", "tcp", "pair"]),
                            G(("buf", "len"), buffer_and_count(False), hostile_buffer_and_count(False)),
                            P("flags", FLAGS), G(("dest_addr", "addrlen"), loopback_address(st.just("sink")),
                                                 hostile_address(st.just("sink")))], fd="sockfd")
    t["signal"] = Function([P("signum", st.sampled_from(SIGNUMS).map(lambda n: ("v", getattr(lib, n))),
                              st.one_of(HOSTILE_INT, ints(0, 65, 1000))),
                            P("handler", st.sampled_from([("csock", "SIG_DFL"), ("csock", "SIG_IGN")]),
                              st.one_of(WRONG_TYPES, st.sampled_from(
                                  [("csock", "SIG_ERR"), ("lib", "SIG_ERR"), ("callback", "void(*)(int)"),
                                   ("v", 1), ("v", 0), ("null", "void(*)(int)")])))], **pure)
    t["printf"] = Function([G(("format", "..."), st.sampled_from(
        [(("v", b"%d %s\n"), ("v", 5), ("v", b"x")), (("v", b"plain\n"),), (("v", b"%p %c%%"), ("null", None), ("v", 65)),
         (("v", b"%5.2f|%-*d|%lu"), ("v", 1.5), ("v", 3), ("v", 7), ("v", 1 << 40))]),
        printf_call().map(lambda fa: (fa[0],) + tuple(fa[1])))], **pure)
    return t


TABLE = build_table()

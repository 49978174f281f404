"""The child process that makes tests/test_hostile_input.py's calls, so a crash kills it and not pytest.

The protocol arrives on stdin and stdout, which the worker moves away at once (POSIX: to PROTOCOL_FDS,
which no test generates as a descriptor) and replaces with the null device: getchar() reads EOF and
printf writes nowhere. Each request is one pickled (function name, argument specs); each reply is one
pickled outcome, written before the next request is read, so after a crash the parent knows exactly
which call killed the process.

An argument spec is a tuple naming what to build here (cdata cannot cross a pipe), see build().
"""
import faulthandler
import mmap
import os
import pickle
import signal as py_signal
import struct

import csock
import hostile_values
from csock import ffi, lib

PROTOCOL_FDS = (1020, 1021)  # below FD_SETSIZE but never generated as a descriptor by the tests
CANARY = 0xA5
GUARD = 64  # bytes of canary after every buffer whose declared size is smaller than its allocation
CLOSED_FD = 777  # never opened by the worker
WATCHDOG_SECONDS = 0.2  # a call that blocks as C would (poll with timeout -1) is cut by SIGALRM -> EINTR


class Call:
    """What one call allocated: descriptors to close, canaries to verify, objects to keep alive."""

    def __init__(self):
        self.fds = []
        self.guards = []  # (description, cdata array, start, end)
        self.keep = []
        self.read_only = []  # (description, read-only object, its bytes before the call)
        self.liars = []  # MutatingIndex objects, given the call's arguments once they are built

    def guarded(self, size, ctype="char[]"):
        """A `size`-byte prefix of a larger array whose tail holds canary bytes."""
        whole = ffi.new(ctype, size + GUARD)
        ffi.memmove(ffi.cast("char *", whole) + size, bytes([CANARY]) * GUARD, GUARD)
        self.guards.append((f"{size}-byte buffer", whole, size, size + GUARD))
        self.keep.append(whole)
        return whole

    def frozen(self, what, obj):
        """obj, read-only memory that C must never change: checked after the call."""
        self.read_only.append((what, obj, bytes(memoryview(obj))))
        self.keep.append(obj)
        return obj

    def damaged(self):
        out = [f"{what} (read-only) was written into" for what, obj, before in self.read_only
               if bytes(memoryview(obj)) != before]
        for what, whole, start, end in self.guards:
            tail = ffi.buffer(whole)[start:end]
            if tail != bytes([CANARY]) * (end - start):
                first = next(i for i, b in enumerate(tail) if b != CANARY)
                out.append(f"{what}: byte {start + first} past its end was overwritten")
        return out


def _socket(call, domain, type_):
    fd = lib.socket(domain, type_ | getattr(lib, "SOCK_NONBLOCK", 0) | getattr(lib, "SOCK_CLOEXEC", 0), 0)
    if fd < 0:
        raise RuntimeError(f"worker: socket() failed: errno {ffi.errno}")
    call.fds.append(fd)
    return fd


def _loopback_in(port):
    sin = ffi.new("struct sockaddr_in *")
    sin.sin_family = lib.AF_INET
    sin.sin_port = lib.htons(port)
    sin.sin_addr.s_addr = lib.htonl(0x7F000001)
    return sin


def descriptor(call, kind):
    """A real descriptor of this kind, created for this call and closed after it."""
    if kind == "tcp":
        return _socket(call, lib.AF_INET, lib.SOCK_STREAM)
    if kind == "udp":
        return _socket(call, lib.AF_INET, lib.SOCK_DGRAM)
    if kind == "udp6":
        return _socket(call, lib.AF_INET6, lib.SOCK_DGRAM)
    if kind == "listener":
        fd = _socket(call, lib.AF_INET, lib.SOCK_STREAM)
        sin = _loopback_in(0)
        if lib.bind(fd, ffi.cast("struct sockaddr *", sin), ffi.sizeof(sin[0])) or lib.listen(fd, 1):
            raise RuntimeError(f"worker: listener failed: errno {ffi.errno}")
        return fd
    if kind == "pair" and not hasattr(lib, "socketpair"):  # Winsock: a connected UDP socket stands in
        fd = _socket(call, lib.AF_INET, lib.SOCK_DGRAM)
        sin = _loopback_in(_sink_port(call))
        lib.connect(fd, ffi.cast("struct sockaddr *", sin), ffi.sizeof(sin[0]))
        return fd
    if kind == "pair":
        sv = ffi.new("int[2]")
        if lib.socketpair(lib.AF_UNIX, lib.SOCK_STREAM | lib.SOCK_NONBLOCK | lib.SOCK_CLOEXEC, 0, sv):
            raise RuntimeError(f"worker: socketpair failed: errno {ffi.errno}")
        call.fds.extend(sv)
        return sv[0]
    if kind == "devnull":
        fd = os.open(os.devnull, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        call.fds.append(fd)
        return fd
    if kind == "closed":  # a number in range that is no descriptor: EBADF
        try:
            os.fstat(CLOSED_FD)
        except OSError:
            return CLOSED_FD
        raise RuntimeError(f"worker: descriptor {CLOSED_FD} is open")
    if kind == "pair_with_data":  # a socketpair whose first end has 8 bytes to read
        fd = descriptor(call, "pair")
        os.write(call.fds[-1], b"12345678")
        return fd
    if kind == "epoll":
        fd = lib.epoll_create1(lib.EPOLL_CLOEXEC)
        call.fds.append(fd)
        return fd
    if kind == "stdin":
        return 0
    raise ValueError(f"worker: unknown descriptor kind {kind!r}")


def _sink_port(call):
    """The port of a UDP socket of this call bound to 127.0.0.1: where sendto's datagrams go."""
    fd = _socket(call, lib.AF_INET, lib.SOCK_DGRAM)
    sin = _loopback_in(0)
    size = ffi.new("socklen_t *", ffi.sizeof(sin[0]))
    sa = ffi.cast("struct sockaddr *", sin)
    if lib.bind(fd, sa, size[0]) or lib.getsockname(fd, sa, size):
        raise RuntimeError(f"worker: sink failed: errno {ffi.errno}")
    return lib.ntohs(sin.sin_port)


def address(call, family, port, as_type, tail):
    """A loopback address (or a garbage family that no kernel routes), as the C type the test asks for."""
    if port == "sink":
        port = _sink_port(call)
    if family == "in":
        raw = bytes(ffi.buffer(_loopback_in(port)))
    elif family == "in6":
        sin6 = ffi.new("struct sockaddr_in6 *")
        sin6.sin6_family = lib.AF_INET6
        sin6.sin6_port = lib.htons(port)
        sin6.sin6_addr.s6_addr[15] = 1  # ::1
        raw = bytes(ffi.buffer(sin6))
    elif family == "unix":  # a path under the worker's own directory that nothing listens on
        sun = ffi.new("struct sockaddr_un *")
        sun.sun_family = lib.AF_UNIX
        path = os.path.join(os.environ["HOSTILE_TMP"], "nobody-%d" % port).encode()
        ffi.memmove(sun.sun_path, path, len(path))
        raw = bytes(ffi.buffer(sun))
    else:  # ("garbage", family number): never AF_INET/AF_INET6/AF_UNIX, checked by the test
        assert family[0] == "garbage" and family[1] not in (lib.AF_INET, lib.AF_INET6, lib.AF_UNIX)
        raw = struct.pack("H", family[1]) + tail
    if as_type == "struct sockaddr *":  # the C idiom: (struct sockaddr *)&sin, a pointer that knows 16 bytes
        storage = call.guarded(max(len(raw), ffi.sizeof("struct sockaddr")))
        ffi.memmove(storage, raw, len(raw))
        if len(raw) > ffi.sizeof("struct sockaddr"):  # the canary starts after what the pointer claims
            call.guards[-1] = (f"struct sockaddr * over {len(raw)} bytes", storage,
                               len(raw), len(raw) + GUARD)
        return ffi.cast("struct sockaddr *", storage)
    if as_type == "lying struct sockaddr *":  # a genuine 16-byte struct sockaddr claiming a larger family
        sa = ffi.new("struct sockaddr *")
        ffi.memmove(sa, raw, ffi.sizeof("struct sockaddr"))
        return sa
    if as_type == "char[]":
        arr = call.guarded(len(raw))
        ffi.memmove(arr, raw, len(raw))
        return arr[0:len(raw)]
    obj = ffi.new(as_type)  # struct sockaddr_in * / sockaddr_in6 * / sockaddr_storage * / sockaddr_un *
    ffi.memmove(obj, raw, min(len(raw), ffi.sizeof(obj[0])))
    return obj


def buffer(call, kind, size, fill):
    """A buffer of `size` bytes as cffi, bytes, bytearray or memoryview; over-writes land on a canary."""
    data = (fill * (size // max(len(fill), 1) + 1))[:size] if fill else bytes(size)
    if kind == "array":
        return ffi.new("char[]", data) if data else ffi.new("char[]", size)
    if kind == "uarray":
        return ffi.new("unsigned char[]", list(data)) if data else ffi.new("unsigned char[]", size)
    if kind == "slice":
        whole = call.guarded(size)
        ffi.memmove(whole, data, size)
        return whole[0:size]
    if kind == "bytes":  # b"" and one-byte bytes are the interpreter's shared objects: C must never write there
        return call.frozen("bytes", bytes(data))
    if kind == "bytearray":
        return bytearray(data)
    if kind == "memoryview":  # a view of the front of a longer bytearray: the rest is canary
        whole = bytearray(data) + bytes([CANARY]) * GUARD
        call.keep.append(whole)
        call.guards.append((f"memoryview of {size} bytes", ffi.from_buffer(whole), size, size + GUARD))
        return memoryview(whole)[:size]
    if kind == "readonly_memoryview":
        return memoryview(call.frozen("bytes under a memoryview", bytes(data) + b"#"))[:size]
    if kind == "frombuf_bytes":  # ffi.from_buffer of an immutable bytes: writing there corrupts the interpreter
        return ffi.from_buffer(call.frozen("bytes under ffi.from_buffer", bytes(data)))
    if kind == "frombuf_ro_memoryview":
        return ffi.from_buffer(memoryview(call.frozen("bytes under a read-only memoryview", bytes(data))))
    if kind in ("ro_mmap", "frombuf_ro_mmap"):
        path = os.path.join(os.environ["HOSTILE_TMP"], "mapped")
        with open(path, "wb") as f:
            f.write(data or b"\0" * max(size, 1))
        with open(path, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        call.frozen("a read-only mmap", mapped)
        return mapped if kind == "ro_mmap" else ffi.from_buffer(mapped)
    if kind == "gc_frombuf_bytes":
        return ffi.gc(ffi.from_buffer(call.frozen("bytes under ffi.gc(ffi.from_buffer)", bytes(data))),
                      lambda c: None)
    if kind == "char_ptr":  # a `char *` into a larger array: the binding may only trust 1 byte
        whole = call.guarded(1)
        ffi.memmove(whole, data[:1], min(size, 1))
        return ffi.cast("char *", whole)
    if kind == "int_ptr":
        whole = call.guarded(ffi.sizeof("int"))
        return ffi.cast("int *", whole)
    if kind == "void_ptr":  # a `void *` tells nothing about its size
        whole = call.guarded(0)
        return ffi.cast("void *", whole)
    if kind == "int_array":
        return ffi.new("int[]", max(size // ffi.sizeof("int"), 0))
    raise ValueError(f"worker: unknown buffer kind {kind!r}")


def build(call, spec):
    tag = spec[0]
    if tag == "v":  # a plain Python value
        return spec[1]
    if tag == "fd":
        return descriptor(call, spec[1])
    if tag == "buf":
        return buffer(call, *spec[1:])
    if tag == "addr":
        return address(call, *spec[1:])
    if tag == "null":
        return ffi.NULL if spec[1] is None else ffi.cast(spec[1], 0)
    if tag == "new":  # ffi.new(ctype[, init])
        obj = ffi.new(*spec[1:])
        call.keep.append(obj)
        return obj
    if tag == "cast":  # a primitive cdata, e.g. ffi.cast("long", 5)
        return ffi.cast(spec[1], spec[2])
    if tag == "lib":
        return getattr(lib, spec[1])
    if tag == "csock":
        return getattr(csock, spec[1])
    if tag == "fd_set":
        fds = ffi.new("fd_set *")
        lib.FD_ZERO(fds)
        for fd in spec[1]:
            lib.FD_SET(descriptor(call, fd) if isinstance(fd, str) else fd, fds)
        return fds
    if tag == "timeval":
        return ffi.new("struct timeval *", spec[1])
    if tag == "pollfds":  # [(descriptor kind, events)], maybe as a longer guarded allocation
        arr = ffi.new("struct pollfd[]", len(spec[1]))
        for slot, (kind, events) in zip(arr, spec[1]):
            slot.fd = descriptor(call, kind) if isinstance(kind, str) else kind
            slot.events = events
        return arr
    if tag == "events":
        return ffi.new("struct epoll_event[]", spec[1])
    if tag == "length":  # a socklen_t * holding a value
        return ffi.new(spec[1] + " *", spec[2])
    if tag == "hints":  # struct addrinfo * with flags, family, socktype
        hints = ffi.new("struct addrinfo *")
        hints.ai_flags, hints.ai_family, hints.ai_socktype = spec[1:]
        return hints
    if tag == "addrinfo_result":  # a live list from getaddrinfo, or one already freed
        res = ffi.new("struct addrinfo **")
        hints = ffi.new("struct addrinfo *")
        hints.ai_flags = lib.AI_NUMERICHOST | lib.AI_NUMERICSERV
        if csock.getaddrinfo(b"127.0.0.1", b"7", hints, res) != 0:
            raise RuntimeError("worker: numeric getaddrinfo failed")
        if spec[1] == "freed":
            csock.freeaddrinfo(res[0])
        return res[0]
    if tag == "string":  # bytes of a given size made of one repeated byte string
        return (spec[1] * (spec[2] // max(len(spec[1]), 1) + 1))[:spec[2]]
    if tag == "item":  # a struct by value, e.g. the struct in_addr that inet_ntoa takes
        obj = build(call, spec[1])
        call.keep.append(obj)
        return obj[0]
    if tag == "callback":  # a Python function as a C function pointer
        cb = ffi.callback(spec[1], lambda *args: None)
        call.keep.append(cb)
        return cb
    if tag == "list":
        return [build(call, s) for s in spec[1]]
    if tag == "liar":  # an integer that lies (tests/hostile_values.py)
        liar = hostile_values.build_liar(spec[1], spec[2])
        if isinstance(liar, hostile_values.MutatingIndex):
            call.liars.append(liar)
        return liar
    raise ValueError(f"worker: unknown spec {spec!r}")


def describe(value):
    """What a call returned, as the parent can check it without the worker's memory."""
    if isinstance(value, ffi.CData):
        ct = ffi.typeof(value)
        if ct.kind == "pointer":
            if value == ffi.NULL:
                return ("NULL", ct.cname)
            if ct.cname in ("char *", "const char *"):
                return ("str", ct.cname, bytes(ffi.string(value)))  # read like a user would
            return ("ptr", ct.cname)
        return ("cdata", ct.cname, repr(value))
    return ("py", type(value).__name__, value if isinstance(value, (int, type(None))) else repr(value))


ALARMS = []


def open_descriptors():
    """The descriptors open in this process (Linux); elsewhere none are swept."""
    try:
        return set(map(int, os.listdir("/proc/self/fd")))
    except OSError:
        return set()


def clear_errno():
    if hasattr(lib, "WSASetLastError"):
        lib.WSASetLastError(0)
    ffi.errno = 0


def watchdog(seconds):
    if hasattr(py_signal, "setitimer"):
        py_signal.setitimer(py_signal.ITIMER_REAL, seconds)


def _on_alarm(signum, frame):
    ALARMS.append(signum)


def serve(read_fd, write_fd):
    baseline = open_descriptors()
    saved_handlers = {s: py_signal.getsignal(s) for s in range(1, py_signal.NSIG)
                      if py_signal.getsignal(s) is not None}
    rfile = os.fdopen(read_fd, "rb", buffering=0)
    wfile = os.fdopen(write_fd, "wb", buffering=0)
    while True:
        try:
            request = pickle.load(rfile)
        except EOFError:
            return
        name, specs = request
        call = Call()
        try:
            args = [build(call, s) for s in specs]
            for liar in call.liars:
                liar.args = args
        except Exception as e:  # a test bug, not a binding failure: reported as such
            reply = ("setup", type(e).__name__, str(e))
        else:
            func = getattr(csock, name)
            ALARMS.clear()
            clear_errno()
            watchdog(WATCHDOG_SECONDS)
            try:
                result = func(*args)
                err = csock.errno()
            except BaseException as e:  # SystemExit included: nothing here may end the worker quietly
                watchdog(0)
                reply = ("exc", type(e).__name__, str(e), csock.errno())  # errno 0: C was never called
            else:
                watchdog(0)
                reply = ("ret", describe(result), err, bool(ALARMS))
            reply = reply + (call.damaged(),)
            if name == "signal":  # undo what the call may have changed, whatever stood for signum
                for signum, handler in saved_handlers.items():
                    try:  # (SIGKILL, SIGSTOP: nothing to undo)
                        py_signal.signal(signum, handler)
                    except (OSError, ValueError):
                        pass
                faulthandler.enable()
        for fd in open_descriptors() - baseline - {read_fd, write_fd}:
            try:  # descriptors the call or its setup created (socket(), accept4...)
                os.close(fd)
            except OSError:
                pass
        pickle.dump(reply, wfile)


def main():
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    if os.name == "posix":
        os.dup2(protocol_in, PROTOCOL_FDS[0])
        os.dup2(protocol_out, PROTOCOL_FDS[1])
        os.close(protocol_in)
        os.close(protocol_out)
        protocol_in, protocol_out = PROTOCOL_FDS
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    faulthandler.enable()  # the crash's Python traceback goes to stderr, which the parent shows
    if hasattr(lib, "WSAStartup"):
        lib.WSAStartup(0x0202, ffi.new("WSADATA *"))
    if hasattr(py_signal, "setitimer"):
        py_signal.signal(py_signal.SIGALRM, _on_alarm)
        py_signal.siginterrupt(py_signal.SIGALRM, True)
    serve(protocol_in, protocol_out)


if __name__ == "__main__":
    main()

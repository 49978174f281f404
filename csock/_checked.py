"""The C calls that take a buffer, a length or a format: checked in Python, then made once, unchanged.

Each function keeps the C name, argument order and return value (-1 and errno on failure). Before the
call it raises ValueError if a count exceeds the buffer passed with it, TypeError for a wrong type
(`str` for `char *`), and OverflowError (from cffi) for an integer outside the C type's range.
Nothing here retries, loops or reinterprets a result.
"""
from ._checks import (ARRAY_TYPES, CDATA_TYPES, CHAR_POINTERS, SOCKADDR_P, _SOCKADDR_PTRS, argument_error, c_string,
                      kind, sockaddr, span, too_big, with_named_errors)
from ._csock import ffi, lib
from ._csock_nonblocking import lib as _lib
from ._printf import _checked_string, converters

_NULL = ffi.NULL
_CData = ffi.CData
_typeof = ffi.typeof
_sizeof = ffi.sizeof
_cast = ffi.cast
# _lib (csock._csock_nonblocking's) is what csock calls: its own never-blocking functions (htons, memset... made
# holding the GIL) and, by cffi's include, every other function of lib.
# The calls of the book's servers, bound once: each `_lib.name` lookup costs more than the C call's own checks.
_c_accept, _c_memset, _c_printf, _c_read, _c_write = (
    getattr(_lib, name, None) for name in ("accept", "memset", "printf", "read", "write"))
WINDOWS = hasattr(lib, "WSAStartup")

__all__ = []


def _export(func):
    """func exported (where lib has the name), wrapped so that a cffi conversion error names its argument."""
    if hasattr(lib, func.__name__):
        __all__.append(func.__name__)
    code = func.__code__
    if code.co_flags & 0x04:  # *args (printf): every argument is checked and named by the function itself
        return func
    params = code.co_varnames[:code.co_argcount]
    defaults = dict(zip(params[len(params) - len(func.__defaults__ or ()):], func.__defaults__ or ()))
    signature = ", ".join(f"{p}={defaults[p]!r}" if p in defaults else p for p in params)
    return with_named_errors(func, func.__name__, params, signature)


def _export_hot(func):
    """func exported as it is: one of the server loop's calls, which names its errors itself (no second frame)."""
    if hasattr(lib, func.__name__):
        __all__.append(func.__name__)
    return func


# The except clause of the hot functions renames what cffi raised (argument_error) and raises it with no traceback
# of csock's: an ffi.from_buffer left in a traceback cycle with its memoryview crashes the collector of CPython < 3.12
# (gh-77894). Their own locals never hold one: span() makes it inside _buffer, and it reaches them only as an
# argument of the C call.
_CALL_ERRORS = (TypeError, OverflowError, ValueError)


# The length pointers of the common case, checked inline by _check_out_addr; any other pointer goes through _length_in.
_LENGTH_POINTERS = frozenset(_typeof(f"{t} *") for t in ("socklen_t", "int"))
# The exact types the book's servers pass, recognised by type() identity before any generic check: what ffi.new
# returns (an owning array or pointer), what ffi.cast returns, and byte arrays, whose len() is their size in bytes.
_OWNING = type(ffi.new("char[]", 1))
_CAST = type(_cast("char *", 0))
_BYTE_ARRAYS = frozenset(_typeof(f"{t}[]") for t in ("char", "signed char", "unsigned char"))
_SOCKADDR_BYTES = _sizeof("struct sockaddr")
# The last owning byte array (and its length, fixed for its life) and length pointer that passed those checks: the
# server loop passes the same ones every time, and `is` is the cheapest check. One tuple, read atomically by threads.
_known_array = (None, -1)
_known_length_pointer = None


def _owning_length_pointer(lenp):
    """Whether lenp is ffi.new("socklen_t *") (or "int *"), never NULL; remembered for the next call."""
    global _known_length_pointer
    if type(lenp) is _OWNING and _typeof(lenp) in _LENGTH_POINTERS:
        _known_length_pointer = lenp
        return True
    return False


def _byte_array_length(buf):
    """len(buf) if it is an owning byte array (ffi.new("char[]", n)), remembered for the next call; else -1."""
    global _known_array
    if type(buf) is _OWNING and _typeof(buf) in _BYTE_ARRAYS:
        _known_array = (buf, len(buf))
        return len(buf)
    return -1


def _buffer(buf, count, func, arg, count_name, writable):
    """What to pass for buf, off the fast path of read/write/memset: ValueError if count is larger than buf."""
    size = _byte_array_length(buf)
    if size >= 0:
        c = buf
    elif type(buf) in CDATA_TYPES and _typeof(buf) in ARRAY_TYPES:  # span()'s answer for an array, without its call
        c, size = buf, _sizeof(buf)
    else:
        c, size = span(buf, func, arg, writable)
    if count > size:
        raise too_big(func, count_name, count, arg, size)
    return c


def _length_in(lenp, func, arg):
    """The value behind a socklen_t * (or int * on Winsock) that C both reads and writes."""
    if (type(lenp) not in CDATA_TYPES and not isinstance(lenp, _CData)) or kind(_typeof(lenp)) != "pointer":
        raise TypeError(f"{func}: {arg} must be a pointer to the length (ffi.new), not {type(lenp).__name__}")
    if not lenp:  # a pointer: false only when NULL
        return None
    return lenp[0]


def _check_out_addr(addr, lenp, func, arg="addr"):
    """For calls that write an address and its length: the address to pass."""
    if type(addr) in CDATA_TYPES and type(lenp) in CDATA_TYPES and _typeof(lenp) in _LENGTH_POINTERS:
        size = _SOCKADDR_PTRS.get(_typeof(addr))
        if size is not None and addr and lenp:  # non-NULL: what sockaddr() and _length_in() accept, inline
            if lenp[0] > size:
                raise too_big(func, "*addrlen", lenp[0], arg, size)
            return addr if _typeof(addr) is SOCKADDR_P else _cast(SOCKADDR_P, addr)
    c_addr, size = sockaddr(addr, func, arg, True)
    length = _length_in(lenp, func, "addrlen")
    if length is not None and length > size and c_addr != _NULL:
        raise too_big(func, "*addrlen", length, arg, size)
    return c_addr


# --- unistd.h: read / write / close ---------------------------------------------------------------

@_export_hot
def read(fd, buf, count):
    """ssize_t read(int fd, void *buf, size_t count);"""
    try:
        known_buf, known_size = _known_array
        if buf is known_buf and count <= known_size:  # the owning byte array of the last call: length known
            return _c_read(fd, buf, count)
        return _c_read(fd, _buffer(buf, count, "read", "buf", "count", True), count)
    except _CALL_ERRORS as e:
        error = argument_error("read", ("fd", "buf", "count"), (fd, buf, count), e)
    try:
        raise error.with_traceback(None)
    finally:
        error = None


@_export_hot
def write(fd, buf, count):
    """ssize_t write(int fd, const void *buf, size_t count);"""
    try:
        known_buf, known_size = _known_array
        if buf is known_buf and count <= known_size:  # the owning byte array of the last call: length known
            return _c_write(fd, buf, count)
        return _c_write(fd, _buffer(buf, count, "write", "buf", "count", False), count)
    except _CALL_ERRORS as e:
        error = argument_error("write", ("fd", "buf", "count"), (fd, buf, count), e)
    try:
        raise error.with_traceback(None)
    finally:
        error = None


# --- sys/socket.h (winsock2.h) -------------------------------------------------------------------

@_export
def send(sockfd, buf, len, flags):
    """ssize_t send(int sockfd, const void *buf, size_t len, int flags);"""
    c, size = span(buf, "send", "buf", False)
    if len > size:
        raise too_big("send", "len", len, "buf", size)
    return _lib.send(sockfd, c, len, flags)


@_export
def recv(sockfd, buf, len, flags):
    """ssize_t recv(int sockfd, void *buf, size_t len, int flags);"""
    c, size = span(buf, "recv", "buf", True)
    if len > size:
        raise too_big("recv", "len", len, "buf", size)
    return _lib.recv(sockfd, c, len, flags)


@_export
def sendto(sockfd, buf, len, flags, dest_addr, addrlen):
    """ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen);"""
    c, size = span(buf, "sendto", "buf", False)
    if len > size:
        raise too_big("sendto", "len", len, "buf", size)
    c_addr, asize = sockaddr(dest_addr, "sendto", "dest_addr", False)
    if c_addr != _NULL and addrlen > asize:
        raise too_big("sendto", "addrlen", addrlen, "dest_addr", asize)
    return _lib.sendto(sockfd, c, len, flags, c_addr, addrlen)


@_export
def recvfrom(sockfd, buf, len, flags, src_addr, addrlen):
    """ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr, socklen_t *addrlen);"""
    c, size = span(buf, "recvfrom", "buf", True)
    if len > size:
        raise too_big("recvfrom", "len", len, "buf", size)
    c_addr = _check_out_addr(src_addr, addrlen, "recvfrom", "src_addr")
    return _lib.recvfrom(sockfd, c, len, flags, c_addr, addrlen)


@_export
def bind(sockfd, addr, addrlen):
    """int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);"""
    c_addr, size = sockaddr(addr, "bind", "addr", False)
    if addrlen > size:
        raise too_big("bind", "addrlen", addrlen, "addr", size)
    return _lib.bind(sockfd, c_addr, addrlen)


@_export
def connect(sockfd, addr, addrlen):
    """int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);"""
    c_addr, size = sockaddr(addr, "connect", "addr", False)
    if addrlen > size:
        raise too_big("connect", "addrlen", addrlen, "addr", size)
    return _lib.connect(sockfd, c_addr, addrlen)


@_export_hot
def accept(sockfd, addr, addrlen):
    """int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    try:
        if (addrlen is _known_length_pointer and type(addr) is _CAST and _typeof(addr) is SOCKADDR_P
                and addrlen[0] <= _SOCKADDR_BYTES):  # (struct sockaddr *) cast: what _check_out_addr passes, inline
            return _c_accept(sockfd, addr, addrlen)  # (a NULL addr passes too: the kernel then ignores *addrlen)
        _owning_length_pointer(addrlen)  # remembered for the next call
        return _c_accept(sockfd, _check_out_addr(addr, addrlen, "accept"), addrlen)
    except _CALL_ERRORS as e:
        error = argument_error("accept", ("sockfd", "addr", "addrlen"), (sockfd, addr, addrlen), e)
    try:
        raise error.with_traceback(None)
    finally:
        error = None


@_export
def accept4(sockfd, addr, addrlen, flags):
    """int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);"""
    return _lib.accept4(sockfd, _check_out_addr(addr, addrlen, "accept4"), addrlen, flags)


@_export
def getsockname(sockfd, addr, addrlen):
    """int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    return _lib.getsockname(sockfd, _check_out_addr(addr, addrlen, "getsockname"), addrlen)


@_export
def getpeername(sockfd, addr, addrlen):
    """int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"""
    return _lib.getpeername(sockfd, _check_out_addr(addr, addrlen, "getpeername"), addrlen)


@_export
def getsockopt(sockfd, level, optname, optval, optlen):
    """int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);"""
    c, size = span(optval, "getsockopt", "optval", True)
    length = _length_in(optlen, "getsockopt", "optlen")
    if length is not None and length > size:
        raise too_big("getsockopt", "*optlen", length, "optval", size)
    return _lib.getsockopt(sockfd, level, optname, c, optlen)


@_export
def setsockopt(sockfd, level, optname, optval, optlen):
    """int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);"""
    c, size = span(optval, "setsockopt", "optval", False)
    if optlen > size:
        raise too_big("setsockopt", "optlen", optlen, "optval", size)
    return _lib.setsockopt(sockfd, level, optname, c, optlen)


@_export
def socketpair(domain, type, protocol, sv):
    """int socketpair(int domain, int type, int protocol, int sv[2]);"""
    c, size = span(sv, "socketpair", "sv", True)
    if size < 2 * _sizeof("int"):
        raise too_big("socketpair", "2 descriptors", 2 * _sizeof("int"), "sv", size)
    return _lib.socketpair(domain, type, protocol, c)


# --- arpa/inet.h ---------------------------------------------------------------------------------

@_export
def inet_addr(cp):
    """in_addr_t inet_addr(const char *cp);"""
    return _lib.inet_addr(c_string(cp, "inet_addr", "cp"))


@_export
def inet_aton(cp, inp):
    """int inet_aton(const char *cp, struct in_addr *inp);"""
    c, size = span(inp, "inet_aton", "inp", True)
    if size < _sizeof("struct in_addr"):
        raise too_big("inet_aton", "sizeof(struct in_addr)", _sizeof("struct in_addr"), "inp", size)
    return _lib.inet_aton(c_string(cp, "inet_aton", "cp"), ffi.cast("struct in_addr *", c))


_ADDRESS_SIZE = {lib.AF_INET: _sizeof("struct in_addr"), lib.AF_INET6: _sizeof("struct in6_addr")}


@_export
def inet_pton(af, src, dst):
    """int inet_pton(int af, const char *src, void *dst);"""
    c, size = span(dst, "inet_pton", "dst", True)
    need = _ADDRESS_SIZE.get(af, 0)
    if need > size:
        raise too_big("inet_pton", "the address size", need, "dst", size)
    return _lib.inet_pton(af, c_string(src, "inet_pton", "src"), c)


@_export
def inet_ntop(af, src, dst, size):
    """const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);"""
    c_src, src_size = span(src, "inet_ntop", "src", False)
    need = _ADDRESS_SIZE.get(af, 0)
    if need > src_size:
        raise too_big("inet_ntop", "the address size", need, "src", src_size)
    c_dst, dst_size = span(dst, "inet_ntop", "dst", True)
    if size > dst_size:
        raise too_big("inet_ntop", "size", size, "dst", dst_size)
    return _lib.inet_ntop(af, c_src, c_dst, size)


# --- netdb.h -------------------------------------------------------------------------------------

@_export
def gethostbyname(name):
    """struct hostent *gethostbyname(const char *name);"""
    return _lib.gethostbyname(c_string(name, "gethostbyname", "name"))


@_export
def gethostbyaddr(addr, len, type):
    """struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);"""
    c, size = span(addr, "gethostbyaddr", "addr", False)
    if len > size:
        raise too_big("gethostbyaddr", "len", len, "addr", size)
    return _lib.gethostbyaddr(c, len, type)


_ADDRINFO_PP = _typeof("struct addrinfo **")
_live_addrinfo = set()  # results of getaddrinfo not yet freed: freeing anything else would corrupt the heap


@_export
def getaddrinfo(node, service, hints, res):
    """int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);"""
    c_node = c_string(node, "getaddrinfo", "node", null_ok=True)
    c_service = c_string(service, "getaddrinfo", "service", null_ok=True)
    if not isinstance(res, _CData) or _typeof(res) is not _ADDRINFO_PP or res == _NULL:
        raise TypeError("getaddrinfo: res must be a 'struct addrinfo **' from ffi.new, not NULL")
    rc = _lib.getaddrinfo(c_node, c_service, hints, res)
    if rc == 0:
        _live_addrinfo.add(int(ffi.cast("uintptr_t", res[0])))
    return rc


@_export
def freeaddrinfo(res):
    """void freeaddrinfo(struct addrinfo *res);"""
    if not isinstance(res, _CData):
        raise TypeError(f"freeaddrinfo: res must be what getaddrinfo returned, not {type(res).__name__}")
    key = int(ffi.cast("uintptr_t", res))
    if key not in _live_addrinfo:
        raise ValueError("freeaddrinfo: res is not a list that getaddrinfo returned and that is still allocated")
    _live_addrinfo.discard(key)
    _lib.freeaddrinfo(res)


@_export
def getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags):
    """int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags);"""
    c_addr, asize = sockaddr(addr, "getnameinfo", "addr", False)
    if addrlen > asize:
        raise too_big("getnameinfo", "addrlen", addrlen, "addr", asize)
    c_host, hsize = span(host, "getnameinfo", "host", True)
    if hostlen > hsize:
        raise too_big("getnameinfo", "hostlen", hostlen, "host", hsize)
    c_serv, ssize = span(serv, "getnameinfo", "serv", True)
    if servlen > ssize:
        raise too_big("getnameinfo", "servlen", servlen, "serv", ssize)
    return _lib.getnameinfo(c_addr, addrlen, c_host, hostlen, c_serv, servlen, flags)


# --- sys/select.h, poll.h, sys/epoll.h -----------------------------------------------------------

_FD_SET_P = _typeof("fd_set *")


def _fd_set(obj, func, arg, null_ok):
    if isinstance(obj, _CData) and (_typeof(obj) is _FD_SET_P or obj == _NULL):  # ffi.NULL is a 'void *'
        if obj == _NULL and not null_ok:
            raise ValueError(f"{func}: {arg} is NULL")
        return obj
    raise TypeError(f"{func}: {arg} must be an 'fd_set *' (ffi.new(\"fd_set *\")), not {type(obj).__name__}")


def _fd_index(fd, func):
    if not WINDOWS and not 0 <= fd < lib.FD_SETSIZE:  # glibc indexes the bit array with fd unchecked
        raise ValueError(f"{func}: fd ({fd}) is outside 0..FD_SETSIZE-1 ({lib.FD_SETSIZE - 1})")
    return fd


@_export
def select(nfds, readfds, writefds, exceptfds, timeout):
    """int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);"""
    if not WINDOWS and nfds > lib.FD_SETSIZE:  # the kernel would read and write nfds bits of each set
        raise too_big("select", "nfds", nfds, "an fd_set", lib.FD_SETSIZE)
    return _lib.select(nfds, _fd_set(readfds, "select", "readfds", True), _fd_set(writefds, "select", "writefds", True),
                       _fd_set(exceptfds, "select", "exceptfds", True), timeout)


@_export
def FD_ZERO(set):
    """void FD_ZERO(fd_set *set);"""
    _lib.FD_ZERO(_fd_set(set, "FD_ZERO", "set", False))


@_export
def FD_SET(fd, set):
    """void FD_SET(int fd, fd_set *set);"""
    _lib.FD_SET(_fd_index(fd, "FD_SET"), _fd_set(set, "FD_SET", "set", False))


@_export
def FD_CLR(fd, set):
    """void FD_CLR(int fd, fd_set *set);"""
    _lib.FD_CLR(_fd_index(fd, "FD_CLR"), _fd_set(set, "FD_CLR", "set", False))


@_export
def FD_ISSET(fd, set):
    """int FD_ISSET(int fd, fd_set *set);"""
    return _lib.FD_ISSET(_fd_index(fd, "FD_ISSET"), _fd_set(set, "FD_ISSET", "set", False))


def _count_of(array, ctype, func, arg):
    c, size = span(array, func, arg, True)
    if c != _NULL and _typeof(c).item is not _typeof(ctype):  # any 'T *', 'T[]' or 'T[N]'
        raise TypeError(f"{func}: {arg} must be '{ctype}' cdata, not '{_typeof(c).cname}'")
    return c, size // _sizeof(ctype)


@_export
def poll(fds, nfds, timeout):
    """int poll(struct pollfd *fds, nfds_t nfds, int timeout);"""
    c, count = _count_of(fds, "struct pollfd", "poll", "fds")
    if nfds > count:
        raise too_big("poll", "nfds", nfds, "fds (struct pollfd entries)", count)
    return _lib.poll(c, nfds, timeout)


@_export
def WSAPoll(fdArray, fds, timeout):
    """int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);"""
    c, count = _count_of(fdArray, "WSAPOLLFD", "WSAPoll", "fdArray")
    if fds > count:
        raise too_big("WSAPoll", "fds", fds, "fdArray (WSAPOLLFD entries)", count)
    return _lib.WSAPoll(c, fds, timeout)


@_export
def epoll_ctl(epfd, op, fd, event):
    """int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);"""
    c, count = _count_of(event, "struct epoll_event", "epoll_ctl", "event")
    if c != _NULL and count < 1:
        raise too_big("epoll_ctl", "1 event", 1, "event", count)
    return _lib.epoll_ctl(epfd, op, fd, c)


@_export
def epoll_wait(epfd, events, maxevents, timeout):
    """int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);"""
    c, count = _count_of(events, "struct epoll_event", "epoll_wait", "events")
    if maxevents > count:
        raise too_big("epoll_wait", "maxevents", maxevents, "events (struct epoll_event entries)", count)
    return _lib.epoll_wait(epfd, c, maxevents, timeout)


# --- fcntl.h -------------------------------------------------------------------------------------

_FCNTL_INT_ARG = {getattr(lib, n) for n in ("F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL") if hasattr(lib, n)}


@_export
def fcntl(fd, cmd, arg=0):
    """int fcntl(int fd, int cmd, ... /* int arg */);  only the commands that take an int."""
    if cmd not in _FCNTL_INT_ARG:
        raise ValueError(f"fcntl: cmd {cmd} is not one of F_GETFD, F_SETFD, F_GETFL, F_SETFL")
    if isinstance(arg, bool) or not isinstance(arg, int):
        raise TypeError(f"fcntl: arg must be an int, not {type(arg).__name__}")
    if not -(1 << 31) <= arg < (1 << 31):
        raise OverflowError(f"fcntl: arg ({arg}) does not fit 'int'")
    return _lib.fcntl(fd, cmd, ffi.cast("int", arg))


# --- signal.h ------------------------------------------------------------------------------------

@_export
def signal(signum, handler):
    """sighandler_t signal(int signum, sighandler_t handler);  handler: SIG_DFL or SIG_IGN only."""
    if not isinstance(handler, _CData) or handler not in (lib.SIG_DFL, lib.SIG_IGN):
        raise TypeError("signal: handler must be SIG_DFL or SIG_IGN (a Python handler cannot run in a C signal handler)")
    old = _lib.signal(signum, lib.SIG_DFL if handler == lib.SIG_DFL else lib.SIG_IGN)
    return ffi.cast("void *", old)  # the previous handler, never callable: calling SIG_IGN would crash


# --- stdio.h, string.h, stdlib.h -----------------------------------------------------------------

_bytes_formats = {}  # bytes format -> (its converters, its fixed-argument call or None), once c_string accepted it
# printf's fixed-argument helpers of the binding (libc's printf, without libffi's variadic call), by argument type.
_FIXED_PRINTF = {c_arg: getattr(lib, name) for c_arg, name in (("void *", "csock_printf_p"), ("int", "csock_printf_i"))
                 if hasattr(lib, name)}
_printf_p = _FIXED_PRINTF.get("void *")
_string_formats = set()  # bytes formats of exactly one %s, once c_string accepted them (only with csock_printf_p)


def _fixed_printf(convs):
    """The binding's printf of one fixed argument that serves these converters, or None (the variadic call)."""
    if not convs:  # no argument: the pointer helper, given NULL, which the format never reads
        return _FIXED_PRINTF.get("void *")
    if len(convs) == 1:
        return _FIXED_PRINTF.get(getattr(convs[0], "c_arg", None))
    return None


@_export
def printf(format, *args):
    """int printf(const char *format, ...);  each argument is checked against its conversion."""
    if (type(format) is bytes and format in _string_formats and len(args) == 1 and type(args[0]) is _CAST
            and _typeof(args[0]) in CHAR_POINTERS):  # "...%s..." given a char * from C (inet_ntoa): as is
        return _printf_p(format, args[0])  # what the general path below passes, in fewer steps
    parsed = _bytes_formats.get(format) if type(format) is bytes else None
    if parsed is None:
        fmt = c_string(format, "printf", "format")
        convs = converters(fmt if isinstance(fmt, bytes) else bytes(ffi.string(fmt)))  # c_string gave bytes or cdata
        fixed = _fixed_printf(convs)
        if type(format) is bytes:
            _bytes_formats[format] = (convs, fixed)
            if fixed is not None and convs == (_checked_string,):
                _string_formats.add(format)
    else:  # a bytes format c_string passed before: bytes never change
        fmt = format
        convs, fixed = parsed
    if len(args) != len(convs):
        raise TypeError(f"printf: the format takes {len(convs)} argument(s), {len(args)} given")
    if fixed is not None:  # the book's printf calls: one argument or none, no libffi
        if not args:
            return fixed(fmt, _NULL)
        return fixed(fmt, convs[0](args[0], 2))
    if len(args) == 1:
        return _c_printf(fmt, convs[0](args[0], 2))
    c_args = []  # a loop, not a comprehension: one frame less per call
    i = 2
    for conv, arg in zip(convs, args):
        c_args.append(conv(arg, i))
        i += 1
    return _c_printf(fmt, *c_args)


@_export
def perror(s):
    """void perror(const char *s);"""
    _lib.perror(c_string(s, "perror", "s", null_ok=True))


@_export
def atoi(nptr):
    """int atoi(const char *nptr);"""
    return _lib.atoi(c_string(nptr, "atoi", "nptr"))


@_export
def strlen(s):
    """size_t strlen(const char *s);"""
    return _lib.strlen(c_string(s, "strlen", "s"))


@_export_hot
def memset(s, c, n):
    """void *memset(void *s, int c, size_t n);"""
    try:
        known_buf, known_size = _known_array
        if s is known_buf and n <= known_size:  # the owning byte array of the last call: length known
            return _c_memset(s, c, n)
        return _c_memset(_buffer(s, n, "memset", "s", "n", True), c, n)
    except _CALL_ERRORS as e:
        error = argument_error("memset", ("s", "c", "n"), (s, c, n), e)
    try:
        raise error.with_traceback(None)
    finally:
        error = None


@_export
def memchr(s, c, n):
    """void *memchr(const void *s, int c, size_t n);"""
    buf, size = span(s, "memchr", "s", False)
    if n > size:
        raise too_big("memchr", "n", n, "s", size)
    return _lib.memchr(buf, c, n)


@_export
def bzero(s, n):
    """void bzero(void *s, size_t n);"""
    buf, size = span(s, "bzero", "s", True)
    if n > size:
        raise too_big("bzero", "n", n, "s", size)
    _lib.bzero(buf, n)


@_export
def ZeroMemory(Destination, Length):
    """void ZeroMemory(PVOID Destination, SIZE_T Length);"""
    buf, size = span(Destination, "ZeroMemory", "Destination", True)
    if Length > size:
        raise too_big("ZeroMemory", "Length", Length, "Destination", size)
    _lib.ZeroMemory(buf, Length)


# --- winsock2.h: ioctlsocket ---------------------------------------------------------------------

@_export
def ioctlsocket(s, cmd, argp):
    """int ioctlsocket(SOCKET s, long cmd, u_long *argp);  argp: a u_long that C reads or writes."""
    c, size = span(argp, "ioctlsocket", "argp", True)
    if c == _NULL:
        raise ValueError("ioctlsocket: argp is NULL")
    if size < _sizeof("u_long"):
        raise too_big("ioctlsocket", "sizeof(u_long)", _sizeof("u_long"), "argp", size)
    return _lib.ioctlsocket(s, cmd, ffi.cast("u_long *", c))


# --- every other function of lib: called unchanged, a cffi conversion error names the argument --------

_RAW_PARAMS = {
    "socket": "domain type protocol", "listen": "sockfd backlog", "shutdown": "sockfd how", "close": "fd",
    "htons": "hostshort", "htonl": "hostlong", "ntohs": "netshort", "ntohl": "netlong", "inet_ntoa": "in",
    "strerror": "errnum", "gai_strerror": "errcode", "fflush": "stream", "exit": "status", "getchar": "",
    "epoll_create": "size", "epoll_create1": "flags", "csock_h_errno": "",
    "closesocket": "s", "WSAStartup": "wVersionRequested lpWSAData", "WSACleanup": "", "WSAGetLastError": "",
}

for _name in dir(lib):
    _raw = getattr(_lib, _name)
    if _name in __all__ or _name.startswith("csock_") or isinstance(_raw, _CData) or not callable(_raw):
        continue  # checked above, csock's own helper, or a constant
    _arity = len(_typeof(_raw).args)
    _params = _RAW_PARAMS[_name].split() if _name in _RAW_PARAMS else [f"argument {i + 1}" for i in range(_arity)]
    globals()[_name] = with_named_errors(_raw, _name, _params)
    __all__.append(_name)

# The handlers as 'void *': a function pointer cdata is callable from Python, and calling SIG_IGN (address 1)
# or SIG_ERR (-1) jumps there and kills the interpreter. signal() compares them by address.
for _name in ("SIG_DFL", "SIG_IGN", "SIG_ERR"):
    if hasattr(lib, _name):
        globals()[_name] = ffi.cast("void *", getattr(lib, _name))
        __all__.append(_name)

# The Windows family programs' calls (issue 14), replacing the raw ones of the same name: csock/_checked_win32_family.py.
from ._checked_win32_family import *  # noqa: E402,F401,F403
from ._checked_win32_family import __all__ as _win32_family; __all__ += [n for n in _win32_family if n not in __all__]  # noqa: E402,E702

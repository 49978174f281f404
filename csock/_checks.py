"""How many bytes lie behind an argument, so that a count larger than its buffer never reaches C."""
from keyword import iskeyword

from ._csock import ffi, lib

_CData = ffi.CData
_typeof = ffi.typeof
_sizeof = ffi.sizeof
_cast = ffi.cast
_from_buffer = ffi.from_buffer
_NULL = ffi.NULL

SOCKADDR_P = _typeof("struct sockaddr *")


def _subclasses(cls):
    return {cls}.union(*(_subclasses(sub) for sub in cls.__subclasses__()))


# The Python classes of cdata objects: `type(x) in CDATA_TYPES` costs half of isinstance(x, ffi.CData).
CDATA_TYPES = frozenset(_subclasses(_CData))
ARRAY_TYPES = set()  # the array ctypes span() has seen: a buffer of one of these needs only _sizeof
CHAR_POINTERS = {_typeof(f"{char} *") for char in ("char", "signed char", "unsigned char")}
_OWNED = type(ffi.new("char[1]"))  # the class of what ffi.new returns: its size is its type's, exactly
# PyPy gives every cdata object the same class; there only cffi's repr ("... owning 16 bytes>") tells ffi.new's apart.
_OWNED_BY_CLASS = _OWNED is not type(_cast("char *", 0))


def owned(obj):
    """Whether obj came from ffi.new (so its type's size is exactly what it holds), on CPython and PyPy."""
    if _OWNED_BY_CLASS:
        return type(obj) is _OWNED
    return isinstance(obj, _CData) and repr(obj).rsplit("'", 1)[-1].startswith(" owning ")

# Every struct that C code passes as a `struct sockaddr *` after a cast.
_SOCKADDR_NAMES = ["sockaddr", "sockaddr_in", "sockaddr_in6", "sockaddr_storage"]
if hasattr(lib, "AF_UNIX") and not hasattr(lib, "WSAStartup"):
    _SOCKADDR_NAMES.append("sockaddr_un")
_SOCKADDR_PTRS = {_typeof(f"struct {name} *"): _sizeof(f"struct {name}") for name in _SOCKADDR_NAMES}

# What an address of each family occupies: how csock reads a `struct sockaddr *` of unknown origin.
FAMILY_SIZE = {lib.AF_INET: _sizeof("struct sockaddr_in"), lib.AF_INET6: _sizeof("struct sockaddr_in6")}
if "sockaddr_un" in _SOCKADDR_NAMES:
    FAMILY_SIZE[lib.AF_UNIX] = _sizeof("struct sockaddr_un")

_pointee_size = {}  # pointer ctype -> bytes it points to (0: void, function or opaque)


def _pointee(ct):
    size = _pointee_size.get(ct)
    if size is None:
        try:
            size = _sizeof(ct.item)
        except (ffi.error, TypeError):  # void *, opaque or function pointer: nothing known behind it
            size = 0
        _pointee_size[ct] = size
    return size


_kinds = {}  # ctype -> ct.kind; asking cffi costs more than any check here, and a type's kind never changes


def kind(ct):
    """ct.kind, looked up once per C type."""
    k = _kinds.get(ct)
    if k is None:
        k = _kinds[ct] = ct.kind
    return k


_behind = {}  # pointer ctype -> bytes it points to; array ctype -> -1 (an array's size is its own)


def _classify(obj, func, arg):
    ct = _typeof(obj)
    if ct.kind == "array":
        _behind[ct] = -1
        ARRAY_TYPES.add(ct)
    elif ct.kind == "pointer":
        _behind[ct] = _pointee(ct)
    else:
        raise TypeError(f"{func}: {arg} must be a pointer or an array, not {_describe(obj)}")
    return _behind[ct]


def _describe(obj):
    if isinstance(obj, _CData):
        return f"cdata '{_typeof(obj).cname}'"
    return type(obj).__name__


def span(obj, func, arg, writable):
    """(value to pass to C, bytes C may touch through it) for a buffer argument.

    Arrays (ffi.new, slices, ffi.from_buffer) know their length; a pointer is trusted for the size
    of what its type points to; bytes is read-only; bytearray and memoryview are passed in place.
    """
    if type(obj) in CDATA_TYPES or isinstance(obj, _CData):
        behind = _behind.get(_typeof(obj))  # ct.kind costs more than the rest of this check: looked up once per type
        if behind is None:
            behind = _classify(obj, func, arg)
        if behind < 0:  # an array: it knows its length
            return obj, _sizeof(obj)
        return obj, (behind if obj else 0)  # a pointer: false only when NULL
    if isinstance(obj, bytes):
        if writable:
            raise TypeError(f"{func}: {arg} must be writable (a cdata array or a bytearray), not bytes")
        return obj, len(obj)
    if isinstance(obj, (bytearray, memoryview)):
        try:
            c = _from_buffer(obj, require_writable=writable)
        except (TypeError, BufferError) as e:  # BufferError: a read-only memoryview where C writes
            raise TypeError(f"{func}: {arg}: {e}") from None
        return c, len(c)
    raise TypeError(f"{func}: {arg} must be a cdata buffer, bytes or bytearray, not {_describe(obj)}")


def too_big(func, count_name, count, arg, nbytes):
    return ValueError(f"{func}: {count_name} ({count}) is larger than {arg} ({nbytes} bytes)")


def sockaddr(obj, func, arg, writable):
    """(struct sockaddr * to pass, bytes behind it) for an address argument; NULL gives (NULL, 0).

    A pointer to any sockaddr_* struct is accepted as C accepts it after a cast. A `struct sockaddr *`
    that csock did not allocate is read for the size its sa_family needs (what the kernel reads), and
    written for no more than sizeof(struct sockaddr): pass the owning sockaddr_in6 / sockaddr_storage
    to receive larger addresses.
    """
    if obj is None:
        raise TypeError(f"{func}: {arg} must be a struct sockaddr pointer or ffi.NULL, not None")
    if type(obj) not in CDATA_TYPES and not isinstance(obj, _CData):
        raise TypeError(f"{func}: {arg} must be a struct sockaddr pointer, not {_describe(obj)}")
    ct = _typeof(obj)
    size = _SOCKADDR_PTRS.get(ct)
    if size is not None:  # a pointer: false only when NULL
        if not obj:
            return _NULL, 0
        if ct is SOCKADDR_P:
            # ffi.new("struct sockaddr *") holds 16 bytes, whatever family it claims
            if not writable and not owned(obj):
                size = max(size, FAMILY_SIZE.get(obj.sa_family, 0))
            return obj, size
        return _cast(SOCKADDR_P, obj), size
    if obj == _NULL:
        return _NULL, 0
    if ct.kind == "array" or ct.kind == "pointer":  # raw storage, e.g. char[128] or uint8_t *
        c, size = span(obj, func, arg, writable)
        return _cast(SOCKADDR_P, c), size
    raise TypeError(f"{func}: {arg} must be a struct sockaddr pointer, not {_describe(obj)}")


def c_string(obj, func, arg, null_ok=False):
    """A NUL-terminated char * for C to read: bytes, or a char array holding a NUL, or a char pointer."""
    if isinstance(obj, bytes):
        if 0 in obj:  # a NUL inside: C would read "host\0.evil" as "host" (`0 in`: 10x faster than b"\0" in)
            raise ValueError(f"{func}: {arg} contains a NUL byte at index {obj.index(0)}")
        return obj
    if type(obj) in CDATA_TYPES or isinstance(obj, _CData):
        ct = _typeof(obj)
        if ct in CHAR_POINTERS:  # a char * from C (inet_ntoa, strerror...): C vouches for its NUL
            if obj or null_ok:  # a pointer: false only when NULL
                return obj
            raise ValueError(f"{func}: {arg} is NULL")
        if obj == _NULL:
            if null_ok:
                return obj
            raise ValueError(f"{func}: {arg} is NULL")
        if ct.kind == "array":
            if ct.item.cname not in ("char", "signed char", "unsigned char"):
                raise TypeError(f"{func}: {arg} must be a char array, not {ct.cname}")
            if len(ffi.string(obj)) == len(obj):
                raise ValueError(f"{func}: {arg} has no terminating NUL within its {len(obj)} bytes")
            return obj
        if ct.kind == "pointer" and ct.item.cname in ("char", "signed char", "unsigned char"):
            return obj  # a char * from C (inet_ntoa, strerror...): C vouches for its NUL
    if isinstance(obj, str):
        raise TypeError(f"{func}: {arg} must be bytes, not str (encode it: {obj[:20]!r}.encode())")
    raise TypeError(f"{func}: {arg} must be bytes or a char cdata, not {_describe(obj)}")


# --- naming the argument behind a cffi conversion error --------------------------------------------

def _conversion_error(ct, value):
    """(exception class, message) of what cffi raises for `value` where C takes the type ct, or None if it accepts it.

    Never the exception itself: it would keep a frame cycle (and a memoryview in it) alive until the next GC.
    """
    if value is None:  # ffi.new would read None as "zero-initialised"; a call refuses it
        return TypeError, f"expected '{ct.cname}', not None"
    try:
        if ct.kind == "pointer":
            if isinstance(value, (bytes, bytearray, memoryview)) and ct.item.kind in ("primitive", "void"):
                return None  # a buffer: span() passed it, or refused it with its own message
            if ct is SOCKADDR_P and isinstance(value, _CData) and _typeof(value).kind in ("pointer", "array"):
                return None  # an address: sockaddr() cast it, or refused it with its own message
            ffi.new(ffi.getctype(ct, "[]"), [value])
        else:  # int, float, enum, a struct by value
            ffi.new(ffi.getctype(ct, "*"), value)
    except (TypeError, OverflowError, ValueError) as e:
        return type(e), str(e)
    return None


def argument_error(func, params, args, exc):
    """exc (a TypeError, OverflowError or ValueError from cffi), raised again with the argument it is about.

    Runs only after a call failed: integer parameters first, then pointers, where what csock converts itself
    (a buffer for span, an address for sockaddr) counts as accepted.
    """
    if str(exc).startswith(func + ":"):  # a message of csock's own, that names the argument already
        return exc
    c_types = _typeof(getattr(lib, func)).args if hasattr(lib, func) else ()
    triples = list(zip(params, args, c_types))
    ordered = [t for t in triples if t[2].kind != "pointer"] + [t for t in triples if t[2].kind == "pointer"]
    for name, value, ct in ordered:
        problem = _conversion_error(ct, value)
        if problem is not None:
            return problem[0](f"{func}: {name} ({ct.cname}): {problem[1]}")
    return type(exc)(f"{func}: {exc}")


# The error leaves without the traceback of csock's inner frames: one of them may hold the ffi.from_buffer
# of a memoryview, and a cycle holding both crashes the garbage collector of CPython < 3.12 (gh-77894).
# `error = None` breaks the cycle frame -> error -> traceback -> frame.
_TEMPLATE = """
def {name}({signature}):
    try:
        return _f({call})
    except (TypeError, OverflowError, ValueError) as e:
        error = _argument_error({name!r}, _params, ({call}{comma}), e)
    try:
        raise error.with_traceback(None)
    finally:
        error = None
"""


def with_named_errors(f, name, params, signature=None):
    """f with the same arguments, whose cffi TypeError / OverflowError names the function and the argument.

    One Python frame more per call; the check itself runs only when the call already failed.
    """
    names = [p if p.isidentifier() and not iskeyword(p) else p + "_" if p.isidentifier() else f"a{i}"
             for i, p in enumerate(params)]  # inet_ntoa's `in` becomes in_, "argument 1" a0
    call = ", ".join(names)
    namespace = {"_f": f, "_argument_error": argument_error, "_params": tuple(params)}
    exec(_TEMPLATE.format(name=name, signature=signature or call, call=call, comma="," if params else ""), namespace)
    wrapper = namespace[name]
    wrapper.__doc__ = f.__doc__
    wrapper.__module__ = "csock"
    return wrapper

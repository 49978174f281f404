"""The checks of csock's calls: each argument converted once, then measured, before C sees it.

What C gets is what was checked: an integer goes through operator.index() once and the exact int is passed on; a
buffer is measured by what cffi knows of it (an array's length, a pointer's pointee) and refused where C would write
into read-only memory. A `ffi.from_buffer` that csock makes is released right after the call (see release()).
Nothing here keeps an argument: the only tables are bounded and keyed by C types or by addresses getaddrinfo gave.
"""
import gc
import weakref
from operator import index as _index

import _cffi_backend  # type: ignore[import-untyped]  # cffi ships no type stubs

from ._csock import ffi, lib

CData = ffi.CData
typeof = ffi.typeof
sizeof = ffi.sizeof
cast = ffi.cast
NULL = ffi.NULL
_from_buffer = ffi.from_buffer
_release = ffi.release  # the view of an ffi.from_buffer, given back at once
_get_referents = gc.get_referents
# ffi.typeof of a cdata, and a TypeError for anything else (where ffi.typeof would parse a str): the cheaper call.
ctype_of = _cffi_backend.typeof

SOCKADDR_P = typeof("struct sockaddr *")
CHAR_POINTERS = frozenset(typeof(f"{char} *") for char in ("char", "signed char", "unsigned char"))
BYTE_ARRAYS = frozenset(typeof(f"{char}[]") for char in ("char", "signed char", "unsigned char"))
_BYTE_ITEMS = frozenset(typeof(char) for char in ("char", "signed char", "unsigned char"))


def _subclasses(cls):
    return {cls}.union(*(_subclasses(sub) for sub in cls.__subclasses__()))


# The Python classes of cdata objects: `type(x) in CDATA_TYPES` is a cheaper isinstance(x, ffi.CData).
CDATA_TYPES = frozenset(_subclasses(CData))

# What ffi.new returns, when its Python class tells it apart from every other cdata (CPython's cffi; on PyPy every
# cdata has one class and OWNING is None): an owning array or pointer, writable, exactly its type's size.
_owned, _viewed, _pointer = ffi.new("char[]", 1), ffi.from_buffer(bytearray(1)), cast("char *", 0)
OWNING = type(_owned) if type(_owned) not in {type(_viewed), type(_pointer), type(_owned[0:1])} else None
del _owned, _viewed, _pointer

# Every struct that C code passes as a `struct sockaddr *` after a cast, and its size.
_SOCKADDR_NAMES = ["sockaddr", "sockaddr_in", "sockaddr_in6", "sockaddr_storage"]
if hasattr(lib, "AF_UNIX") and not hasattr(lib, "WSAStartup"):
    _SOCKADDR_NAMES.append("sockaddr_un")
SOCKADDR_SIZES = {typeof(f"struct {name} *"): sizeof(f"struct {name}") for name in _SOCKADDR_NAMES}
SOCKADDR_ARRAYS = {typeof(f"struct {name}[]"): sizeof(f"struct {name}") for name in _SOCKADDR_NAMES}


class Bounded(dict):
    """A dict of facts about C types that forgets everything once it holds `limit` entries (no unbounded cache)."""

    def __init__(self, limit=256):
        super().__init__()
        self.limit = limit

    def remember(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_kinds = Bounded()


def kind(ct):
    """ct.kind, looked up once per C type (asking cffi costs more than the checks that use it)."""
    k = _kinds.get(ct)
    return k if k is not None else _kinds.remember(ct, ct.kind)


_pointees = Bounded()


def pointee_size(ct):
    """Bytes a pointer of type ct is trusted for: its item's size; 0 for void *, opaque and function pointers."""
    size = _pointees.get(ct)
    if size is None:
        try:
            size = sizeof(ct.item)
        except (ffi.error, TypeError, AttributeError):  # void *, an opaque struct, a function pointer
            size = 0
        _pointees.remember(ct, size)
    return size


def describe(obj):
    if isinstance(obj, CData):
        return f"cdata '{typeof(obj).cname}'"
    return type(obj).__name__


# --- integers ----------------------------------------------------------------------------------------

def integer(value, func, arg):
    """value as an exact int, converted once (operator.index): what the check sees is what C gets.

    An int subclass or an object with __index__ is asked once, here, before any check; the exact int is passed on,
    so cffi runs no user code during the call. A float, str or None is refused (TypeError), as cffi refuses them.
    """
    if type(value) is int:
        return value
    try:
        number = _index(value)
    except TypeError:
        raise TypeError(f"{func}: {arg} must be an integer, not {describe(value)}") from None
    return number if type(number) is int else int.__index__(number)  # an int subclass's __index__ may give itself


def too_big(func, count_name, count, arg, nbytes):
    return ValueError(f"{func}: {count_name} ({count}) is larger than {arg} ({nbytes} bytes)")


# --- buffers -----------------------------------------------------------------------------------------

def is_read_only_view(obj, depth=2):
    """Whether cdata obj shows the memory of a read-only Python object (ffi.from_buffer of bytes, of a read-only
    memoryview or mmap...), maybe through ffi.gc. cffi tells it nowhere but in the object the cdata keeps alive:
    gc.get_referents gives it (CPython: [object]; PyPy: [ctype, object]; ffi.gc: [destructor, cdata])."""
    for ref in _get_referents(obj):
        if type(ref) is bytes:
            return True
        if type(ref) in CDATA_TYPES or isinstance(ref, CData):
            if depth > 1 and is_read_only_view(ref, depth - 1):
                return True
        elif not isinstance(ref, ffi.CType) and not callable(ref):
            try:
                with memoryview(ref) as view:
                    if view.readonly:
                        return True
            except (TypeError, ValueError, BufferError):  # no buffer: not what the cdata shows
                pass
    return False


def array_length(obj):
    """len(obj) for a cdata array, or -1 if unknown: PyPy's ffi.gc of an array forgets its length (the array it
    wraps, which gc.get_referents gives, still knows it)."""
    try:
        return len(obj)
    except ValueError:
        ct = typeof(obj)
        for ref in _get_referents(obj):
            if (type(ref) in CDATA_TYPES or isinstance(ref, CData)) and typeof(ref) is ct:
                return len(ref)
        return -1


def pointer_bytes(obj, size, depth=2):
    """size, the bytes pointer obj is trusted for, or fewer where obj is an ffi.from_buffer("T *", x) (maybe under
    ffi.gc) of an x shorter than a T: cffi makes that pointer whatever x's size, and C would reach past x's end."""
    for ref in _get_referents(obj):
        if type(ref) in CDATA_TYPES or isinstance(ref, CData):
            if depth > 1:
                size = pointer_bytes(ref, size, depth - 1)
        elif not isinstance(ref, ffi.CType) and not callable(ref):
            try:
                with memoryview(ref) as view:
                    size = min(size, view.nbytes)
            except (TypeError, ValueError, BufferError):  # no buffer: not what the cdata shows
                pass
    return size


def is_plain_pointer(obj):
    """Whether cdata obj is a plain one (ffi.cast, C's result, pointer arithmetic, a slice), which keeps no Python
    object alive, so views none: not ffi.new, ffi.from_buffer, ffi.gc. PyPy gives all one class; cffi refuses `with`
    (ffi.release) on exactly the plain ones, with a ValueError, and entering any other does nothing before the exit.
    A call the JIT sees through, where gc.get_referents is not."""
    try:
        obj.__enter__()
    except ValueError:
        return True
    return False


def refuse_read_only(obj, func, arg):
    """TypeError if cdata obj shows read-only memory, where C is about to write through it."""
    if is_read_only_view(obj):
        raise TypeError(f"{func}: {arg} shows read-only memory: C would write into it")


def _dead():
    return None


# The last cdata array that buffer() found writable, as (a weak reference to it, its size in bytes): the server loop
# passes the same array to memset, read and write every time, and `ref() is buf` is a cheap check. A weak reference
# keeps nothing of the caller's alive; (reference, size), rebound whole and read whole by one unpacking, so that threads
# read it consistently.
KNOWN_WRITABLE = (_dead, -1)
# The namespaces (globals()) of the modules that read KNOWN_WRITABLE as a global of their own, rebound with it here: on PyPy a global is one field
# read where a list's unpacking is eight JIT operations; on CPython a global of the same module is the cheapest read.
KNOWN_WRITABLE_READERS: list = []


def remember_writable(obj, size):
    global KNOWN_WRITABLE
    try:
        known = (weakref.ref(obj), size)
    except TypeError:  # a cdata that takes no weak reference: not remembered
        return
    KNOWN_WRITABLE = known
    for namespace in KNOWN_WRITABLE_READERS:
        namespace["KNOWN_WRITABLE"] = known


def buffer(obj, func, arg, writable):
    """(value to pass to C, bytes C may touch through it) for a `void *` / `char *` buffer argument.

    A cdata array knows its length; a pointer is trusted for the size its type points to (ffi.cast and pointer
    arithmetic are the caller's word, as in C); bytes is read-only; a bytearray or memoryview is passed in place
    through an ffi.from_buffer that the caller must release() after the call. Where C writes, a read-only buffer is
    refused (TypeError).
    """
    if type(obj) in CDATA_TYPES or isinstance(obj, CData):
        ct = typeof(obj)
        k = kind(ct)
        if k == "array":
            size = array_length(obj) * sizeof(ct.item)
            if size < 0:
                raise TypeError(f"{func}: {arg} is an array of unknown length (pass the array itself, not ffi.gc of it)")
            if OWNING is type(obj) or (writable and not is_read_only_view(obj)):
                remember_writable(obj, size)
            elif writable:
                raise TypeError(f"{func}: {arg} shows read-only memory (ffi.from_buffer of a read-only object): "
                                "C would write into it")
            return obj, size
        if k == "pointer":
            if writable and obj:  # ffi.from_buffer("T *", bytes)
                refuse_read_only(obj, func, arg)
            return obj, (pointer_bytes(obj, pointee_size(ct)) if obj else 0)  # a pointer is false only when NULL
        raise TypeError(f"{func}: {arg} must be a pointer or an array, not {describe(obj)}")
    if isinstance(obj, bytes):
        if writable:
            raise TypeError(f"{func}: {arg} must be writable (a cdata array or a bytearray), not bytes")
        return obj, len(obj)
    if isinstance(obj, str) or obj is None:
        raise TypeError(f"{func}: {arg} must be a cdata buffer, bytes or bytearray, not {describe(obj)}")
    # Any other object with the buffer protocol (bytearray, memoryview, mmap, array.array...) is viewed in place. Its
    # size is taken first, so that the view is never in a local of this frame: made, it goes straight to the caller.
    if type(obj) is bytearray:
        size = len(obj)
    else:
        try:
            with memoryview(obj) as view:
                size = view.nbytes
        except TypeError:
            raise TypeError(f"{func}: {arg} must be a cdata buffer, bytes or bytearray, not {describe(obj)}") from None
    try:
        return _from_buffer(obj, require_writable=writable), size
    except (TypeError, BufferError, ValueError) as e:  # read-only where C writes; not contiguous
        raise TypeError(f"{func}: {arg}: {e}") from None


# What the caller of buffer() does right after its C call, in a `finally:` and inline (a call of release alone, so
# that no Python code runs first where a signal handler could raise): `if c is not buf: release(c)`. Released, the
# ffi.from_buffer holds no view of buf: if an exception (any type: a signal handler raises anything) keeps csock's
# frame in a traceback cycle, the collector of CPython < 3.12 finds no buffer view there to crash on (gh-77894).
release = _release


def counted(obj, ct_item, func, arg, writable):
    """(obj, number of ct_item structs C may touch through it) for a struct array argument (struct pollfd *...).

    Only that struct's own pointer or array type: a pointer (ffi.new("T *"), or cast) counts 1, an array its length,
    NULL 0. Anything else (a bytearray, char[]: cffi 1.x would pass a char * with a warning) is a TypeError.
    """
    if type(obj) in CDATA_TYPES or isinstance(obj, CData):
        ct = typeof(obj)
        k = kind(ct)
        if k == "array" and ct.item is ct_item:
            if writable and OWNING is not type(obj):
                refuse_read_only(obj, func, arg)
            n = array_length(obj)
            if n < 0:
                raise TypeError(f"{func}: {arg} is an array of unknown length (pass the array itself, not ffi.gc of it)")
            return obj, n
        if k == "pointer" and (ct.item is ct_item or obj == NULL):
            if writable and obj:  # ffi.from_buffer("T *", bytes)
                refuse_read_only(obj, func, arg)
            if obj and (shown := pointer_bytes(obj, sizeof(ct_item))) < sizeof(ct_item):  # from_buffer("T *", short)
                raise ValueError(f"{func}: {arg} shows {shown} bytes: C reads or "
                                 f"writes one '{ct_item.cname}' ({sizeof(ct_item)} bytes) through it")
            return obj, (1 if obj else 0)
    raise TypeError(f"{func}: {arg} must be '{ct_item.cname} *' or '{ct_item.cname}[]' cdata, not {describe(obj)}")


def struct_pointer(obj, ct_item, func, arg, writable, null_ok):
    """obj, checked to be a pointer to (or a non-empty array of) ct_item, or NULL where null_ok."""
    c, count = counted(obj, ct_item, func, arg, writable)
    if count == 0:
        if c == NULL:
            if null_ok:
                return c
            raise ValueError(f"{func}: {arg} is NULL")
        raise ValueError(f"{func}: {arg} is an empty array: C reads or writes one '{ct_item.cname}' through it")
    return c


# --- addresses ---------------------------------------------------------------------------------------

# The address and length of every ai_addr of the getaddrinfo lists not yet freed: the one `struct sockaddr *` whose
# size csock knows beyond its type. Ints only (nothing of the caller's is kept); bounded by the lists alive.
_addrinfo_lists: "dict[int, list[tuple[int, int]]]" = {}  # list address -> [(ai_addr address, ai_addrlen)]
_addrinfo_addresses: "dict[int, int]" = {}  # ai_addr address -> ai_addrlen


def address_of(c):
    return int(cast("uintptr_t", c))


def remember_addrinfo(first):
    entries = []
    node = first
    while node != NULL:
        if node.ai_addr != NULL:
            entries.append((address_of(node.ai_addr), int(node.ai_addrlen)))
        node = node.ai_next
    _addrinfo_lists[address_of(first)] = entries
    _addrinfo_addresses.update(entries)


def is_live_addrinfo(res):
    return address_of(res) in _addrinfo_lists


def forget_addrinfo(res):
    for addr, _ in _addrinfo_lists.pop(address_of(res), ()):
        _addrinfo_addresses.pop(addr, None)


def sockaddr(obj, func, arg, writable):
    """(struct sockaddr * to pass, bytes behind it) for an address argument; NULL gives (NULL, 0).

    A pointer to any sockaddr_* struct is taken as C takes it after a cast, for the size of its struct. A
    `struct sockaddr *` counts sizeof(struct sockaddr) whatever family it claims (it may be a cast of anything),
    unless it is an ai_addr of a live getaddrinfo list: then ai_addrlen. Arrays of bytes or of sockaddr structs
    count their size, like any buffer.
    """
    if type(obj) not in CDATA_TYPES and not isinstance(obj, CData):
        raise TypeError(f"{func}: {arg} must be a struct sockaddr pointer or ffi.NULL, not {describe(obj)}")
    ct = typeof(obj)
    size = SOCKADDR_SIZES.get(ct)
    if size is not None:
        if not obj:  # a pointer is false only when NULL
            return NULL, 0
        if writable:  # ffi.from_buffer("struct sockaddr *", bytes)
            refuse_read_only(obj, func, arg)
        size = pointer_bytes(obj, size)  # ffi.from_buffer("struct sockaddr *", bytearray(1))
        if ct is SOCKADDR_P:
            if not writable and _addrinfo_addresses:
                size = max(size, _addrinfo_addresses.get(address_of(obj), 0))
            return obj, size
        return cast(SOCKADDR_P, obj), size
    if obj == NULL:
        return NULL, 0
    k = kind(ct)
    if k == "array" and (ct.item is typeof("struct sockaddr") or typeof(ffi.getctype(ct.item, "[]")) in SOCKADDR_ARRAYS
                         or ct.item in _BYTE_ITEMS):
        c, size = buffer(obj, func, arg, writable)
        return cast(SOCKADDR_P, c), size
    if k == "pointer" and ct.item in _BYTE_ITEMS:  # raw storage, e.g. uint8_t *: trusted for its 1 byte
        if writable:
            refuse_read_only(obj, func, arg)
        return cast(SOCKADDR_P, obj), pointer_bytes(obj, 1)
    raise TypeError(f"{func}: {arg} must be a struct sockaddr pointer, not {describe(obj)}")


# --- strings -----------------------------------------------------------------------------------------

def c_string(obj, func, arg, null_ok=False):
    """A NUL-terminated char * for C to read: bytes, or a char array holding a NUL, or a char pointer."""
    if type(obj) is bytes:
        if 0 in obj:  # a NUL inside: C would read "host\0.evil" as "host" (`0 in`: 10x faster than b"\0" in)
            raise ValueError(f"{func}: {arg} contains a NUL byte at index {obj.index(0)}")
        return obj
    if type(obj) in CDATA_TYPES or isinstance(obj, CData):
        ct = typeof(obj)
        if ct in CHAR_POINTERS:  # a char * from C (inet_ntoa, strerror...): C vouches for its NUL
            if obj or null_ok:  # a pointer: false only when NULL
                return obj
            raise ValueError(f"{func}: {arg} is NULL")
        if obj == NULL:
            if null_ok:
                return obj
            raise ValueError(f"{func}: {arg} is NULL")
        if kind(ct) == "array":
            if ct.item not in _BYTE_ITEMS:
                raise TypeError(f"{func}: {arg} must be a char array, not {ct.cname}")
            n = array_length(obj)
            if n < 0:
                raise TypeError(f"{func}: {arg} is an array of unknown length (pass the array itself, not ffi.gc of it)")
            if n == 0 or len(ffi.string(obj, n)) == n:  # no NUL within the array
                raise ValueError(f"{func}: {arg} has no terminating NUL within its {n} bytes")
            return obj
        if kind(ct) == "pointer" and ct.item in _BYTE_ITEMS:
            return obj  # a char * from C: C vouches for its NUL
    if isinstance(obj, bytes):  # a bytes subclass: its bytes, copied once (no method of its own runs after)
        return c_string(bytes(obj), func, arg, null_ok)
    if isinstance(obj, str):
        raise TypeError(f"{func}: {arg} must be bytes, not str (encode it: {obj[:20]!r}.encode())")
    raise TypeError(f"{func}: {arg} must be bytes or a char cdata, not {describe(obj)}")


# --- naming the argument behind a cffi conversion error --------------------------------------------

CALL_ERRORS = (TypeError, OverflowError, ValueError)


def _conversion_error(ct, value):
    """(exception class, message) of what cffi raises for `value` where C takes the type ct, or None if it accepts it.

    Never the exception itself: its traceback would keep this frame alive.
    """
    if value is None:  # ffi.new would read None as "zero-initialised"; a call refuses it
        return TypeError, f"expected '{ct.cname}', not None"
    try:
        if ct.kind == "pointer":
            if isinstance(value, (bytes, bytearray, memoryview)) and ct.item.kind in ("primitive", "void"):
                return None  # a buffer: buffer() passed it, or refused it with its own message
            if ct is SOCKADDR_P and isinstance(value, CData) and typeof(value).kind in ("pointer", "array"):
                return None  # an address: sockaddr() cast it, or refused it with its own message
            ffi.new(ffi.getctype(ct, "[]"), [value])
        else:  # int, float, enum, a struct by value
            ffi.new(ffi.getctype(ct, "*"), value)
    except (TypeError, OverflowError, ValueError) as e:
        return type(e), str(e)
    return None


def argument_error(func, params, args, exc, c_name=None):
    """exc (a TypeError, OverflowError or ValueError from cffi), as a new error that names its argument.

    Runs only after a call failed, on the values csock passed (exact ints, so no user code runs here): integer
    parameters first, then pointers. c_name: the C function's name in lib where it is not func's.
    """
    if str(exc).startswith(func + ":"):  # a message of csock's own, that names the argument already
        return exc
    try:
        c_types = typeof(getattr(lib, c_name or func)).args
    except (AttributeError, TypeError):  # no such C function (csock's own), or not a function
        c_types = ()
    triples = list(zip(params, args, c_types))
    ordered = [t for t in triples if t[2].kind != "pointer"] + [t for t in triples if t[2].kind == "pointer"]
    for name, value, ct in ordered:
        problem = _conversion_error(ct, value)
        if problem is not None:
            return problem[0](f"{func}: {name} ({ct.cname}): {problem[1]}")
    return type(exc)(f"{func}: {exc}")


def named_call(c_func, func, params, *args):
    """c_func(*args); a cffi conversion error comes back naming func and the argument."""
    try:
        return c_func(*args)
    except CALL_ERRORS as e:
        error = argument_error(func, params, args, e)
    raise error

"""csock: the C socket API for Python, called through a cffi API-mode extension.

Every name is the C name with the C argument order and the C return value: libc on POSIX, Winsock
(ws2_32) on Windows. Every function is a checked call of csock/_checked/ (one module per C header): its
arguments converted once, measured against what C reads or writes, then passed to C unchanged. The names
are listed in csock/_names.py, which csrc/gen_stub.py writes with the stub. `lib` itself stays raw.
"""
from ._csock import ffi, lib
from ._names import *  # noqa: F401,F403 (an explicit, generated list: see csock/_names.py)
from ._names import __all__ as _names

# csock's own calls (csock_iphdr_ihl) are imported by name only: `from csock import *` gives C names
__all__ = ["ffi", "lib", "errno", "oserror"] + [name for name in _names if not name.startswith("csock_")]

if hasattr(lib, "WSAGetLastError"):
    def errno():
        """WSAGetLastError() as the last csock call in this thread left it."""
        return lib.WSAGetLastError()
else:
    def errno():
        """The errno that the last csock call left in this thread (saved by cffi right after the call)."""
        return ffi.errno

if hasattr(lib, "FormatMessageW"):
    def oserror(errnum=None):
        """The OSError subclass for the Windows error code errnum (default: errno(), i.e. WSAGetLastError()) as
        Python's socket module raises it: OSError(errno, system message, None, winerror), errno mapped by Python."""
        if errnum is None:
            errnum = errno()
        if not 0 <= errnum < 1 << 31:  # not a Windows error code (OSError's winerror is a C long)
            return OSError(errnum, ffi.string(strerror(errnum)).decode("utf-8", "replace"))
        return OSError(errnum, _system_message(errnum), None, errnum)

    def _system_message(code):
        """FormatMessageW's text of code, trimmed of trailing blanks and dots, as Python's own Windows errors."""
        saved = lib.WSAGetLastError()  # FormatMessageW may set the last error that errno() reports
        text = ffi.new("wchar_t[]", 512)
        length = lib.FormatMessageW(lib.FORMAT_MESSAGE_FROM_SYSTEM | lib.FORMAT_MESSAGE_IGNORE_INSERTS, ffi.NULL,
                                    code, 0, text, len(text), ffi.NULL)
        lib.WSASetLastError(saved)
        return ffi.string(text, length).rstrip(" \t\r\n.") if length else f"Windows Error 0x{code:x}"
else:
    def oserror(errnum=None):
        """The OSError subclass for errnum (default: errno()), e.g. ConnectionRefusedError for ECONNREFUSED."""
        if errnum is None:
            errnum = errno()
        return OSError(errnum, ffi.string(strerror(errnum)).decode("utf-8", "replace"))

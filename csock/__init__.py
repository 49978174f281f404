"""csock: the C socket API for Python, called through a cffi API-mode extension.

Every name is the C name with the C argument order and the C return value: libc on POSIX, Winsock
(ws2_32) on Windows. Calls that take a buffer and a count, a format or an address are checked
first (see csock._checked); every other function calls the cffi function of `lib` unchanged, and only
names the refused argument when cffi refuses one. `lib` itself stays raw.
"""
from ._csock import ffi, lib
from . import _checked

__all__ = ["ffi", "lib", "errno", "oserror"]

# Raw functions and constants first; the checked wrappers replace the raw calls of the same name.
for _name in dir(lib):
    if not _name.startswith("csock_"):
        globals()[_name] = getattr(lib, _name)
        __all__.append(_name)
for _name in _checked.__all__:
    globals()[_name] = getattr(_checked, _name)
del _name

if hasattr(lib, "WSAGetLastError"):
    def errno():
        """WSAGetLastError() as the last csock call in this thread left it."""
        return lib.WSAGetLastError()
else:
    def errno():
        """The errno that the last csock call left in this thread (saved by cffi right after the call)."""
        return ffi.errno

if hasattr(lib, "csock_h_errno"):
    h_errno = lib.csock_h_errno
    __all__.append("h_errno")


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

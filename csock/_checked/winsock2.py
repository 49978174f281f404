"""<winsock2.h>: the Winsock-only calls, and the BSD calls it shares with POSIX (checked by the same functions)."""
from .._checks import (CALL_ERRORS, argument_error, buffer, cast, counted, integer, named_call, release, sizeof,
                       struct_pointer, too_big, typeof)
from .._csock_nonblocking import lib as _lib
from .arpa_inet import inet_addr, inet_ntoa  # noqa: F401
from .netdb import gethostbyaddr, gethostbyname  # noqa: F401
from .netinet_in import htonl, htons, ntohl, ntohs  # noqa: F401
from .sys_select import FD_CLR, FD_ISSET, FD_SET, FD_ZERO, select  # noqa: F401
from .sys_socket import (accept, bind, connect, getpeername, getsockname, getsockopt, listen, recv,  # noqa: F401
                         recvfrom, send, sendto, setsockopt, shutdown, socket)


def WSAStartup(wVersionRequested, lpWSAData):
    """int WSAStartup(WORD wVersionRequested, WSADATA *lpWSAData);"""
    version = integer(wVersionRequested, "WSAStartup", "wVersionRequested")
    data = struct_pointer(lpWSAData, typeof("WSADATA"), "WSAStartup", "lpWSAData", writable=True, null_ok=True)
    return named_call(_lib.WSAStartup, "WSAStartup", ("wVersionRequested", "lpWSAData"), version, data)


def WSACleanup():
    """int WSACleanup(void);"""
    return _lib.WSACleanup()


def WSAGetLastError():
    """int WSAGetLastError(void);"""
    return _lib.WSAGetLastError()


def WSASetLastError(iError):
    """void WSASetLastError(int iError);"""
    named_call(_lib.WSASetLastError, "WSASetLastError", ("iError",), integer(iError, "WSASetLastError", "iError"))


def closesocket(s):
    """int closesocket(SOCKET s);"""
    return named_call(_lib.closesocket, "closesocket", ("s",), integer(s, "closesocket", "s"))


def ioctlsocket(s, cmd, argp):
    """int ioctlsocket(SOCKET s, long cmd, u_long *argp);  argp: a u_long (or any buffer of one) that C reads or writes."""
    args = (integer(s, "ioctlsocket", "s"), integer(cmd, "ioctlsocket", "cmd"))
    c, size = buffer(argp, "ioctlsocket", "argp", True)
    try:
        if not size:
            raise ValueError("ioctlsocket: argp is NULL or empty")
        if size < sizeof("u_long"):
            raise too_big("ioctlsocket", "sizeof(u_long)", sizeof("u_long"), "argp", size)
        return _lib.ioctlsocket(*args, cast("u_long *", c))
    except CALL_ERRORS as e:
        raise argument_error("ioctlsocket", ("s", "cmd", "argp"), args + (c,), e) from None
    finally:
        if c is not argp:
            release(c)


def WSAPoll(fdArray, fds, timeout):
    """int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);"""
    fds, timeout = integer(fds, "WSAPoll", "fds"), integer(timeout, "WSAPoll", "timeout")
    c, count = counted(fdArray, typeof("WSAPOLLFD"), "WSAPoll", "fdArray", writable=True)
    if fds > count:
        raise too_big("WSAPoll", "fds", fds, "fdArray (WSAPOLLFD entries)", count)
    try:
        return _lib.WSAPoll(c, fds, timeout)
    except CALL_ERRORS as e:
        raise argument_error("WSAPoll", ("fdArray", "fds", "timeout"), (c, fds, timeout), e) from None


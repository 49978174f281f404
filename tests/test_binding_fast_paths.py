"""The checks csock leaves to C on its fast paths (read, write, memset: the last array found writable; accept: a
cast struct sockaddr * and a socklen_t * already checked) refuse what the general path refuses, on the second call
as on the first: cffi passes an array of any length to a pointer parameter, so an empty array must still be refused."""
import subprocess
import sys
import tempfile

import pytest

import csock
from csock import ffi
from binding_helpers import WINDOWS, Descriptors, unix_pair

pytestmark = pytest.mark.skipif(WINDOWS, reason="read/write and a non-blocking accept: the POSIX calls")


def test_an_empty_array_is_refused_by_read_write_and_memset_on_every_call():
    with Descriptors() as fds:
        a, b = unix_pair(fds)
        empty = ffi.new("char[0]")
        for _ in range(3):  # the first call checks in Python and remembers the array; the next ones check in C
            with pytest.raises(ValueError, match=r"memset: n \(1\) is larger than s \(0 bytes\)"):
                csock.memset(empty, 65, 1)
            with pytest.raises(ValueError, match=r"write: count \(1\) is larger than buf \(0 bytes\)"):
                csock.write(a, empty, 1)
            with pytest.raises(ValueError, match=r"read: count \(1\) is larger than buf \(0 bytes\)"):
                csock.read(b, empty, 1)
            assert csock.write(a, empty, 0) == 0 and csock.memset(empty, 65, 0) != ffi.NULL


def test_a_short_array_is_refused_after_a_big_one_went_through_the_fast_path():
    with Descriptors() as fds:
        a, b = unix_pair(fds)
        big, small = ffi.new("char[]", 16), ffi.new("char[]", 4)
        for _ in range(3):
            assert csock.memset(big, 66, 16) != ffi.NULL and csock.write(a, big, 16) == 16
            assert csock.read(b, big, 16) == 16 and ffi.buffer(big)[:] == b"B" * 16
            with pytest.raises(ValueError, match=r"read: count \(16\) is larger than buf \(4 bytes\)"):
                csock.read(b, small, 16)
            with pytest.raises(ValueError, match=r"memset: n \(5\) is larger than s \(4 bytes\)"):
                csock.memset(small, 0, 5)


def test_accept_refuses_an_empty_or_read_only_addrlen_after_a_checked_one():
    server = csock.socket(csock.AF_INET, csock.SOCK_STREAM | csock.SOCK_NONBLOCK, 0)
    try:
        clientaddr = ffi.new("struct sockaddr_in *")
        client_len = ffi.new("socklen_t *", ffi.sizeof(clientaddr[0]))
        for _ in range(3):  # the checked socklen_t * goes inline once it is known (PyPy: remembered weakly)
            assert csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), client_len) == -1
        with pytest.raises(ValueError, match="addrlen"):
            csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), ffi.new("socklen_t[0]"))
        with pytest.raises(TypeError, match="read-only"):
            csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), ffi.from_buffer("socklen_t *", b"\x10\0\0\0"))
        with pytest.raises(TypeError, match="read-only"):
            csock.accept(server, ffi.from_buffer("struct sockaddr *", bytes(16)), client_len)
        client_len[0] = 4096  # larger than the struct sockaddr the cast claims: refused in C, before the kernel
        with pytest.raises(ValueError, match=r"\*addrlen"):
            csock.accept(server, ffi.cast("struct sockaddr *", clientaddr), client_len)
    finally:
        csock.close(server)


PRINTF_FAST_PATH = r'''
import csock
from csock import ffi, lib
fmt = b"[%s]\n"
text = lib.inet_ntoa(ffi.new("struct in_addr *")[0])
for _ in range(3):  # from the second call on, fmt is known: printf's fast path checks each char *
    csock.printf(fmt, text)
    csock.printf(fmt, ffi.new("char *", b"\0"))
    csock.printf(fmt, ffi.cast("char *", 0))
    try:
        csock.printf(fmt, ffi.new("char *", b"A"))  # one char of its own, no NUL: C would read past it
    except ValueError as refused:
        csock.printf(b"%s\n", str(refused).encode())
csock.fflush(csock.stdout)
'''


def test_printf_refuses_an_unterminated_owned_char_on_its_fast_path_too():
    proc = subprocess.run([sys.executable, "-c", PRINTF_FAST_PATH], capture_output=True, timeout=60,
                          cwd=tempfile.gettempdir())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.decode() == ("[0.0.0.0]\n[]\n[(null)]\n"
                                    "printf: argument 2 has no terminating NUL within its 1 bytes\n") * 3


PRINTF_KNOWN_FORMAT = r"""
import os
import csock
from csock import ffi, lib, _printf
fmt = b"<%s>\n"
text = lib.inet_ntoa(ffi.new("struct in_addr *")[0])


class Format(bytes):
    pass


refusals = []
for _ in range(3):
    try:  # None before and after a format is kept: never taken by identity (C would get a NULL format)
        csock.printf(None, text)
    except TypeError as refused:
        refusals.append(str(refused))
    csock.printf(fmt, text)
    assert _printf._string_format is fmt  # the format printf's fast path now takes by identity
    for other, arg in ((b"%s%s\n", text), (b"%d\n", text), (b"%n\n", text), (fmt, 7)):
        try:  # the same char * with another format (or another argument): refused, not passed to C as is
            csock.printf(other, arg)
        except (TypeError, ValueError) as refused:
            refusals.append(str(refused))
    csock.printf(Format(fmt), text)  # equal bytes of another class: the general path, the same output
csock.fflush(csock.stdout)
os.write(1, "\n".join(refusals).encode() + b"\n")
"""


def test_printf_fast_path_takes_only_the_remembered_format_itself():
    proc = subprocess.run([sys.executable, "-c", PRINTF_KNOWN_FORMAT], capture_output=True, timeout=60,
                          cwd=tempfile.gettempdir())
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.decode().splitlines()
    assert lines[:6] == ["<0.0.0.0>"] * 6 and len(lines) == 21, lines
    refusals = lines[6:11]
    assert refusals[0] == "printf: format must be bytes or a char cdata, not NoneType"
    assert refusals[1] == "printf: the format takes 2 argument(s), 1 given"
    assert refusals[2].startswith("printf: argument 2 must be an int") and "%n" in refusals[3]
    assert refusals[4].startswith("printf: argument 2 must be bytes or a char cdata") and lines[6:] == refusals * 3

"""What the book's programs call besides sockets: printf, perror, getchar, exit in a child process (their
effects are on the process's own stdio), and atoi, memset, bzero, strerror, signal here."""
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import csock
from csock import ffi
from binding_helpers import WINDOWS


def run_python(code, stdin=b""):
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    return subprocess.run([sys.executable, "-c", "import csock\n" + code], input=stdin, capture_output=True,
                          timeout=60, env=env)


def test_printf_variadic_and_its_return_value():
    run = run_python(
        "n = csock.printf(b'%d|%5s|%x|%c|%.2f|%s\\n', -42, b'ab', 255, ord('Z'), 2.5, csock.inet_ntoa("
        "csock.ffi.new('struct in_addr *', [csock.htonl(csock.INADDR_LOOPBACK)])[0]))\n"
        "csock.fflush(csock.stdout)\n"
        "csock.printf(b'%d\\n', n)\n"
        "csock.fflush(csock.stdout)\n")
    assert run.returncode == 0, run.stderr
    line = b"-42|   ab|ff|Z|2.50|127.0.0.1\n"
    assert run.stdout.replace(b"\r\n", b"\n") == line + b"%d\n" % len(line)


def test_perror_prints_the_message_of_errno():
    if WINDOWS:  # Winsock reports WSAENOTSOCK through WSAGetLastError and leaves the C runtime's errno at 0
        run = run_python("assert csock.listen(csock.INVALID_SOCKET, 1) == csock.SOCKET_ERROR\n"
                         "assert csock.errno() == csock.WSAENOTSOCK\ncsock.perror(b'listen')\n")
        expected = f"listen: {ffi.string(csock.strerror(0)).decode()}\n"
    else:
        run = run_python("assert csock.listen(-1, 1) == -1\ncsock.perror(b'listen')\n")
        expected = f"listen: {os.strerror(csock.EBADF)}\n"
    assert run.returncode == 0, run.stderr
    assert run.stderr.decode().replace("\r\n", "\n") == expected, run.stderr


def test_getchar_reads_stdin_until_eof():
    run = run_python("import sys\nprint([csock.getchar() for _ in range(4)], file=sys.stderr)\n", stdin=b"AB\n")
    assert run.returncode == 0, run.stderr
    assert run.stderr.decode().strip() == str([ord("A"), ord("B"), ord("\n"), csock.EOF])


@pytest.mark.parametrize("status", [0, 3, 255])
def test_exit_ends_the_process_with_status(status):
    run = run_python(f"csock.exit({status})\nraise SystemExit(99)\n")
    assert run.returncode == status


@settings(max_examples=200, deadline=None)
@given(st.integers(-(1 << 31), (1 << 31) - 1))
def test_atoi_reads_what_str_writes(value):
    assert csock.atoi(str(value).encode()) == value
    assert csock.atoi(f"  {value}xyz".encode()) == value


def test_atoi_of_no_number_is_zero():
    assert csock.atoi(b"port") == 0
    assert csock.atoi(b"") == 0


def test_memset_and_bzero_fill_only_what_they_are_told():
    buf = ffi.new("char[16]", b"x" * 15)
    assert csock.memset(buf, ord("a"), 8) == buf
    assert ffi.buffer(buf)[:] == b"a" * 8 + b"x" * 7 + b"\0"
    if not WINDOWS:
        csock.bzero(buf, 4)
        assert ffi.buffer(buf)[:] == b"\0" * 4 + b"a" * 4 + b"x" * 7 + b"\0"
    with pytest.raises(ValueError):
        csock.memset(buf, 0, 17)


def test_strerror_matches_os_strerror():
    for name in ("ECONNREFUSED", "EBADF", "EINVAL", "ENOENT"):
        if hasattr(csock, name):
            number = getattr(csock, name)
            assert ffi.string(csock.strerror(number)).decode() == os.strerror(number)


def test_signal_sets_and_returns_the_previous_handler():
    signum = csock.SIGINT if WINDOWS else csock.SIGUSR1  # SIGUSR1: Python has no handler of its own for it
    previous = csock.signal(signum, csock.SIG_IGN)
    try:
        if not WINDOWS:
            assert previous == csock.SIG_DFL
        assert csock.signal(signum, csock.SIG_DFL) == csock.SIG_IGN
    finally:
        assert csock.signal(signum, previous) == csock.SIG_DFL
    with pytest.raises(TypeError):  # a Python function cannot be a C signal handler
        csock.signal(signum, lambda n: None)


@pytest.mark.skipif(WINDOWS, reason="SIGPIPE is POSIX")
def test_sig_ign_sigpipe_turns_a_broken_pipe_into_epipe():
    # In a child: with SIGPIPE ignored, sending on a connection the peer closed fails with EPIPE instead of killing.
    code = (
        "from csock import ffi\n"
        "csock.signal(csock.SIGPIPE, csock.SIG_IGN)\n"
        "sv = ffi.new('int[2]')\n"
        "assert csock.socketpair(csock.AF_UNIX, csock.SOCK_STREAM, 0, sv) == 0\n"
        "csock.close(sv[1])\n"
        "rc = csock.send(sv[0], b'x', 1, 0)\n"
        "print(rc, csock.errno() == csock.EPIPE)\n")
    run = run_python(code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [b"-1", b"True"]
    killed = run_python(code.replace("SIG_IGN", "SIG_DFL"))
    assert killed.returncode == -csock.SIGPIPE


@pytest.mark.skipif(not WINDOWS, reason="FormatMessageW is Windows's")
def test_format_message_w_only_in_its_system_message_form():
    """csock.FormatMessageW writes a system message into a wchar_t array it measured; any other form (inserts,
    a source, an allocated buffer) reads or writes through pointers csock cannot measure, and is refused."""
    flags = csock.FORMAT_MESSAGE_FROM_SYSTEM | csock.FORMAT_MESSAGE_IGNORE_INSERTS
    text = ffi.new("wchar_t[]", 256)
    length = csock.FormatMessageW(flags, ffi.NULL, csock.WSAECONNREFUSED, 0, text, len(text), ffi.NULL)
    assert length > 0 and ffi.string(text, length)
    with pytest.raises(ValueError, match="nSize"):
        csock.FormatMessageW(flags, ffi.NULL, csock.WSAECONNREFUSED, 0, ffi.new("wchar_t[]", 8), 9, ffi.NULL)
    with pytest.raises(ValueError, match="dwFlags"):
        csock.FormatMessageW(csock.FORMAT_MESSAGE_FROM_SYSTEM, ffi.NULL, 1, 0, text, len(text), ffi.NULL)
    with pytest.raises(ValueError, match="Arguments"):
        csock.FormatMessageW(flags, ffi.NULL, 1, 0, text, len(text), ffi.new("char[8]"))
    with pytest.raises(TypeError, match="lpBuffer"):
        csock.FormatMessageW(flags, ffi.NULL, 1, 0, ffi.new("char[256]"), 64, ffi.NULL)

"""csock.startup.restore_c_signals: a port starts with the signal dispositions its C would have, an inherited
ignored SIGINT included (nohup, `trap '' INT`, a background job of a non-interactive shell).

Plain subprocess, not the harness: the harness resets SIGINT to its default for the programs it starts.
"""
import os
import platform
import signal
import subprocess
import sys
import time

import pytest

from csock_compare import description

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = description.load(os.path.join(REPO, "descriptions", "Linux", "echo_server.toml")).program
PYPY_ERRATUM = ("PyPy installs its SIGINT handler over an inherited SIG_IGN, so the port cannot see it was ignored "
                "(csrc/ERRATA.md, F3)")
SHOW = """import signal
from csock.startup import restore_c_signals
restore_c_signals()
print(*(int(signal.getsignal(getattr(signal, name))) for name in ("SIGINT", "SIGPIPE", "SIGXFSZ")))
"""


def _starting_with_sigint(disposition):
    """A preexec_fn: the child execs with SIGINT at disposition, whatever this test run inherited."""
    return lambda: signal.signal(signal.SIGINT, disposition)


@pytest.mark.parametrize("inherited", [signal.SIG_DFL, signal.SIG_IGN], ids=["default", "ignored"])
def test_sigint_comes_back_as_inherited_and_sigpipe_sigxfsz_as_default(inherited):
    if inherited == signal.SIG_IGN and platform.python_implementation() == "PyPy":
        pytest.skip(PYPY_ERRATUM)
    done = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, timeout=60,
                          preexec_fn=_starting_with_sigint(inherited), env=dict(os.environ, PYTHONPATH=REPO))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(int(inherited)), str(int(signal.SIG_DFL)), str(int(signal.SIG_DFL))]


def _sig_ign(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return int(next(line for line in f if line.startswith("SigIgn:")).split()[1], 16)


def _listening_on_3600(pid):
    """The process, past unshare's exec, has a TCP socket listening on 3600 in its namespace (state 0A)."""
    with open(f"/proc/{pid}/comm", encoding="utf-8") as f:
        if f.read().strip() == "unshare":
            return False
    with open(f"/proc/{pid}/net/tcp", encoding="ascii") as f:
        return any(fields[1].endswith(":0E10") and fields[3] == "0A" for fields in (line.split() for line in f))


def test_port_and_c_both_keep_an_inherited_ignored_sigint_and_survive_it(tools):
    if platform.python_implementation() == "PyPy":
        pytest.skip(PYPY_ERRATUM)
    seen = {}
    for side in ("C", "port"):
        # unshare -rn execs the server in a private network namespace: its fixed port 3600 reaches nobody
        server = subprocess.Popen(["unshare", "-rn", "--", *SERVER.command(side, ["3600"])],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  preexec_fn=_starting_with_sigint(signal.SIG_IGN))
        try:
            deadline = time.monotonic() + 60
            while not _listening_on_3600(server.pid) and server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _listening_on_3600(server.pid), (side, server.poll())
            seen[side] = _sig_ign(server.pid)
            server.send_signal(signal.SIGINT)
            time.sleep(0.5)
            assert server.poll() is None, (side, server.returncode)
        finally:
            server.kill()
            _, stderr = server.communicate(timeout=30)
        assert server.returncode == -signal.SIGKILL, (side, server.returncode, stderr)
        assert stderr == b"", (side, stderr)
    assert seen["C"] & 1 << (signal.SIGINT - 1), f"SigIgn {seen['C']:#x}: C inherited SIGINT ignored"
    assert seen["port"] == seen["C"], f"SigIgn: port {seen['port']:#x}, C {seen['C']:#x}"

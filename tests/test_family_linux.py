"""The family programs of issue 14 (csrc/Linux/*.c and their ports in Linux/), C and port side by side, driven by
their descriptions (descriptions/Linux/*.toml but the book's echo pair, which test_linux_echo.py runs).

Each scenario runs in every side assignment through the harness (csock_compare: a private network namespace,
strace -ff, per-process comparison), and is judged by the verdict compare and faults give: how each process
ended, stdout, stderr, the bytes it read from its sockets and its syscalls, its forked children one by one, with
only the masks its description names (csrc/ERRATA.md, "The family programs"); then every process must do what
its description expects of it (`expect`). A few facts about csock itself that no scenario shows follow.
"""
import os
import shutil
import subprocess
import sys

import pytest

from csock_compare import compare, description, report

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(REPO, "descriptions", "Linux")
SCENARIOS = compare.named_scenarios(FOLDER, "compare", leave_out=("echo_server.toml", "echo_client.toml"))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_c_and_port_agree(name, tools):
    found, results = compare.judged(SCENARIOS[name])
    assert found.ok, found.text + "\n" + report.details(SCENARIOS[name], results)
    assert any(process.expect for process in SCENARIOS[name].processes), "a family scenario says what it expects"


def test_every_family_program_is_described():
    described = {os.path.basename(s.processes[0].program.c) for s in SCENARIOS.values() if s.processes[0].program}
    sources = {f for f in os.listdir(os.path.join(REPO, "csrc", "Linux")) if f.endswith(".c")}
    assert sources - described == {"echo_server.c", "echo_client.c"}


def test_csock_fork_runs_the_interpreters_fork_hooks_and_returns_c_values():
    """csock.fork is os.fork: os.register_at_fork callbacks run in parent and child; the child's value is 0,
    the parent's the child's pid; waitpid reaps it with the status the child's exit() gave."""
    code = r"""
import os, csock
from csock import ffi
seen = []
os.register_at_fork(before=lambda: seen.append("before"), after_in_parent=lambda: seen.append("parent"),
                    after_in_child=lambda: seen.append("child"))
pid = csock.fork()
if pid == 0:
    csock.exit(7 if seen == ["before", "child"] else 1)
status = ffi.new("int *")
print(pid > 0, csock.waitpid(pid, status, 0) == pid, csock.WIFEXITED(status[0]), csock.WEXITSTATUS(status[0]), seen)
"""
    env = dict(os.environ, PYTHONPATH=REPO)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, env=env)
    assert done.stdout == "True True 1 7 ['before', 'parent']\n", done.stderr


def test_ping_without_cap_net_raw():
    """Outside any namespace as an unprivileged user (nobody): both refused at socket() with EPERM."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to become nobody")
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*nobody, sys.executable, "-c", "import csock"], capture_output=True, timeout=30,
                           env=dict(os.environ, PYTHONPATH=REPO))
    if probe.returncode != 0:  # e.g. a checkout in root's private home directory
        pytest.skip("nobody cannot run this checkout's Python and csock: " + probe.stderr.decode().splitlines()[-1])
    outs = []
    ping = description.load(os.path.join(FOLDER, "ping.toml")).program
    for argv in (ping.command("C"), ping.command("port")):
        done = subprocess.run([*nobody, *argv], capture_output=True, timeout=30,
                              env=dict(os.environ, PYTHONPATH=REPO))
        outs.append((done.returncode, done.stdout, done.stderr))
    assert outs[0] == outs[1] == (1, b"", b"socket error : : Operation not permitted\n")


def test_csock_signal_runs_a_python_handler_and_keeps_errno():
    """csock.signal() takes a Python callable (installed through Python's signal module): it runs with the
    signal number, errno stays what the interrupted call left, and the previous handler is returned."""
    code = r"""
import os, csock
from csock import ffi
got = []
def handler(signo):
    got.append(signo)
    csock.close(-1)  # sets errno EBADF inside the handler
assert csock.signal(csock.SIGUSR1, handler) == csock.SIG_DFL
ffi.errno = 0
os.kill(os.getpid(), csock.SIGUSR1)
print(got == [csock.SIGUSR1], ffi.errno, csock.signal(csock.SIGUSR1, csock.SIG_DFL) is handler,
      csock.signal(csock.SIGKILL, handler) == csock.SIG_ERR, csock.errno() == csock.EINVAL)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, PYTHONPATH=REPO))
    assert done.stdout == "True 0 True True True\n", done.stderr

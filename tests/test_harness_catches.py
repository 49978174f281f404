"""The harness catches unfaithful ports: for each kind of difference (a wrong count, an extra or a missing
syscall, a different message, a different exit status, a forked child doing something else) a port that differs
from its C program in exactly that way is reported, with the first difference named. Also: a user's own pair
(examples/udp_echo) compares from its description alone, copied anywhere."""
import os
import shutil
import subprocess
import sys

import pytest

from csock_compare import description, masks, report, runner

C_PROGRAM = r"""#include <sys/socket.h>
#include <sys/wait.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
    int sv[2];
    char buf[8];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "ping", 4);
    read(sv[1], buf, 4);
    if (fork() == 0) {
        write(sv[1], "pong", 4);
        _exit(0);
    }
    wait(NULL);
    read(sv[0], buf, 4);
    printf("got %.4s\n", buf);
    close(sv[0]);
    return 0;
}
"""

# The faithful port; each unfaithful one below replaces one line of it.
PORT = """import os, sys
from csock import socketpair, read, write, close, fork, printf, ffi, AF_UNIX, SOCK_STREAM
sv = ffi.new("int[2]")
buf = ffi.new("char[8]")
socketpair(AF_UNIX, SOCK_STREAM, 0, sv)
write(sv[0], b"ping", 4)
read(sv[1], buf, 4)
if fork() == 0:
    write(sv[1], b"pong", 4)
    os._exit(0)
os.waitpid(-1, 0)
read(sv[0], buf, 4)
printf(b"got %.4s\\n", buf)
close(sv[0])
sys.exit(0)
"""

DESCRIPTION = """[program]
name = "pingpong"
c = "pingpong.c"
port = "pingpong.py"
role = "client"
trace = { calls = ["socketpair", "read", "write", "close"], from = "socketpair" }

[[scenario]]
name = "run"
processes = [{ program = "self" }]
"""

UNFAITHFUL = {  # kind: (line replaced, by what, what the report must say)
    "wrong count": ('read(sv[1], buf, 4)', 'read(sv[1], buf, 3)', "received differs"),
    "extra syscall": ('close(sv[0])\n', 'close(sv[0])\nclose(sv[1])\n', "syscalls differ: first difference at "
                                                                           "syscall 7"),
    "missing syscall": ('close(sv[0])\n', '', "syscalls differ: first difference at syscall 6"),
    "different message": ('printf(b"got %.4s\\n", buf)', 'printf(b"got: %.4s\\n", buf)', "stdout differs"),
    "different exit status": ('sys.exit(0)', 'sys.exit(3)', "ended differently: exit 0 vs exit 3"),
    "forked child doing something else": ('    write(sv[1], b"pong", 4)\n',
                                          '    close(sv[0])\n    write(sv[1], b"pong", 4)\n',
                                          "client's child 1 syscalls differ: first difference at syscall 1"),
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory, tools):
    """The pingpong pair, built, in a folder of its own; its faithful run first."""
    folder = tmp_path_factory.mktemp("pingpong")
    (folder / "pingpong.c").write_text(C_PROGRAM)
    (folder / "pingpong.py").write_text(PORT)
    (folder / "pingpong.toml").write_text(DESCRIPTION)
    described = description.load(str(folder / "pingpong.toml"))
    runner.prepare([described])
    return folder, described.scenario("run")


def _verdict(pair, port_source):
    folder, scenario = pair
    (folder / "pingpong.py").write_text(port_source)
    return report.verdict(scenario, [runner.run(scenario, sides) for sides in scenario.runs()])


def test_the_faithful_port_is_identical_child_included(pair):
    folder, scenario = pair
    c = runner.run(scenario, {0: "C"}).processes[0]
    assert len(c.children) == 1 and c.children[0][0] == 'write(fd3, "pong", 4) = 4', c.children
    assert c.stdout == b"got pong\n"
    found = _verdict(pair, PORT)
    assert found.kind == report.SAME, found.text


@pytest.mark.parametrize("kind", list(UNFAITHFUL))
def test_an_unfaithful_port_is_reported_with_its_first_difference(pair, kind):
    old, new, expected = UNFAITHFUL[kind]
    assert old in PORT
    found = _verdict(pair, PORT.replace(old, new, 1))
    assert not found.ok, kind
    assert expected in found.text, found.text


def test_a_users_pair_compares_from_its_description_anywhere(tmp_path, tools):
    """examples/udp_echo copied elsewhere: compare finds C, port and build from the description's folder."""
    source = os.path.join(os.path.dirname(description.default_folder()), "examples", "udp_echo")
    copy = tmp_path / "somewhere" / "udp_echo"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".build"))
    done = subprocess.run([sys.executable, "-m", "csock.compare", str(copy / "udp_echo.toml")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "line rule: all 1 port pairs keep it" in done.stdout
    assert "one-datagram  identical (2 runs" in done.stdout
    assert (copy / ".build" / "udp_echo").exists()
    listing = subprocess.run([sys.executable, "-m", "csock.compare", "--side-by-side", str(copy / "udp_echo.toml")],
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert "recvfrom(sockfd, buf, MAXBUF, 0, (struct sockaddr *)&peer, &addrlen);" in listing.stdout


def test_a_users_pair_that_differs_fails_compare(tmp_path, tools):
    source = os.path.join(os.path.dirname(description.default_folder()), "examples", "udp_echo")
    copy = tmp_path / "udp_echo"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".build"))
    port = (copy / "udp_echo.py").read_text().replace('b"%d bytes from %s\\n"', 'b"%d bytes from: %s\\n"')
    (copy / "udp_echo.py").write_text(port)
    done = subprocess.run([sys.executable, "-m", "csock.compare", str(copy / "udp_echo.toml"), "--scenario",
                           "one-datagram"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 1
    assert "DIFFERENT" not in done.stdout.split("one-datagram", 1)[0]
    assert "server stdout differs: first difference at byte" in done.stdout


# --- several clients racing: the kernel-order mask keeps every real difference --------------------------------

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RACING = """[program]
name = "select_echo_server"
c = "{repo}/csrc/Linux/select_echo_server.c"
port = "select_echo_server.py"
binary = "{repo}/build/c/Linux/select_echo_server"
build = ["make", "-C", "{repo}/csrc"]
role = "server"
argv = ["3600"]
ready = {{ tcp = 3600 }}
idle = ["select"]
trace = {{ calls = ["socket", "bind", "listen", "accept", "read", "write", "close", "select"], from = "socket" }}

[[scenario]]
name = "racing"
masks = ["kernel-order"]
processes = [{{ program = "self" }}, {{ peer = "racing", count = 3, data = "race\\n" }}]
"""
RACING_UNFAITHFUL = {  # kind: (line of Linux/select_echo_server.py replaced, by what, what the report must say)
    "wrong count": ("n = read(fd, buf, MAXBUF)", "n = read(fd, buf, MAXBUF - 1)", "server syscalls differ"),
    "extra syscall": ("close(fd)\n", "close(fd); close(fd)\n", "server syscalls differ"),
    "missing message": ('printf(b"New Client Connect: %s\\n", inet_ntoa(clientaddr.sin_addr))', "pass",
                        "server stdout differs"),
}


@pytest.fixture(scope="module")
def racing(tmp_path_factory, tools):
    folder = tmp_path_factory.mktemp("racing")
    (folder / "racing.toml").write_text(RACING.format(repo=REPO))
    return folder, description.load(str(folder / "racing.toml")).scenario("racing")


def _racing_verdict(racing, port_source):
    folder, scenario = racing
    (folder / "select_echo_server.py").write_text(port_source)
    return report.verdict(scenario, [runner.run(scenario, sides) for sides in scenario.runs()])


def test_racing_clients_compare_equal_under_the_kernel_order_mask(racing):
    with open(os.path.join(REPO, "Linux", "select_echo_server.py")) as f:
        found = _racing_verdict(racing, f.read())
    assert found.kind == report.SAME and "kernel-order" in found.text, found.text


@pytest.mark.parametrize("kind", list(RACING_UNFAITHFUL))
def test_an_unfaithful_port_is_reported_under_the_kernel_order_mask(racing, kind):
    old, new, expected = RACING_UNFAITHFUL[kind]
    with open(os.path.join(REPO, "Linux", "select_echo_server.py")) as f:
        source = f.read()
    assert old in source
    found = _racing_verdict(racing, source.replace(old, new, 1))
    assert not found.ok, kind
    assert expected in found.text, found.text


def test_kernel_order_keeps_each_descriptors_order_and_nothing_else():
    """Two interleavings of the same two connections are one view; a swapped read and write, or another count, is
    another view."""
    one = ["socket(AF_INET) = fd3", "accept(fd3, {}, [16]) = fd4", "accept(fd3, {}, [16]) = fd5",
           "select(6, [3 4 5], NULL, NULL, NULL) = 2 (in [4 5])", 'read(fd4, "a", 1024) = 1',
           'read(fd5, "b", 1024) = 1', 'write(fd5, "b", 1) = 1', 'write(fd4, "a", 1) = 1', "close(fd4) = 0",
           "close(fd5) = 0"]
    other = ["socket(AF_INET) = fd3", "accept(fd3, {}, [16]) = fd4", "select(5, [3 4], NULL, NULL, NULL) = 1 (in [4])",
             'read(fd4, "b", 1024) = 1', 'write(fd4, "b", 1) = 1', "close(fd4) = 0", "accept(fd3, {}, [16]) = fd4",
             'read(fd4, "a", 1024) = 1', 'write(fd4, "a", 1) = 1', "close(fd4) = 0"]
    view = masks.by_connection
    assert view(one) == view(other)
    assert view(one) != view([line.replace("1024", "1023") for line in one])
    swapped = one[:6] + ['write(fd5, "b", 1) = 1', 'read(fd5, "b", 1024) = 1'] + one[8:]
    assert view(one) != view(swapped)
    assert view(one) != view([line.replace("NULL) = 2", "{tv_sec=1}) = 2") for line in one])

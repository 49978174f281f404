"""tools/debian_packages.sh, the Debian-package step of setup.sh and tests/windows/run, on every path it can take.

The real apt-get, dpkg-query, id and sudo are replaced by stubs on PATH that log their arguments, so each path (all
installed, root, an ordinary user with and without `sudo -n`, apt failing) runs here whoever runs the suite.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES_SH = ROOT / "tools" / "debian_packages.sh"


def stub(bin_dir: pathlib.Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/bash\necho \"%s $*\" >> \"$STUB_LOG\"\n%s\n" % (name, body))
    path.chmod(0o755)


def run_step(tmp_path, *, uid, installed, sudo=None, apt_status=0):
    """need_debian_packages for pkg-a pkg-b pkg-c with the stubs; returns (exit status, stdout, stderr, log lines)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    log.touch()
    status_lines = "".join("%s ii \\n" % pkg for pkg in installed)
    stub(bin_dir, "dpkg-query", 'printf "%s"' % status_lines)
    stub(bin_dir, "id", "echo %d" % uid)
    stub(bin_dir, "apt-get", 'echo "apt chatter $1"; exit %d' % apt_status)
    if sudo is not None:
        # `sudo -n true` is the probe; anything else runs the command as sudo would.
        stub(bin_dir, "sudo", '[ "$1" = -n ] || exit 2\nshift\n%s\n"$@"' % ("" if sudo else "exit 1"))
    for tool in ("env", "mktemp", "grep", "cat", "rm"):  # the step's own helpers; PATH holds nothing else
        real = subprocess.run(["bash", "-c", "command -v " + tool], capture_output=True, text=True).stdout.strip()
        os.symlink(real, bin_dir / tool)
    env = {"PATH": str(bin_dir), "STUB_LOG": str(log)}
    script = 'source "%s"; need_debian_packages setup.sh pkg-a pkg-b pkg-c; echo returned' % PACKAGES_SH
    done = subprocess.run(["/bin/bash", "-c", script], env=env, capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    return done.returncode, done.stdout, done.stderr, log.read_text().splitlines()


def test_nothing_missing_installs_nothing(tmp_path):
    status, out, err, calls = run_step(tmp_path, uid=1000, installed=["pkg-a", "pkg-b", "pkg-c"])
    assert (status, out, err) == (0, "returned\n", "")
    assert not [line for line in calls if line.startswith(("apt-get", "sudo"))]


def test_root_installs_only_the_missing_packages(tmp_path):
    status, out, err, calls = run_step(tmp_path, uid=0, installed=["pkg-b"])
    assert status == 0 and out.endswith("returned\n") and err == ""
    assert "installing Debian packages with apt-get" in out and "pkg-a pkg-c" in out
    assert "apt chatter" not in out  # apt's output goes to a log, shown only on failure
    assert [line for line in calls if line.startswith("apt-get")] == [
        "apt-get update -o DPkg::Lock::Timeout=600",
        "apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 pkg-a pkg-c"]


def test_ordinary_user_goes_through_sudo_n_when_it_works(tmp_path):
    status, out, err, calls = run_step(tmp_path, uid=1000, installed=[], sudo=True)
    assert status == 0 and out.endswith("returned\n"), err
    sudo_calls = [line for line in calls if line.startswith("sudo")]
    assert sudo_calls[0] == "sudo -n true"
    assert sudo_calls[1:] == [
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -o DPkg::Lock::Timeout=600",
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
        "-o DPkg::Lock::Timeout=600 pkg-a pkg-b pkg-c"]


@pytest.mark.parametrize("sudo", [None, False], ids=["no-sudo", "sudo-asks-a-password"])
def test_ordinary_user_without_sudo_gets_the_exact_line_and_a_stop(tmp_path, sudo):
    status, out, err, calls = run_step(tmp_path, uid=1000, installed=["pkg-c"], sudo=sudo)
    assert status == 1 and "returned" not in out
    assert err.splitlines() == [
        "setup.sh: missing Debian packages: pkg-a pkg-b",
        "setup.sh: run this as root, then run this command again:",
        "    apt-get update && apt-get install -y --no-install-recommends pkg-a pkg-b"]
    assert not [line for line in calls if line.startswith("apt-get")]


def test_apt_failing_shows_its_output_and_stops(tmp_path):
    status, out, err, calls = run_step(tmp_path, uid=0, installed=[], apt_status=100)
    assert status == 1 and "returned" not in out
    assert "apt chatter update" in err and err.rstrip().endswith("setup.sh: apt-get failed (above)")

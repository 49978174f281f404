"""The Windows family of issue 14, the native part (run by tests/windows/run outside wine): every program compiles
with mingw-w64 -Wall without a warning. (The Windows UDP client against the Linux UDP server is a "cross-os"
scenario of descriptions/Windows/udp_echo_client.toml: tests/windows/test_cross_os.py.)"""
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAMILY = ["udp_echo_server", "udp_echo_client", "select_echo_server", "poll_echo_server", "nonblock_echo_server",
          "ipv6_echo_server", "ipv6_echo_client", "event_echo_server"]


@pytest.mark.parametrize("name", FAMILY)
def test_compiles_with_mingw_wall_without_a_warning(tmp_path, name):
    done = subprocess.run(["x86_64-w64-mingw32-gcc", "-Wall", str(ROOT / "csrc" / "Windows" / f"{name}.c"),
                           "-o", str(tmp_path / f"{name}.exe"), "-lws2_32"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr

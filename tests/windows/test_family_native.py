"""The Windows family of issue 14, the native part (run by tests/windows/run outside wine): every program compiles
with mingw-w64 -Wall without a warning, and the Windows UDP client (C .exe, and its port under the Windows
interpreter) gets its datagram back from the Linux UDP server (csrc/Linux/udp_echo_server.c, and its port), each
pair in a fresh network namespace (cross_os_pair.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"
FAMILY = ["udp_echo_server", "udp_echo_client", "select_echo_server", "poll_echo_server", "nonblock_echo_server",
          "ipv6_echo_server", "ipv6_echo_client", "event_echo_server"]
LINUX_UDP_SERVER = ROOT / "csrc" / "Linux" / "udp_echo_server.c"  # the Linux family's (issue 14, Linux part)


@pytest.mark.parametrize("name", FAMILY)
def test_compiles_with_mingw_wall_without_a_warning(tmp_path, name):
    done = subprocess.run(["x86_64-w64-mingw32-gcc", "-Wall", str(ROOT / "csrc" / "Windows" / f"{name}.c"),
                           "-o", str(tmp_path / f"{name}.exe"), "-lws2_32"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def linux_udp_servers(server):
    """The Linux UDP server, C (built here) or its port, when this checkout has it."""
    source = LINUX_UDP_SERVER if server == "c" else ROOT / "Linux" / "udp_echo_server.py"
    if not source.exists():
        pytest.skip(f"{source.relative_to(ROOT)} is not in this checkout (the Linux part of issue 14)")
    binary = BUILD / "linux-bin" / "udp_echo_server"
    if not binary.exists() or binary.stat().st_mtime < LINUX_UDP_SERVER.stat().st_mtime:
        binary.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", "-Wall", "-O0", str(LINUX_UDP_SERVER), "-o", str(binary)], check=True, timeout=120)
    return {"c": [str(binary), "3600"], "python": [sys.executable, str(ROOT / "Linux" / "udp_echo_server.py"), "3600"]}


WINDOWS_UDP_CLIENTS = {
    "c": [str(BUILD / "bin" / "udp_echo_client.exe"), "3600"],
    "python": [str(BUILD / "cp313" / "python.exe"), "-P", str(ROOT / "Windows" / "udp_echo_client.py"), "3600"],
}


@pytest.mark.parametrize("client", sorted(WINDOWS_UDP_CLIENTS))
@pytest.mark.parametrize("server", ["c", "python"])
def test_windows_udp_client_gets_its_datagram_back_from_the_linux_server(server, client):
    servers = linux_udp_servers(server)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "PYTHONPATH")}
    env["WINEDEBUG"] = "-all"  # python.exe imports csock from the wheel installed in it, not from this tree
    out = subprocess.run(["unshare", "-n", sys.executable, str(Path(__file__).with_name("cross_os_pair.py")),
                          json.dumps(servers[server]), json.dumps(WINDOWS_UDP_CLIENTS[client]), "hello\n"],
                         stdout=subprocess.PIPE, env=env, timeout=400, check=True)
    result = json.loads(out.stdout)
    assert result.get("error") is None
    assert result["client_stdout"] == ("enter messages\r\nsend messages (5 bytes)\r\n"
                                       "recv messages = hello (5 bytes from 127.0.0.1)\r\n")
    assert result["client_status"] == 0
    assert result["server_stdout"] == "Datagram from 127.0.0.1 : 5 bytes\n"

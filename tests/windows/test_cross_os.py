"""Cross-OS: the book's Windows client (C .exe, and its Python port under the Windows interpreter), run by wine,
against the book's Linux echo server (C, and its Python port), native, on loopback port 3600: the message must
come back. Run natively by tests/windows/run; each pair gets a fresh network namespace (cross_os_pair.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"

LINUX_SERVERS = {
    "c": [str(BUILD / "linux-bin" / "echo_server"), "3600"],
    "python": [sys.executable, str(ROOT / "Linux" / "echo_server.py"), "3600"],
}
WINDOWS_CLIENTS = {
    "c": [str(BUILD / "bin" / "echo_client.exe")],
    "python": [str(BUILD / "cp313" / "python.exe"), "-P", str(ROOT / "Windows" / "echo_client.py")],
}


@pytest.mark.parametrize("client", sorted(WINDOWS_CLIENTS))
@pytest.mark.parametrize("server", sorted(LINUX_SERVERS))
def test_windows_client_gets_its_message_back_from_the_linux_server(server, client):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "PYTHONPATH")}
    env["WINEDEBUG"] = "-all"  # python.exe imports csock from the wheel installed in it, not from this tree
    out = subprocess.run(["unshare", "-rn", sys.executable, str(Path(__file__).with_name("cross_os_pair.py")),
                          json.dumps(LINUX_SERVERS[server]), json.dumps(WINDOWS_CLIENTS[client]), "hello\n"],
                         stdout=subprocess.PIPE, env=env, timeout=400, check=True)
    result = json.loads(out.stdout)
    assert result.get("error") is None
    assert result["client_stdout"] == "enter messages\r\nsend messages (6 bytes)\r\nrecv messages = hello\r\n"
    assert result["client_status"] == 0
    assert result["server_stdout"] == "New Client Connect: 127.0.0.1\n"

"""The harness's peers (csock_compare.peers) against small loopback servers of the test's own (ephemeral ports)."""
import socket
import threading

import pytest

from csock_compare import peers


def _serve(kind, handle, family=socket.AF_INET, address=("127.0.0.1", 0)):
    """A one-shot server thread; returns its address."""
    server = socket.socket(family, kind)
    server.bind(address)
    if kind == socket.SOCK_STREAM:
        server.listen(8)
    server.settimeout(10)

    def run():
        with server:
            handle(server)
    threading.Thread(target=run, daemon=True).start()
    return server.getsockname()


def _echo_until_eof(server, connections=1):
    for _ in range(connections):
        conn, _ = server.accept()
        with conn:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                conn.sendall(data)


def test_shutdown_sends_then_half_closes_and_reads_the_echo(capsys):
    port = _serve(socket.SOCK_STREAM, _echo_until_eof)[1]
    assert peers.main(["shutdown", f"--port={port}", f"--data-hex={b'hi'.hex()}", "--seconds=5"]) == 0
    assert capsys.readouterr().out == 'sent 2 B, received "hi", then EOF\n'


def test_clients_at_once_are_tallied(capsys):
    with socket.socket() as listener:  # queued by the kernel, never served
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        assert peers.main(["clients", f"--port={port}", "--count=3", "--data-hex=00", "--seconds=0.5"]) == 0
    assert capsys.readouterr().out == "3 connections: 3 timeout\n"


def test_datagram_prints_the_reply(capsys):
    def reply(server):
        data, sender = server.recvfrom(100)
        server.sendto(data.upper(), sender)
    port = _serve(socket.SOCK_DGRAM, reply)[1]
    assert peers.main(["datagram", f"--port={port}", f"--data-hex={b'ping'.hex()}", "--seconds=5"]) == 0
    assert capsys.readouterr().out == 'sent 4 B, received "PING"\n'


def test_unix_stream_peer(tmp_path, capsys):
    path = str(tmp_path / "s")
    _serve(socket.SOCK_STREAM, _echo_until_eof, socket.AF_UNIX, path)
    assert peers.main(["unix", f"--path={path}", f"--data-hex={b'x'.hex()}", "--seconds=1"]) == 0
    assert capsys.readouterr().out == 'sent 1 B, received "x", then timeout\n'  # the peer never shuts down


def test_serve_echoes_one_connection(capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = {}
    thread = threading.Thread(target=lambda: result.update(status=peers.main(["serve", f"--port={port}",
                                                                              "--seconds=5"])))
    thread.start()
    for _ in range(100):
        try:
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except ConnectionRefusedError:
            threading.Event().wait(0.05)
    with client:
        client.sendall(b"abc")
        assert client.recv(10) == b"abc"
    thread.join(10)
    assert result["status"] == 0 and capsys.readouterr().out == 'received "abc", echoed, then EOF\n'


def test_the_argv_of_a_peer_carries_data_as_hex():
    argv = peers.argv({"mode": "send", "data": "a\0", "reset_after": 1.5})
    assert argv[-3:] == ["send", "--data-hex=6100", "--reset-after=1.5"]


def test_an_unknown_mode_is_refused():
    with pytest.raises(SystemExit):
        peers.main(["teleport"])


def test_ipv6_loopback(capsys):
    port = _serve(socket.SOCK_STREAM, _echo_until_eof, socket.AF_INET6, ("::1", 0))[1]
    assert peers.main(["shutdown", "--host=::1", f"--port={port}", f"--data-hex={b'v6'.hex()}", "--seconds=5"]) == 0
    assert capsys.readouterr().out == 'sent 2 B, received "v6", then EOF\n'

"""The harness's own peers: `python -m csock_compare.peers MODE [options]`, Python's own socket module (the test's
side, never the code under test). Each prints one line of what it saw; that line is compared like any stdout.
The modes are listed in docs/DESCRIPTIONS.md.
"""
import argparse
import socket
import struct
import sys
import time

from .connections import MAXBUF, burst, connect, end_of, family, sequential, tally_text
from .connections import tally_of  # noqa: F401 (tests/test_faults.py reads a peer's tally here)
from .normalise import render_bytes

PORT = 3600  # the book's port: used only inside the namespaces
MODES = ("send", "hold", "fin", "queued-reset", "burst", "sequential", "clients", "datagram", "unix", "shutdown",
         "serve", "several", "racing")


def argv(peer):
    """The command line of a peer table {"mode": ..., option: value}."""
    options = [f"--data-hex={value.encode().hex()}" if key == "data" else f"--{key.replace('_', '-')}={value}"
               for key, value in peer.items() if key != "mode"]  # data as hex: argv cannot carry a NUL
    return [sys.executable, "-m", "csock_compare.peers", peer["mode"], *options]


def reset(sock):
    """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _stream(args, deadline):
    """The modes with one stream connection (TCP, or AF_UNIX for unix)."""
    if args.mode == "unix":
        sock, failure = connect(args.path, args.seconds, socket.AF_UNIX)
    else:
        sock, failure = connect((args.host, args.port), args.seconds)
    if sock is None:
        print(f"connect: {failure}")
        return 1
    if args.mode == "fin":
        sock.close()
        print("connected, closed without sending")
        return 0
    if args.mode == "queued-reset":
        # sock holds the server in read() while a second connection, still queued, sends and is reset
        queued, failure = connect((args.host, args.port), args.seconds)
        if queued is None:
            print(f"second connect: {failure}")
            return 1
        queued.sendall(b"B" * args.bytes)
        reset(queued)
        sock.sendall(b"A" * MAXBUF)
        received, end = end_of(sock, deadline)
        sock.close()
        print(f"second connection sent {args.bytes} B and reset; first sent {MAXBUF} B, "
              f"received {render_bytes(received)}, then {end}")
        return 0
    sent = b"" if args.mode == "hold" else (args.data if args.data else b"A" * args.bytes)
    echoes = b""
    if args.lockstep:  # line by line, each once the previous one's echo is back; then shut down
        for line in sent.splitlines(keepends=True):
            sock.sendall(line)
            echoes += _echo_of(sock, len(line), deadline)
        sock.shutdown(socket.SHUT_WR)
    else:
        sock.sendall(sent)
    if args.reset_after is not None:
        time.sleep(args.reset_after)
        reset(sock)
        print(f"sent {len(sent)} B, reset {args.reset_after} s later")
        return 0
    if args.mode == "shutdown":
        sock.shutdown(socket.SHUT_WR)
    received, end = end_of(sock, deadline)
    sock.close()
    print(f"sent {len(sent)} B, received {render_bytes(echoes + received)}, then {end}")
    return 0


def _echo_of(sock, size, deadline):
    """Up to size bytes read from sock (fewer at its end, a reset or the deadline)."""
    received = bytearray()
    sock.settimeout(max(0.001, deadline - time.monotonic()))
    try:
        while len(received) < size and (chunk := sock.recv(size - len(received))):
            received += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return bytes(received)


def _several(args, deadline):
    """count connections held at once, every step waiting for the server's answer (so its calls come in one order):
    each in turn connects and sends "client I\\n", then each in reverse order sends "again I\\n", then each in turn
    shuts its sending side down and reads to the end."""
    socks, echoed = [], 0
    for step, i in enumerate(list(range(args.count)) + list(reversed(range(args.count)))):
        if step < args.count:  # the next connection once the previous one was served
            sock, failure = connect((args.host, args.port), args.seconds, family(args.host))
            if sock is None:
                print(f"connect {i}: {failure}")
                return 1
            socks.append(sock)
        message = (b"client %d\n" if step < args.count else b"again %d\n") % i
        socks[i].sendall(message)
        echoed += _echo_of(socks[i], len(message), deadline) == message
    ends = []
    for sock in socks:
        sock.shutdown(socket.SHUT_WR)
        ends.append(end_of(sock, deadline)[1])
        sock.close()
    print(f"{args.count} clients at once: {echoed} of {2 * args.count} messages echoed, then {', '.join(ends)}")
    return 0


def _datagram(args):
    sock = socket.socket(family(args.host), socket.SOCK_DGRAM)
    sock.settimeout(args.seconds)
    data = args.data if args.data else b"A" * args.bytes
    sock.sendto(data, (args.host, args.port))
    try:
        reply, _ = sock.recvfrom(65536)
        print(f"sent {len(data)} B, received {render_bytes(reply)}")
    except socket.timeout:
        print(f"sent {len(data)} B, no reply")
    except ConnectionRefusedError:
        print(f"sent {len(data)} B, ECONNREFUSED")
    sock.close()
    return 0


def _serve(args, deadline):
    """Listen on the port, accept one connection, echo what arrives (or close at once: --reply close)."""
    listener = socket.socket(family(args.host), socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(5)
    listener.settimeout(args.seconds)
    try:
        conn = listener.accept()[0]
    except socket.timeout:
        print("nobody connected")
        return 0
    finally:
        listener.close()
    received, end = bytearray(), "EOF"
    with conn:
        while True:
            conn.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                chunk = conn.recv(4096)
            except socket.timeout:
                end = "timeout"
                break
            if not chunk:
                break
            received += chunk
            if args.reply == "close":
                end = "closed by the peer"
                break
            conn.sendall(chunk)
    print(f"received {render_bytes(bytes(received))}, {'echoed' if args.reply == 'echo' else 'not echoed'}, "
          f"then {end}")
    return 0


def main(argv=None):
    """The peer; prints one line saying what it saw. Returns an exit status."""
    parser = argparse.ArgumentParser(prog="python -m csock_compare.peers")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("--bytes", type=int, default=0, help="bytes to send (send, queued-reset, datagram)")
    parser.add_argument("--data-hex", default="", help="what to send instead of --bytes A's, in hex")
    parser.add_argument("--count", type=int, default=1, help="connections (burst, sequential, clients)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--host", default="127.0.0.1", help="the loopback address to use (send, hold, fin, "
                        "shutdown, several...): 127.0.0.1 or ::1")
    parser.add_argument("--path", default="", help="the AF_UNIX path (unix)")
    parser.add_argument("--reply", choices=["echo", "close"], default="echo", help="serve: echo, or close at once")
    parser.add_argument("--seconds", type=float, default=5.0, help="the peer's whole time")
    parser.add_argument("--lockstep", type=lambda v: v in ("1", "True", "true"), default=False,
                        help="send, shutdown, unix: send data line by line, each once the previous echo is back, "
                        "then shut the sending side down")
    parser.add_argument("--reset-after", type=float, default=None, metavar="SECONDS",
                        help="send: reset (SO_LINGER 0) this long after sending instead of reading")
    args = parser.parse_args(argv)
    args.data = bytes.fromhex(args.data_hex)
    deadline = time.monotonic() + args.seconds
    if args.mode == "burst":
        tally, last = burst(args.host, args.port, args.count, args.seconds)
        print(tally_text(args.count, tally))
        print(f"the last one ended after {last:.1f} s")  # how fast: not part of the fate (errata.burst)
        return 0
    if args.mode in ("clients", "racing"):
        data = args.data if args.data else b"A" * args.bytes
        print(tally_text(args.count, burst(args.host, args.port, args.count, args.seconds, data, expected=data,
                                            shutdown=args.mode == "racing")[0]))
        return 0
    if args.mode == "sequential":
        print(tally_text(args.count, sequential(args.host, args.port, args.count, args.seconds)))
        return 0
    if args.mode == "datagram":
        return _datagram(args)
    if args.mode == "serve":
        return _serve(args, deadline)
    if args.mode == "several":
        return _several(args, deadline)
    return _stream(args, deadline)


if __name__ == "__main__":
    sys.exit(main())

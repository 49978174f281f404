"""The harness's own peers: `python -m csock_compare.peers MODE [options]`, Python's own socket module (the test's
side, never the code under test). Each prints one line of what it saw; that line is compared like any stdout.
The modes are listed in docs/DESCRIPTIONS.md.
"""
import argparse
import errno
import selectors
import socket
import struct
import sys
import time

from .normalise import render_bytes

PORT = 3600  # the book's port: used only inside the namespaces
MAXBUF = 1024  # the book's echo size: a burst's echo is 4 bytes padded to it
MODES = ("send", "hold", "fin", "queued-reset", "burst", "sequential", "clients", "datagram", "unix", "shutdown",
         "serve", "several", "racing")


def argv(peer):
    """The command line of a peer table {"mode": ..., option: value}."""
    options = [f"--data-hex={value.encode().hex()}" if key == "data" else f"--{key.replace('_', '-')}={value}"
               for key, value in peer.items() if key != "mode"]  # data as hex: argv cannot carry a NUL
    return [sys.executable, "-m", "csock_compare.peers", peer["mode"], *options]


def _end_of(sock, deadline):
    """(bytes received, how the stream ended: "EOF", "ECONNRESET", "timeout") reading sock until its end."""
    received = bytearray()
    while True:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return bytes(received), "timeout"
        except ConnectionResetError:
            return bytes(received), "ECONNRESET"
        if not chunk:
            return bytes(received), "EOF"
        received += chunk


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _connect(address, timeout, family=None):
    sock = socket.socket(family or _family(address[0]), socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError as e:
        sock.close()
        return None, errno.errorcode.get(e.errno, str(e.errno))
    return sock, None


def reset(sock):
    """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _new_tally():
    return {"echoed": 0, "short": 0, "reset": 0, "refused": 0, "timeout": 0}


def _burst(host, port, count, timeout, data=b"ping", expected=None, shutdown=False):
    """count connections opened at once (non-blocking), each sends data (then, shutdown, shuts its sending side
    down) and reads to the end: (tally, seconds)."""
    expected = data + b"\0" * (MAXBUF - len(data)) if expected is None else expected
    started = last = time.monotonic()
    deadline = started + timeout
    tally = _new_tally()
    selector = selectors.DefaultSelector()
    for _ in range(count):
        sock = socket.socket(_family(host), socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex((host, port))
        selector.register(sock, selectors.EVENT_WRITE, bytearray())
    while selector.get_map() and time.monotonic() < deadline:
        for key, events in selector.select(timeout=max(0.0, deadline - time.monotonic())):
            sock, received = key.fileobj, key.data
            if events & selectors.EVENT_WRITE:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if not error:
                    sock.sendall(data)
                    if shutdown:
                        sock.shutdown(socket.SHUT_WR)
                    selector.modify(sock, selectors.EVENT_READ, received)
                    continue
                outcome = "refused" if error == errno.ECONNREFUSED else "reset"
            else:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    outcome = "reset"
                else:
                    received += chunk
                    if chunk:
                        continue
                    outcome = "echoed" if received == expected else "short"
            tally[outcome] += 1
            last = time.monotonic()
            selector.unregister(sock)
            sock.close()
    tally["timeout"] += len(selector.get_map())
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    return tally, last - started


def _sequential(host, port, count, timeout):
    """count connections one after the other, each sends 4 bytes and reads to the end: a tally."""
    deadline = time.monotonic() + timeout
    tally = _new_tally()
    for done in range(count):
        if time.monotonic() >= deadline:
            tally["timeout"] += count - done
            break
        sock, failure = _connect((host, port), max(0.001, deadline - time.monotonic()))
        if sock is None:
            tally["refused" if failure == "ECONNREFUSED" else "timeout"] += 1
            continue
        sock.sendall(b"ping")
        received, end = _end_of(sock, deadline)
        sock.close()
        if end == "EOF":
            tally["echoed" if received == b"ping" + b"\0" * (MAXBUF - 4) else "short"] += 1
        else:
            tally["reset" if end == "ECONNRESET" else "timeout"] += 1
    return tally


def tally_text(count, tally):
    return f"{count} connections: " + ", ".join(f"{n} {what}" for what, n in tally.items() if n)


def tally_of(stdout):
    """{"echoed": n, ...} from a peer's first line "200 connections: 78 echoed, 122 timeout"."""
    first = stdout.decode("utf-8", "replace").split("\n", 1)[0]
    counts = first.split(": ", 1)[1].split(", ") if ": " in first else []
    return {what: int(n) for n, what in (part.split(" ", 1) for part in counts if part)}


def _stream(args, deadline):
    """The modes with one stream connection (TCP, or AF_UNIX for unix)."""
    if args.mode == "unix":
        sock, failure = _connect(args.path, args.seconds, socket.AF_UNIX)
    else:
        sock, failure = _connect((args.host, args.port), args.seconds)
    if sock is None:
        print(f"connect: {failure}")
        return 1
    if args.mode == "fin":
        sock.close()
        print("connected, closed without sending")
        return 0
    if args.mode == "queued-reset":
        # sock holds the server in read() while a second connection, still queued, sends and is reset
        queued, failure = _connect((args.host, args.port), args.seconds)
        if queued is None:
            print(f"second connect: {failure}")
            return 1
        queued.sendall(b"B" * args.bytes)
        reset(queued)
        sock.sendall(b"A" * MAXBUF)
        received, end = _end_of(sock, deadline)
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
    received, end = _end_of(sock, deadline)
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
            sock, failure = _connect((args.host, args.port), args.seconds, _family(args.host))
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
        ends.append(_end_of(sock, deadline)[1])
        sock.close()
    print(f"{args.count} clients at once: {echoed} of {2 * args.count} messages echoed, then {', '.join(ends)}")
    return 0


def _datagram(args):
    sock = socket.socket(_family(args.host), socket.SOCK_DGRAM)
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
    listener = socket.socket(_family(args.host), socket.SOCK_STREAM)
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
        tally, last = _burst(args.host, args.port, args.count, args.seconds)
        print(tally_text(args.count, tally))
        print(f"the last one ended after {last:.1f} s")  # how fast: not part of the fate (errata.burst)
        return 0
    if args.mode in ("clients", "racing"):
        data = args.data if args.data else b"A" * args.bytes
        print(tally_text(args.count, _burst(args.host, args.port, args.count, args.seconds, data, expected=data,
                                            shutdown=args.mode == "racing")[0]))
        return 0
    if args.mode == "sequential":
        print(tally_text(args.count, _sequential(args.host, args.port, args.count, args.seconds)))
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

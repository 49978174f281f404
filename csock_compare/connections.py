"""The connections a peer opens (csock_compare.peers): one (connect, read to its end), or many at once (modes burst,
clients, racing) or one after the other (sequential), counted in a one-line tally."""
import errno
import selectors
import socket
import time

MAXBUF = 1024  # the book's echo size: a burst's echo is 4 bytes padded to it


def end_of(sock, deadline):
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


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def connect(address, timeout, kind=None):
    """(a connected stream socket, None), or (None, the errno name) when connect() failed."""
    sock = socket.socket(kind or family(address[0]), socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError as e:
        sock.close()
        return None, errno.errorcode.get(e.errno, str(e.errno))
    return sock, None


def _new_tally():
    return {"echoed": 0, "short": 0, "reset": 0, "refused": 0, "timeout": 0}


def burst(host, port, count, timeout, data=b"ping", expected=None, shutdown=False):
    """count connections opened at once (non-blocking), each sends data (then, shutdown, shuts its sending side
    down) and reads to the end: (tally, seconds)."""
    expected = data + b"\0" * (MAXBUF - len(data)) if expected is None else expected
    started = last = time.monotonic()
    deadline = started + timeout
    tally = _new_tally()
    selector = selectors.DefaultSelector()
    for _ in range(count):
        sock = socket.socket(family(host), socket.SOCK_STREAM)
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


def sequential(host, port, count, timeout):
    """count connections one after the other, each sends 4 bytes and reads to the end: a tally."""
    deadline = time.monotonic() + timeout
    tally = _new_tally()
    for done in range(count):
        if time.monotonic() >= deadline:
            tally["timeout"] += count - done
            break
        sock, failure = connect((host, port), max(0.001, deadline - time.monotonic()))
        if sock is None:
            tally["refused" if failure == "ECONNREFUSED" else "timeout"] += 1
            continue
        sock.sendall(b"ping")
        received, end = end_of(sock, deadline)
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



"""Per-call cost from Python of the calls the echo server makes: htons, and write + read of 1024 bytes over a
socketpair, through csock, the stdlib and ctypes. Prints one JSON object: {api: {call: [ns per call, one per repeat]}}.

Each figure is the time of a loop of calls minus the time of the same loop with no call, divided by the loop length.
The loop length is found by doubling until one loop takes SECONDS (at most LOOPS calls), so every API costs about the
same wall time however slow its calls (PyPy's ctypes is ~100x slower than its cffi); the doubling also warms up the
JIT before the timed loops.
"""
import json
import os
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "servers"))

SIZE = 1024


def _empty_loop(loops):
    rng = range(loops)
    t0 = time.perf_counter_ns()
    for _ in rng:
        pass
    return time.perf_counter_ns() - t0


def _time_htons(htons, loops):
    rng = range(loops)
    t0 = time.perf_counter_ns()
    for _ in rng:
        htons(3600)
    return time.perf_counter_ns() - t0


def _time_io(write, read, wfd, rfd, buf, loops):
    rng = range(loops)
    t0 = time.perf_counter_ns()
    for _ in rng:
        write(wfd, buf, SIZE)
        read(rfd, buf, SIZE)
    return time.perf_counter_ns() - t0


def _time_stdlib_io(wsock, rsock, buf, loops):
    send, recv_into = wsock.send, rsock.recv_into
    rng = range(loops)
    t0 = time.perf_counter_ns()
    for _ in rng:
        send(buf)
        recv_into(buf, SIZE)
    return time.perf_counter_ns() - t0


def loop_length(timed, max_loops, seconds):
    """The number of calls, doubling from 1, at which one loop of timed(n) takes seconds, or max_loops."""
    n = 1
    while n < max_loops and timed(n) < seconds * 1e9:
        n = min(2 * n, max_loops)
    return n


def per_call(timed, n, repeats):
    """ns per call of timed(n), one figure per repeat, the empty loop of the same length taken off each."""
    return [(timed(n) - _empty_loop(n)) / n for _ in range(repeats)]


def measure(loops, repeats, seconds):
    import csock
    import echo_server_ctypes
    libc = echo_server_ctypes.libc

    sv = csock.ffi.new("int[2]")
    if csock.socketpair(csock.AF_UNIX, csock.SOCK_STREAM, 0, sv) != 0:
        raise csock.oserror()
    csock_buf = csock.ffi.new("char[]", SIZE)
    ctypes_buf = echo_server_ctypes.ctypes.create_string_buffer(SIZE)
    s0, s1 = socket.socketpair()
    stdlib_buf = bytearray(SIZE)
    io_loops = max(1, loops // 10)
    loops_of = {
        ("csock", "htons"): (lambda n: _time_htons(csock.htons, n), loops),
        ("stdlib", "htons"): (lambda n: _time_htons(socket.htons, n), loops),
        ("ctypes", "htons"): (lambda n: _time_htons(libc.htons, n), loops),
        ("csock", "write_read_1024"): (lambda n: _time_io(csock.write, csock.read, sv[1], sv[0], csock_buf, n),
                                       io_loops),
        ("ctypes", "write_read_1024"): (lambda n: _time_io(libc.write, libc.read, sv[1], sv[0], ctypes_buf, n),
                                        io_loops),
        ("stdlib", "write_read_1024"): (lambda n: _time_stdlib_io(s1, s0, stdlib_buf, n), io_loops),
    }
    out = {api: {"htons": [], "write_read_1024": []} for api in ("csock", "stdlib", "ctypes")}
    try:
        for (api, call), (timed, max_loops) in loops_of.items():
            out[api][call] = per_call(timed, loop_length(timed, max_loops, seconds), repeats)
    finally:
        csock.close(sv[0])
        csock.close(sv[1])
        s0.close()
        s1.close()
    return out


if __name__ == "__main__":
    loops = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    print(json.dumps(measure(loops, repeats, seconds)))

"""User-space instructions per call of each call in the echo server's loop: through csock (checked) and through
the raw cffi function of `lib`, counted by callgrind.

Each figure: callgrind's total for a loop of 2N calls minus that for N calls, divided by N, minus the same for an
empty loop. accept runs on a non-blocking listening socket with no connection pending (-1, EAGAIN): the same
Python-side and libc-side work as an accepted connection, without a client; read + write go over an AF_UNIX
socketpair; printf writes into libc's buffer of a stdout on /dev/null. Each loop makes its call as the port writes
it, the ffi.cast of accept's address and the clientaddr.sin_addr of inet_ntoa included.

    python3 bench/callgrind_calls.py [--loops N]
    python3 bench/callgrind_calls.py --python .venv-pypy/bin/python --loops 5000   # PyPy: its JIT compiles each
                                                  # loop in both runs at the same iteration, so N and 2N cancel it
"""
import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
CALLS = ["accept", "inet_ntoa", "printf", "memset", "read+write", "close"]
SOURCE = {
    "accept": "accept(server_sockfd, (struct sockaddr *) clientaddr, client_len)",
    "inet_ntoa": "inet_ntoa(clientaddr.sin_addr)",
    "printf": 'printf(b"New Client Connect: %s\\n", ...)',
    "memset": "memset(buf, 0x00, MAXBUF)",
    "read+write": "write(fd, buf, MAXBUF) + read(fd, buf, MAXBUF), 1024 bytes",
    "close": "close(-1) (EBADF: the call without a descriptor to free)",
}


def child(call, api, loops):
    sys.path.insert(0, os.path.dirname(HERE))
    import csock
    from csock import ffi, lib
    m = lib if api == "raw" else csock
    server = lib.socket(lib.AF_INET, lib.SOCK_STREAM | lib.SOCK_NONBLOCK, 0)
    address = ffi.new("struct sockaddr_in *")
    address.sin_family = lib.AF_INET
    address.sin_addr.s_addr = lib.htonl(0x7F000001)  # 127.0.0.1, port 0: any free one
    if lib.bind(server, ffi.cast("struct sockaddr *", address), ffi.sizeof(address[0])) or lib.listen(server, 5):
        raise SystemExit(f"bind/listen: errno {ffi.errno}")
    clientaddr = ffi.new("struct sockaddr_in *")
    client_len = ffi.new("socklen_t *", ffi.sizeof(clientaddr[0]))
    buf = ffi.new("char[]", 1024)
    pair = ffi.new("int[2]")
    if lib.socketpair(lib.AF_UNIX, lib.SOCK_STREAM, 0, pair):
        raise SystemExit(f"socketpair: errno {ffi.errno}")
    a, b = pair[0], pair[1]
    text = lib.inet_ntoa(clientaddr.sin_addr)
    rng = range(loops)
    if call == "accept":
        accept = m.accept
        for _ in rng:
            accept(server, ffi.cast("struct sockaddr *", clientaddr), client_len)
    elif call == "inet_ntoa":
        inet_ntoa = m.inet_ntoa
        for _ in rng:
            inet_ntoa(clientaddr.sin_addr)
    elif call == "printf":
        printf = m.printf
        for _ in rng:
            printf(b"New Client Connect: %s\n", text)
    elif call == "memset":
        memset = m.memset
        for _ in rng:
            memset(buf, 0x00, 1024)
    elif call == "read+write":
        read, write = m.read, m.write
        for _ in rng:
            write(a, buf, 1024)
            read(b, buf, 1024)
    elif call == "close":
        close = m.close
        for _ in rng:
            close(-1)
    elif call == "empty":
        for _ in rng:
            pass


def instructions(python, call, api, loops, workdir):
    out = os.path.join(workdir, f"callgrind.{call}.{api}.{loops}")
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("PYTHONUNBUFFERED", None)
    implementation = subprocess.run([python, "-c", "import platform; print(platform.python_implementation())"],
                                    capture_output=True, text=True, check=True).stdout.strip()
    jit = ["--smc-check=all-non-file"] if implementation == "PyPy" else []  # code the JIT writes at run time
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *jit, python,
                    os.path.abspath(__file__), "--child", call, api, str(loops)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True, timeout=600)
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError(f"no total in {out}")


def per_call(python, call, api, loops, workdir):
    return (instructions(python, call, api, 2 * loops, workdir) - instructions(python, call, api, loops, workdir)) / loops


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--loops", type=int, default=2000, help="N: loops of N and 2N calls (default 2000)")
    p.add_argument("--python", default=sys.executable, help="the interpreter to count (default: this one)")
    p.add_argument("--calls", default=",".join(CALLS), help=f"which calls, comma-separated (default {','.join(CALLS)})")
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        call, api, loops = args.child
        return child(call, api, int(loops))
    calls = [call for call in CALLS if call in args.calls.split(",")]
    jobs = [("empty", "raw")] + [(call, api) for call in calls for api in ("raw", "csock")]
    with tempfile.TemporaryDirectory(prefix="csock-callgrind-") as workdir, \
            ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: per_call(args.python, *job, args.loops, workdir), jobs)))
    empty = counts[("empty", "raw")]
    print(f"instructions per call (callgrind, ({2 * args.loops} - {args.loops} loops) / {args.loops}, "
          f"minus an empty loop's {empty:.0f})")
    print(f"{'call':12} {'raw cffi':>9} {'csock':>9}  in the port")
    for call in calls:
        raw, checked = counts[(call, "raw")] - empty, counts[(call, "csock")] - empty
        print(f"{call:12} {raw:9.0f} {checked:9.0f}  {SOURCE[call]}")


if __name__ == "__main__":
    sys.exit(main())

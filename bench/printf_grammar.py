"""printf's format checker: parse time of 20,000-byte formats, RSS over 100,000 distinct formats, instructions per call.

    python3 bench/printf_grammar.py

Prints medians (ms) of csock._printf.parse on 20,000- and 2,000-byte formats of each shape and their ratio (10 is
linear); the RSS growth of a child that calls csock.printf with 100,000 distinct formats (stdout /dev/null); and,
where valgrind is installed, callgrind's instructions to parse each format and per printf call for 1,000 vs 3,000
calls of each case, start-up cancelled. The targets (issue 10): milliseconds, under 2 MB, and the server's call no slower.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# (unit repeated, end): the last is refused at its end, after every other conversion was analysed
SHAPES = [(b"%d", b""), (b"%%", b""), (b"%*.*%", b""), (b"%-+ #0'I12.7Lf", b""), (b"%-10s|", b""), (b"%d", b"%5$d")]
CALLS = {  # case -> the call the child repeats (stdout is /dev/null)
    "server %s of inet_ntoa": 'printf(b"New Client Connect: %s\\n", inet_ntoa(addr.sin_addr))',
    "client %d": 'printf(b"send messages (%d bytes)\\n", 5)',
    "client %s of char[1024]": 'printf(b"read : %s", buf)',
    "three arguments": 'printf(b"%d|%s|%x\\n", 5, b"ab", 7)',
}
CHILD = """
import sys
import csock
from csock import printf, inet_ntoa, ffi, htonl, INADDR_LOOPBACK
addr = ffi.new("struct sockaddr_in *"); addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK)
buf = ffi.new("char[]", 1024); ffi.memmove(buf, b"x" * 1000, 1000)
for _ in range(int(sys.argv[1])):
    {call}
"""
PARSE_CHILD = """
import sys
from csock import _printf
unit, end, n = sys.argv[1].encode(), sys.argv[2].encode(), int(sys.argv[3])
fmt = unit * ((n - len(end)) // len(unit)) + end
try:
    _printf.parse(fmt)
except ValueError:
    pass
"""
RSS_CHILD = """
import csock
def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
for i in range(2000):  # warm up: the converters, the cache at its bound
    csock.printf(b"%d %s " + str(i).encode() + b"\\n", i, b"x")
before = rss()
for i in range(100000):
    csock.printf(b"%d %s " + str(i).encode() + b"\\n", i, b"x")
csock.fflush(csock.stdout)
print(rss() - before)
"""


def parse_ms(unit, end, n):
    from csock import _printf
    fmt = unit * ((n - len(end)) // len(unit)) + end
    times = []
    for _ in range(5):
        start = time.perf_counter()
        try:
            _printf.parse(fmt)
        except ValueError:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def instructions(code, *argv):
    out = os.path.join(tempfile.mkdtemp(), "callgrind.out")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
                           code, *map(str, argv)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, check=True, timeout=600)
    return int(done.stderr.decode().split("Collected : ")[1].split()[0])


def main():
    print("parse, median of 5 (ms): shape, 2,000 bytes, 20,000 bytes, ratio")
    for unit, end in SHAPES:
        small, large = parse_ms(unit, end, 2000), parse_ms(unit, end, 20000)
        print(f"  {(unit + b'...' + end).decode():22} {small:7.3f} {large:7.3f} {large / small:5.1f}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open(os.devnull, "wb") as null:
        grown = subprocess.run([sys.executable, "-c", RSS_CHILD], stdout=subprocess.PIPE, stderr=null, env=env,
                               check=True, timeout=600).stdout
    print(f"RSS growth over 100,000 distinct formats: {int(grown.split()[-1])} kB")
    if shutil.which("valgrind"):
        print("instructions to parse (callgrind, minus start-up): shape, 2,000 bytes, 20,000 bytes, ratio")
        for unit, end in SHAPES:
            base = instructions(PARSE_CHILD, unit.decode(), end.decode(), len(end))
            small, large = (instructions(PARSE_CHILD, unit.decode(), end.decode(), n) - base for n in (2000, 20000))
            print(f"  {(unit + b'...' + end).decode():22} {small:10d} {large:10d} {large / small:5.1f}")
        print("instructions per call (callgrind, 3,000 - 1,000 calls):")
        for case, call in CALLS.items():
            code = CHILD.format(call=call)
            print(f"  {case:26} {(instructions(code, 3000) - instructions(code, 1000)) / 2000:8.0f}")


if __name__ == "__main__":
    main()

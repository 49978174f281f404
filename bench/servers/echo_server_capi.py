"""Reference floor, not a deliverable: the loop of Linux/echo_server.py (same calls, same order) on a minimal
hand-written CPython C-API extension, bench/floors/capi_floor.c.

The extension is the least a checked binding can cost per call: METH_FASTCALL (no argument tuple), every buffer's
bounds checked through the buffer protocol, the GIL released only around the calls that may block. bench/run.py
builds it into build/bench/ and passes that folder in CSOCK_BENCH_BUILD; the port is the last argument, as for the
other servers.
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.environ.get("CSOCK_BENCH_BUILD", os.path.join(ROOT, "build", "bench")))

from capi_floor import accept, close, inet_ntoa, memset, printf_s, read, write  # noqa: E402 (needs the path)
from csock import ffi, lib  # noqa: E402 (the set-up before the loop only)

MAXBUF = 1024
SOCKADDR_IN_SIZE = 16


def main(argv):
    buf = bytearray(MAXBUF)
    clientaddr = bytearray(SOCKADDR_IN_SIZE)  # a struct sockaddr_in's bytes: inet_ntoa reads its sin_addr
    client_len = bytearray(struct.pack("I", SOCKADDR_IN_SIZE))  # a socklen_t accept may write to
    serveraddr = ffi.new("struct sockaddr_in *")  # ffi.new zero-fills: the original's memset of it
    server_sockfd = lib.socket(lib.AF_INET, lib.SOCK_STREAM, lib.IPPROTO_TCP)
    serveraddr.sin_family = lib.AF_INET
    serveraddr.sin_addr.s_addr = lib.htonl(lib.INADDR_ANY)
    serveraddr.sin_port = lib.htons(int(argv[1]))
    lib.bind(server_sockfd, ffi.cast("struct sockaddr *", serveraddr), SOCKADDR_IN_SIZE)
    lib.listen(server_sockfd, 5)
    while 1:
        client_sockfd = accept(server_sockfd, clientaddr, client_len)
        printf_s(b"New Client Connect: %s\n", inet_ntoa(clientaddr))
        memset(buf, 0x00, MAXBUF)
        if (n := read(client_sockfd, buf, MAXBUF)) <= 0:  # n assigned, as in the port
            close(client_sockfd)
            continue
        if write(client_sockfd, buf, MAXBUF) <= 0:
            close(client_sockfd)
        close(client_sockfd)


if __name__ == "__main__":
    main(sys.argv)

"""Reference floor, not a deliverable: the loop of Linux/echo_server.py (same calls, same order) on the raw cffi
functions csock calls, with no check at all: those of `csock._csock_nonblocking` (inet_ntoa and memset made holding
the GIL) and, through it, of `csock.lib` (accept, read, write, close: the GIL released around them).

What it measures is cffi's own call protocol from Python (an argument tuple per call, argument conversion, errno
saved, the GIL released and taken again where the call may block): the least a cffi binding, checked or not, costs.
bench/run.py shows it next to csock so that the issue's targets can be read against it. printf goes through the
binding's fixed-argument helper `csock_printf_p` (what csock calls for one %s), not the variadic `lib.printf` that
goes through libffi.
"""
import sys

from csock import ffi
from csock._csock_nonblocking import lib  # its own never-blocking calls, and every other one of csock.lib

MAXBUF = 1024


def main(argv):
    # Locals: the cheapest name lookup there is, so that only the calls themselves are left.
    accept, inet_ntoa, printf, memset = lib.accept, lib.inet_ntoa, lib.csock_printf_p, lib.memset
    read, write, close = lib.read, lib.write, lib.close
    buf = ffi.new("char[]", MAXBUF)
    clientaddr = ffi.new("struct sockaddr_in *")
    client_len = ffi.new("socklen_t *", ffi.sizeof("struct sockaddr_in"))
    serveraddr = ffi.new("struct sockaddr_in *")  # ffi.new zero-fills: the original's memset of it
    server_sockfd = lib.socket(lib.AF_INET, lib.SOCK_STREAM, lib.IPPROTO_TCP)
    serveraddr.sin_family = lib.AF_INET
    serveraddr.sin_addr.s_addr = lib.htonl(lib.INADDR_ANY)
    serveraddr.sin_port = lib.htons(int(argv[1]))
    lib.bind(server_sockfd, ffi.cast("struct sockaddr *", serveraddr), ffi.sizeof("struct sockaddr_in"))
    lib.listen(server_sockfd, 5)
    while 1:
        client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
        printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
        memset(buf, 0x00, MAXBUF)
        if (n := read(client_sockfd, buf, MAXBUF)) <= 0:  # n assigned, as in the port
            close(client_sockfd)
            continue
        if write(client_sockfd, buf, MAXBUF) <= 0:
            close(client_sockfd)
        close(client_sockfd)


if __name__ == "__main__":
    main(sys.argv)

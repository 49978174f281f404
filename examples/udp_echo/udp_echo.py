from csock import socket, bind, recvfrom, sendto, AF_INET, SOCK_DGRAM  # <sys/socket.h>
from csock import htonl, htons, inet_ntoa, INADDR_LOOPBACK  # <arpa/inet.h>
from csock import printf, perror  # <stdio.h>
from csock import memset  # <string.h>
from csock import atoi, ffi  # <stdlib.h>; ffi makes the C variables
MAXBUF = 512
def main(argc, argv):

    sockfd = n = 0
    addrlen = ffi.new("socklen_t *")
    buf = ffi.new("char[]", MAXBUF)
    addr = ffi.new("struct sockaddr_in *"); peer = ffi.new("struct sockaddr_in *")
    if argc != 2:
        printf(b"usage: udp_echo PORT\n")
        return 2

    sockfd = socket(AF_INET, SOCK_DGRAM, 0)
    memset(addr, 0, ffi.sizeof(addr[0]))
    addr.sin_family = AF_INET
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK)
    addr.sin_port = htons(atoi(argv[1]))
    if bind(sockfd, ffi.cast("struct sockaddr *", addr), ffi.sizeof(addr[0])) == -1:
        perror(b"bind")
        return 1

    while 1:
        addrlen[0] = ffi.sizeof(peer[0])
        n = recvfrom(sockfd, buf, MAXBUF, 0, ffi.cast("struct sockaddr *", peer), addrlen)
        if n < 0:
            perror(b"recvfrom")
            return 1

        printf(b"%d bytes from %s\n", n, inet_ntoa(peer.sin_addr))
        sendto(sockfd, buf, n, 0, ffi.cast("struct sockaddr *", peer), addrlen[0])


if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused what C would do silently
        sys.exit(f"udp_echo.py: {refused}")

from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM, IPPROTO_TCP  # <sys/socket.h>
# <sys/stat.h>: nothing of it is used
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h>
from csock import printf, perror  # <stdio.h>
from csock import memset  # <string.h>
from csock import exit, atoi  # <stdlib.h>
from csock import read, write, close, ffi  # <unistd.h>; ffi makes the C variables
MAXBUF = 1024
def main(argc, argv):

         server_sockfd = client_sockfd = n = 0; client_len = ffi.new("socklen_t *")  # C: an int passed as socklen_t * (ERRATA #15)
         buf = ffi.new("char[]", MAXBUF)
         clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
         client_len[0] = ffi.sizeof(clientaddr[0])
         if (server_sockfd := socket (AF_INET, SOCK_STREAM, IPPROTO_TCP) ) == -1:
                 perror(b"socket error : ")
                 exit(0)

         memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
         serveraddr.sin_family = AF_INET
         serveraddr.sin_addr.s_addr = htonl(INADDR_ANY)
         serveraddr.sin_port = htons(atoi(argv[1]))  # input PORT NUMBER

         bind (server_sockfd, ffi.cast("struct sockaddr *", serveraddr), ffi.sizeof(serveraddr[0]))
         listen(server_sockfd, 5)
         while 1:

                 client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr),
                          client_len)
                 printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                 memset(buf, 0x00, MAXBUF)
                 if (n := read(client_sockfd, buf, MAXBUF) ) <= 0:
                          close(client_sockfd)
                          continue

                 if write(client_sockfd, buf, MAXBUF) <=0:
                          perror(b"write error : ")
                          close(client_sockfd)

                 close(client_sockfd)

         close(server_sockfd)
         return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    if len(sys.argv) < 2:  # C: atoi(NULL) crashes; the port says why instead
        print("usage: echo_server.py PORT", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # C truncates or misbehaves silently here (ERRATA.md F1)
        sys.exit(f"echo_server.py: {refused}")

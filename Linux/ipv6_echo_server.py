from csock import socket, bind, listen, accept, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import getaddrinfo, freeaddrinfo, gai_strerror, AI_PASSIVE, AI_NUMERICHOST, AI_NUMERICSERV  # <netdb.h> getaddrinfo, struct addrinfo
from csock import inet_ntop, AF_INET6, INET6_ADDRSTRLEN  # <arpa/inet.h> inet_ntop, struct sockaddr_in6
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXBUF = 1024
def main(argc, argv):

        server_sockfd = client_sockfd = rc = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF); addrstr = ffi.new("char[]", INET6_ADDRSTRLEN)
        clientaddr = ffi.new("struct sockaddr_in6 *")
        hints = ffi.new("struct addrinfo *"); res = ffi.new("struct addrinfo **")
        if argc != 2:
                fprintf(stderr, b"usage : ipv6_echo_server port\n")
                return 1

        # 주소 구조체를 손으로 채우지 않고 getaddrinfo에게 맡긴다
        memset(hints, 0x00, ffi.sizeof(hints[0]))
        hints.ai_family = AF_INET6
        hints.ai_socktype = SOCK_STREAM
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        if (rc := getaddrinfo(b"::1", argv[1], hints, res)) != 0:
                fprintf(stderr, b"getaddrinfo error : %s\n", gai_strerror(rc))
                return 1

        if (server_sockfd := socket(res[0].ai_family, res[0].ai_socktype, res[0].ai_protocol)) == -1:
                perror(b"socket error : ")
                return 1

        if bind(server_sockfd, res[0].ai_addr, res[0].ai_addrlen) == -1:
                perror(b"bind error : ")
                return 1

        freeaddrinfo(res[0])
        listen(server_sockfd, 5)
        while 1:

                client_len[0] = ffi.sizeof(clientaddr[0])
                client_sockfd = accept(server_sockfd, clientaddr, client_len)  # uncast: a cast pointer only vouches for 16 bytes
                if client_sockfd == -1:
                        perror(b"accept error : ")
                        continue

                # inet_ntoa는 IPv4 전용이다: inet_ntop으로 주소를 글자로 바꾼다
                inet_ntop(AF_INET6, ffi.addressof(clientaddr[0], "sin6_addr"), addrstr, ffi.sizeof(addrstr))
                printf(b"New Client Connect: %s\n", addrstr)
                while (n := read(client_sockfd, buf, MAXBUF)) > 0:
                        write(client_sockfd, buf, n)
                close(client_sockfd)

        close(server_sockfd)
        return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused a call C would make with undefined behaviour
        sys.exit(f"{os.path.basename(sys.argv[0])}: {refused}")

from csock import socket, bind, recvfrom, sendto, AF_INET, SOCK_DGRAM  # <sys/socket.h> 소켓 관련 함수
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import close, ffi  # <unistd.h> close; ffi makes the C variables
MAXBUF = 65535  # 데이터그램 하나가 담을 수 있는 가장 큰 크기
def main(argc, argv):

        server_sockfd = port = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        if argc != 2:
                fprintf(stderr, b"usage : udp_echo_server port\n")
                return 1

        port = atoi(argv[1])
        if port < 1 or port > 65535:
                fprintf(stderr, b"port error : %s\n", argv[1])
                return 1

        # 데이터그램(UDP) 소켓을 만든다
        if (server_sockfd := socket(AF_INET, SOCK_DGRAM, 0)) == -1:
                perror(b"socket error : ")
                return 1

        memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
        serveraddr.sin_family = AF_INET
        serveraddr.sin_addr.s_addr = htonl(INADDR_ANY)
        serveraddr.sin_port = htons(port)
        if bind(server_sockfd, ffi.cast("struct sockaddr *", serveraddr), ffi.sizeof(serveraddr[0])) == -1:
                perror(b"bind error : ")
                return 1

        # listen도 accept도 없다: 받은 데이터그램을 보낸 주소로 그대로 돌려준다
        while 1:

                client_len[0] = ffi.sizeof(clientaddr[0])
                n = recvfrom(server_sockfd, buf, MAXBUF, 0, ffi.cast("struct sockaddr *", clientaddr), client_len)
                if n == -1:
                        perror(b"recvfrom error : ")
                        continue

                printf(b"Datagram from %s : %d bytes\n", inet_ntoa(clientaddr.sin_addr), n)
                if sendto(server_sockfd, buf, n, 0, ffi.cast("struct sockaddr *", clientaddr), client_len[0]) == -1:
                        perror(b"sendto error : ")

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

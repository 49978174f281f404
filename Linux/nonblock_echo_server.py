from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import fcntl, F_GETFL, F_SETFL, O_NONBLOCK  # <fcntl.h> fcntl, O_NONBLOCK
from csock import errno, EAGAIN, EWOULDBLOCK  # <errno.h> errno, EAGAIN
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import read, write, close, usleep, ffi  # <unistd.h> read, write, close, usleep; ffi makes the C variables
MAXBUF = 1024
MAXCLIENT = 64
def main(argc, argv):

        server_sockfd = client_sockfd = port = flags = i = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        client = ffi.new("int[]", MAXCLIENT)  # 연결된 소켓들, 빈 칸은 -1
        if argc != 2:
                fprintf(stderr, b"usage : nonblock_echo_server port\n")
                return 1

        port = atoi(argv[1])
        if port < 1 or port > 65535:
                fprintf(stderr, b"port error : %s\n", argv[1])
                return 1

        if (server_sockfd := socket(AF_INET, SOCK_STREAM, 0)) == -1:
                perror(b"socket error : ")
                return 1

        memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
        serveraddr.sin_family = AF_INET
        serveraddr.sin_addr.s_addr = htonl(INADDR_ANY)
        serveraddr.sin_port = htons(port)
        if bind(server_sockfd, ffi.cast("struct sockaddr *", serveraddr), ffi.sizeof(serveraddr[0])) == -1:
                perror(b"bind error : ")
                return 1

        listen(server_sockfd, 5)
        # 듣는 소켓을 non-blocking으로: 기다리는 연결이 없으면 accept가 바로 EAGAIN으로 돌아온다
        flags = fcntl(server_sockfd, F_GETFL, 0)
        fcntl(server_sockfd, F_SETFL, flags | O_NONBLOCK)
        for i in range(0, MAXCLIENT):
                client[i] = -1
        while 1:

                client_len[0] = ffi.sizeof(clientaddr[0])
                client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
                if client_sockfd == -1:
                        if errno() != EAGAIN and errno() != EWOULDBLOCK:
                                perror(b"accept error : ")
                else:
                        i = next((free for free in range(0, MAXCLIENT) if client[free] == -1), MAXCLIENT)  # C's empty for loop
                        if i == MAXCLIENT:
                                close(client_sockfd)  # 빈 칸이 없다
                        else:
                                printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                                # accept한 소켓은 O_NONBLOCK을 물려받지 않는다
                                flags = fcntl(client_sockfd, F_GETFL, 0)
                                fcntl(client_sockfd, F_SETFL, flags | O_NONBLOCK)
                                client[i] = client_sockfd


                # 클라이언트마다 읽어 본다: 온 데이터가 없으면 EAGAIN
                for i in range(0, MAXCLIENT):

                        if client[i] == -1:
                                continue
                        n = read(client[i], buf, MAXBUF)
                        if n == -1 and (errno() == EAGAIN or errno() == EWOULDBLOCK):
                                continue
                        if n <= 0:  # 연결이 끝났거나(0) 끊겼다(-1)
                                close(client[i])
                                client[i] = -1
                        elif write(client[i], buf, n) != n:
                                perror(b"write error : ")


                usleep(10000)  # 할 일이 없어도 돌기만 하는 고리: 10ms 쉬어 CPU를 다 쓰지 않는다

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

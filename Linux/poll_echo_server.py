from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import poll, POLLIN, POLLERR, POLLHUP  # <poll.h> poll, struct pollfd
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXBUF = 1024
MAXCLIENT = 64  # 듣는 소켓 하나와 클라이언트 63개
def main(argc, argv):

        server_sockfd = client_sockfd = port = maxi = i = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        client = ffi.new("struct pollfd[]", MAXCLIENT)
        if argc != 2:
                fprintf(stderr, b"usage : poll_echo_server port\n")
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
        # 지켜볼 소켓들: 0번 칸은 듣는 소켓, 빈 칸은 fd가 -1 (poll이 건너뛴다)
        client[0].fd = server_sockfd
        client[0].events = POLLIN
        for i in range(1, MAXCLIENT):
                client[i].fd = -1
        maxi = 0
        while 1:

                if poll(client, maxi + 1, -1) == -1:
                        perror(b"poll error : ")
                        return 1

                # 듣는 소켓이 읽을 수 있다: 새 연결이 왔다
                if client[0].revents & POLLIN:
                        client_len[0] = ffi.sizeof(clientaddr[0])
                        client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
                        if client_sockfd == -1:
                                perror(b"accept error : ")
                        else:
                                i = next((free for free in range(1, MAXCLIENT) if client[free].fd == -1), MAXCLIENT)  # C's empty for loop

                                if i == MAXCLIENT:
                                        close(client_sockfd)  # 빈 칸이 없다
                                else:
                                        printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                                        client[i].fd = client_sockfd
                                        client[i].events = POLLIN
                                        if i > maxi:
                                                maxi = i



                # 읽을 수 있거나 끊긴 클라이언트마다 한 번 읽고 읽은 만큼 돌려준다
                for i in range(1, maxi + 1):

                        if client[i].fd == -1 or not (client[i].revents & (POLLIN | POLLERR | POLLHUP)):
                                continue
                        n = read(client[i].fd, buf, MAXBUF)
                        if n <= 0:  # 연결이 끝났거나(0) 끊겼다(-1)
                                close(client[i].fd)
                                client[i].fd = -1
                        elif write(client[i].fd, buf, n) != n:
                                perror(b"write error : ")



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

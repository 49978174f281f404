from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import select, FD_ZERO, FD_SET, FD_CLR, FD_ISSET, FD_SETSIZE  # <sys/select.h> select, fd_set, FD_* 매크로
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXBUF = 1024
def main(argc, argv):

        server_sockfd = client_sockfd = port = maxfd = fd = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        readfds = ffi.new("fd_set *"); allfds = ffi.new("fd_set *")
        if argc != 2:
                fprintf(stderr, b"usage : select_echo_server port\n")
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
        # 지켜볼 소켓들: 처음에는 듣는 소켓 하나
        FD_ZERO(allfds)
        FD_SET(server_sockfd, allfds)
        maxfd = server_sockfd
        while 1:

                readfds[0] = allfds[0]  # select가 readfds를 바꿔 놓으므로 매번 복사한다
                if select(maxfd + 1, readfds, ffi.NULL, ffi.NULL, ffi.NULL) == -1:
                        perror(b"select error : ")
                        return 1

                # 듣는 소켓이 읽을 수 있다: 새 연결이 왔다
                if FD_ISSET(server_sockfd, readfds):
                        client_len[0] = ffi.sizeof(clientaddr[0])
                        client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
                        if client_sockfd == -1:
                                perror(b"accept error : ")
                        elif client_sockfd >= FD_SETSIZE:
                                close(client_sockfd)  # fd_set에 넣을 수 없다
                        else:
                                printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                                FD_SET(client_sockfd, allfds)
                                if client_sockfd > maxfd:
                                        maxfd = client_sockfd


                # 읽을 수 있는 클라이언트마다 한 번 읽고 읽은 만큼 돌려준다
                for fd in range(0, maxfd + 1):

                        if fd == server_sockfd or not FD_ISSET(fd, readfds):
                                continue
                        n = read(fd, buf, MAXBUF)
                        if n <= 0:  # 연결이 끝났거나(0) 끊겼다(-1)
                                close(fd)
                                FD_CLR(fd, allfds)
                        elif write(fd, buf, n) != n:
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

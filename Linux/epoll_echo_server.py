from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import epoll_create1, epoll_ctl, epoll_wait, EPOLLIN, EPOLL_CTL_ADD  # <sys/epoll.h> epoll_create1, epoll_ctl, epoll_wait
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXBUF = 1024
MAXEVENTS = 64  # epoll_wait 한 번에 받을 사건의 수
def main(argc, argv):

        server_sockfd = client_sockfd = port = epfd = nfds = fd = i = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        ev = ffi.new("struct epoll_event *"); events = ffi.new("struct epoll_event[]", MAXEVENTS)
        if argc != 2:
                fprintf(stderr, b"usage : epoll_echo_server port\n")
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
        # 지켜볼 소켓들은 커널이 기억한다: 처음에는 듣는 소켓 하나
        if (epfd := epoll_create1(0)) == -1:
                perror(b"epoll_create1 error : ")
                return 1

        memset(ev, 0x00, ffi.sizeof(ev[0]))  # data는 union: fd만 쓰면 나머지 바이트는 쓰레기로 남는다
        ev.events = EPOLLIN
        ev.data.fd = server_sockfd
        epoll_ctl(epfd, EPOLL_CTL_ADD, server_sockfd, ev)
        while 1:

                if (nfds := epoll_wait(epfd, events, MAXEVENTS, -1)) == -1:
                        perror(b"epoll_wait error : ")
                        return 1

                # select와 poll과 달리 준비된 소켓만 돌려받는다
                for i in range(0, nfds):

                        fd = events[i].data.fd
                        if fd == server_sockfd:  # 새 연결이 왔다
                                client_len[0] = ffi.sizeof(clientaddr[0])
                                client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
                                if client_sockfd == -1:
                                        perror(b"accept error : ")
                                        continue

                                printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                                ev.events = EPOLLIN
                                ev.data.fd = client_sockfd
                                epoll_ctl(epfd, EPOLL_CTL_ADD, client_sockfd, ev)
                                continue

                        n = read(fd, buf, MAXBUF)
                        if n <= 0:  # 연결이 끝났거나(0) 끊겼다(-1): close가 epoll에서도 뺀다
                                close(fd)
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

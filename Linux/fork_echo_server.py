from csock import socket, bind, listen, accept, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import waitpid, WNOHANG  # <sys/wait.h> waitpid, WNOHANG
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi, exit  # <stdlib.h> atoi, exit
from csock import fork, read, write, close, ffi  # <unistd.h> fork, read, write, close; ffi makes the C variables
from csock import signal, SIGCHLD  # <signal.h> signal, SIGCHLD
from csock import errno, EINTR  # <errno.h> errno, EINTR
MAXBUF = 1024
# 끝난 자식을 거둔다: 거두지 않으면 좀비로 남는다
def sigchld_handler(signo):

        status = ffi.new("int *"); saved_errno = errno()  # waitpid가 바꾸는 errno를 되돌려 놓는다
        while waitpid(-1, status, WNOHANG) > 0: pass
        ffi.errno = saved_errno

def main(argc, argv):

        server_sockfd = client_sockfd = port = n = 0
        pid = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        if argc != 2:
                fprintf(stderr, b"usage : fork_echo_server port\n")
                return 1

        port = atoi(argv[1])
        if port < 1 or port > 65535:
                fprintf(stderr, b"port error : %s\n", argv[1])
                return 1

        signal(SIGCHLD, sigchld_handler)
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
        while 1:

                client_len[0] = ffi.sizeof(clientaddr[0])
                client_sockfd = accept(server_sockfd, ffi.cast("struct sockaddr *", clientaddr), client_len)
                if client_sockfd == -1:
                        if errno() == EINTR:  # SIGCHLD가 accept를 깨웠다
                                continue
                        perror(b"accept error : ")
                        continue

                printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
                # 클라이언트마다 자식 프로세스 하나
                pid = fork()
                if pid == -1:
                        perror(b"fork error : ")
                        close(client_sockfd)
                        continue

                if pid == 0:  # 자식: 듣는 소켓은 부모의 몫이다
                        close(server_sockfd)
                        while (n := read(client_sockfd, buf, MAXBUF)) > 0:
                                write(client_sockfd, buf, n)
                        close(client_sockfd)
                        exit(0)

                # 부모: 연결된 소켓은 자식의 몫이다
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

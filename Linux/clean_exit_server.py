from csock import socket, bind, listen, accept, setsockopt, getsockopt, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, SO_RCVBUF  # <sys/socket.h> 소켓 관련 함수
from csock import htonl, htons, inet_ntoa, INADDR_ANY  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi, exit  # <stdlib.h> atoi, exit
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
from csock import signal, SIGTERM, SIGINT  # <signal.h> signal, SIGTERM, SIGINT
MAXBUF = 1024
# kill이나 Ctrl-C로 끝나도 exit(0): 표준 입출력 버퍼를 비우고 성공으로 끝난다
def cleanExit(signo):

        exit(0)

def main(argc, argv):

        server_sockfd = client_sockfd = port = n = 0; optval = ffi.new("int *"); rcvbuf = ffi.new("int *")
        client_len = ffi.new("socklen_t *"); optlen = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_in *"); serveraddr = ffi.new("struct sockaddr_in *")
        if argc != 2:
                fprintf(stderr, b"usage : clean_exit_server port\n")
                return 1

        port = atoi(argv[1])
        if port < 1 or port > 65535:
                fprintf(stderr, b"port error : %s\n", argv[1])
                return 1

        signal(SIGTERM, cleanExit)
        signal(SIGINT, cleanExit)
        if (server_sockfd := socket(AF_INET, SOCK_STREAM, 0)) == -1:
                perror(b"socket error : ")
                return 1

        # 끝난 서버의 연결이 TIME_WAIT로 남아 있어도 같은 포트에 바로 다시 bind한다
        optval[0] = 1
        setsockopt(server_sockfd, SOL_SOCKET, SO_REUSEADDR, optval, ffi.sizeof("int"))
        # 커널이 이 소켓에 준 수신 버퍼의 크기를 읽어 본다
        optlen[0] = ffi.sizeof("int")
        getsockopt(server_sockfd, SOL_SOCKET, SO_RCVBUF, rcvbuf, optlen)
        printf(b"SO_RCVBUF : %d\n", rcvbuf[0])
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
                        perror(b"accept error : ")
                        continue

                printf(b"New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr))
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

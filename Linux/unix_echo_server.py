from csock import socket, bind, listen, accept, AF_UNIX, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
# <sys/un.h> struct sockaddr_un: 파일 경로가 주소인 소켓
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset, strlen, strncpy  # <string.h> 문자열 관련
from csock import read, write, close, unlink, ffi  # <unistd.h> read, write, close, unlink; ffi makes the C variables
MAXBUF = 1024
def main(argc, argv):

        server_sockfd = client_sockfd = n = 0
        client_len = ffi.new("socklen_t *")
        buf = ffi.new("char[]", MAXBUF)
        clientaddr = ffi.new("struct sockaddr_un *"); serveraddr = ffi.new("struct sockaddr_un *")
        if argc != 2:
                fprintf(stderr, b"usage : unix_echo_server path\n")
                return 1

        if strlen(argv[1]) >= ffi.sizeof(serveraddr.sun_path):
                fprintf(stderr, b"path too long : %s\n", argv[1])
                return 1

        if (server_sockfd := socket(AF_UNIX, SOCK_STREAM, 0)) == -1:
                perror(b"socket error : ")
                return 1

        # 지난번 서버가 남긴 소켓 파일이 있으면 bind가 실패한다: 먼저 지운다
        unlink(argv[1])
        memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
        serveraddr.sun_family = AF_UNIX
        strncpy(serveraddr.sun_path, argv[1], ffi.sizeof(serveraddr.sun_path) - 1)
        if bind(server_sockfd, serveraddr, ffi.sizeof(serveraddr[0])) == -1:  # uncast: as accept() below
                perror(b"bind error : ")
                return 1

        listen(server_sockfd, 5)
        while 1:

                client_len[0] = ffi.sizeof(clientaddr[0])
                client_sockfd = accept(server_sockfd, clientaddr, client_len)  # uncast: a cast pointer only vouches for 16 bytes
                if client_sockfd == -1:
                        perror(b"accept error : ")
                        continue

                printf(b"New Client Connect\n")
                # 클라이언트가 연결을 닫을 때까지 읽은 만큼 돌려준다
                while (n := read(client_sockfd, buf, MAXBUF)) > 0:

                        if write(client_sockfd, buf, n) != n:
                                perror(b"write error : ")
                                break


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

from csock import socket, connect, AF_INET, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import inet_addr, htons  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
# <sys/stat.h>: nothing of it is used
from csock import printf, perror  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import read, write, close, ffi  # <unistd.h> 각종 시스템 함수; ffi makes the C variables
MAXLINE = 1024
def main(argc, argv):

  serveraddr = ffi.new("struct sockaddr_in *")
  server_sockfd = 0; client_len = 0
  buf = ffi.new("char[]", MAXLINE)
  if (server_sockfd := socket(AF_INET, SOCK_STREAM, 0) ) == -1:
    perror(b"error :")
    return 1

  # 연결요청할 서버의 주소와 포트번호 프로토콜등을 지정한다.
  serveraddr.sin_family = AF_INET
  serveraddr.sin_addr.s_addr = inet_addr(b"127.0.0.1")
  serveraddr.sin_port = htons(3600)

  client_len = ffi.sizeof(serveraddr[0])
  # 서버에 연결을 시도한다
  if connect(server_sockfd, ffi.cast("struct sockaddr *", serveraddr), client_len) == -1:
    perror(b"connect error :")
    return 1

  memset(buf, 0x00, MAXLINE)
  read(0, buf, MAXLINE)  # 키보드 입력을 기다린다
  if write(server_sockfd, buf, MAXLINE) <= 0:  # 입력 받은 데이터를 서버로 전송한다.
    perror(b"write error : ")
    return 1

  memset(buf, 0x00, MAXLINE)
  # 서버로 부터 데이터를 읽는다
  if  read(server_sockfd, buf, MAXLINE) <= 0:
    perror(b"read error : ")
    return 1

  printf(b"read : %s", buf)
  close(server_sockfd)
  return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused a call C makes with undefined behaviour (ERRATA.md)
        sys.exit(f"echo_client.py: {refused}")

from csock import socket, setsockopt, sendto, recvfrom, AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_RCVTIMEO  # <sys/socket.h> 소켓 관련 함수
# <sys/time.h> struct timeval
from csock import inet_addr, htons  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import atoi  # <stdlib.h> atoi
from csock import read, close, ffi  # <unistd.h> read, close; ffi makes the C variables
MAXBUF = 65507  # IPv4 UDP 데이터그램에 담을 수 있는 가장 큰 크기
def main(argc, argv):

  serveraddr = ffi.new("struct sockaddr_in *")
  tv = ffi.new("struct timeval *")
  sockfd = port = len = n = 0
  buf = ffi.new("char[]", MAXBUF)
  if argc != 2:
    fprintf(stderr, b"usage : udp_echo_client port\n")
    return 1

  port = atoi(argv[1])
  if port < 1 or port > 65535:
    fprintf(stderr, b"port error : %s\n", argv[1])
    return 1

  if (sockfd := socket(AF_INET, SOCK_DGRAM, 0)) == -1:
    perror(b"socket error : ")
    return 1

  # 서버가 없으면 답이 오지 않는다: 2초만 기다린다
  tv.tv_sec = 2
  tv.tv_usec = 0
  setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, tv, ffi.sizeof(tv[0]))
  memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
  serveraddr.sin_family = AF_INET
  serveraddr.sin_addr.s_addr = inet_addr(b"127.0.0.1")
  serveraddr.sin_port = htons(port)
  # 표준 입력을 끝(EOF)까지 읽는다: 0바이트도 하나의 데이터그램이다
  len = 0
  while len < MAXBUF and (n := read(0, buf[len:MAXBUF], MAXBUF - len)) > 0:
    len += n
  if sendto(sockfd, buf, len, 0, ffi.cast("struct sockaddr *", serveraddr), ffi.sizeof(serveraddr[0])) == -1:
    perror(b"sendto error : ")
    return 1

  printf(b"sent %d bytes\n", len)
  # 데이터그램은 한 번에 통째로 온다
  if (n := recvfrom(sockfd, buf, MAXBUF, 0, ffi.NULL, ffi.NULL)) == -1:
    perror(b"recvfrom error : ")
    return 1

  printf(b"received %d bytes\n", n)
  close(sockfd)
  return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused a call C would make with undefined behaviour
        sys.exit(f"{os.path.basename(sys.argv[0])}: {refused}")

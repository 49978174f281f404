from csock import socket, connect, AF_INET6, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import getaddrinfo, freeaddrinfo, gai_strerror, AI_NUMERICHOST, AI_NUMERICSERV  # <netdb.h> getaddrinfo, struct addrinfo
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXLINE = 1024
def main(argc, argv):

  hints = ffi.new("struct addrinfo *"); res = ffi.new("struct addrinfo **")
  sockfd = rc = len = 0
  buf = ffi.new("char[]", MAXLINE)
  if argc != 2:
    fprintf(stderr, b"usage : ipv6_echo_client port\n")
    return 1

  # ::1 (IPv6의 127.0.0.1)의 주소 구조체를 getaddrinfo가 만들어 준다
  memset(hints, 0x00, ffi.sizeof(hints[0]))
  hints.ai_family = AF_INET6
  hints.ai_socktype = SOCK_STREAM
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
  if (rc := getaddrinfo(b"::1", argv[1], hints, res)) != 0:
    fprintf(stderr, b"getaddrinfo error : %s\n", gai_strerror(rc))
    return 1

  if (sockfd := socket(res[0].ai_family, res[0].ai_socktype, res[0].ai_protocol)) == -1:
    perror(b"socket error : ")
    return 1

  if connect(sockfd, res[0].ai_addr, res[0].ai_addrlen) == -1:
    perror(b"connect error : ")
    return 1

  freeaddrinfo(res[0])
  memset(buf, 0x00, MAXLINE)
  if (len := read(0, buf, MAXLINE - 1)) <= 0:
    return 0
  if write(sockfd, buf, len) != len:
    perror(b"write error : ")
    return 1

  memset(buf, 0x00, MAXLINE)
  if read(sockfd, buf, MAXLINE - 1) <= 0:
    perror(b"read error : ")
    return 1

  printf(b"read : %s", buf)
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

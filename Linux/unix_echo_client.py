from csock import socket, connect, AF_UNIX, SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
# <sys/un.h> struct sockaddr_un: 파일 경로가 주소인 소켓
from csock import printf, fprintf, perror, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset, strlen, strncpy  # <string.h> 문자열 관련
from csock import read, write, close, ffi  # <unistd.h> read, write, close; ffi makes the C variables
MAXLINE = 1024
def main(argc, argv):

  serveraddr = ffi.new("struct sockaddr_un *")
  sockfd = len = 0
  buf = ffi.new("char[]", MAXLINE)
  if argc != 2:
    fprintf(stderr, b"usage : unix_echo_client path\n")
    return 1

  if strlen(argv[1]) >= ffi.sizeof(serveraddr.sun_path):
    fprintf(stderr, b"path too long : %s\n", argv[1])
    return 1

  if (sockfd := socket(AF_UNIX, SOCK_STREAM, 0)) == -1:
    perror(b"socket error : ")
    return 1

  memset(serveraddr, 0x00, ffi.sizeof(serveraddr[0]))
  serveraddr.sun_family = AF_UNIX
  strncpy(serveraddr.sun_path, argv[1], ffi.sizeof(serveraddr.sun_path) - 1)
  # 서버가 bind한 파일 경로로 연결한다
  if connect(sockfd, serveraddr, ffi.sizeof(serveraddr[0])) == -1:  # uncast: a cast pointer only vouches for 16 bytes on PyPy
    perror(b"connect error : ")
    return 1

  # 한 줄을 보내고 (마지막 바이트는 '\0'으로 남긴다) 돌아온 만큼 출력한다
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

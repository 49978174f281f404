from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, connect, send, recv, closesocket, ZeroMemory, AF_INET6, SOCK_STREAM, IPPROTO_TCP, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import getaddrinfo, freeaddrinfo, AI_NUMERICHOST, AI_NUMERICSERV  # <ws2tcpip.h>
from csock import printf, getchar, EOF  # <stdio.h>
MAX_PACKETLEN = 1024
def main(argc, argv):

  WSAData = ffi.new("WSADATA *")
  s = INVALID_SOCKET  # uninitialised in C
  hints = ffi.new("struct addrinfo *"); res = ffi.new("struct addrinfo **")
  buffer = ffi.new("char[]", MAX_PACKETLEN)
  rc = i = c = readn = readbytes = 0  # uninitialised in C
  if (argc != 2):
        printf(b"usage : ipv6_echo_client port\n")
        return 1

  if (WSAStartup(MAKEWORD(2,2), WSAData) != 0):
        return 1
  # 서버의 주소(::1)와 포트를 getaddrinfo가 sockaddr_in6로 만들어 준다
  ZeroMemory(hints, ffi.sizeof(hints[0]))
  hints.ai_family = AF_INET6
  hints.ai_socktype = SOCK_STREAM
  hints.ai_protocol = IPPROTO_TCP
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
  if ((rc := getaddrinfo(b"::1", argv[1], hints, res)) != 0):
        printf(b"getaddrinfo error : %d\n", rc)
        WSACleanup()
        return 1

  s = socket(res[0].ai_family, res[0].ai_socktype, res[0].ai_protocol)
  if (s == INVALID_SOCKET):
        freeaddrinfo(res[0])
        return 1

  if (connect(s, res[0].ai_addr, res[0].ai_addrlen) == SOCKET_ERROR):  # (int): size_t to connect's int
        printf(b"fail to connect : %d\n", WSAGetLastError())
        freeaddrinfo(res[0])
        closesocket(s)
        WSACleanup()
        return 1

  freeaddrinfo(res[0])
  printf(b"enter messages\n")
  i = 0
  while (i < MAX_PACKETLEN - 1 and (c := getchar()) != EOF and c != ord("\n")):
       buffer[i] = ffi.cast("char", c); i += 1  # buffer[i++] = c;
  printf(b"send messages (%d bytes)\n", i)
  send(s, buffer, i, 0)
  # 보낸 만큼 돌아올 때까지 읽는다: 0(연결 끝)이나 SOCKET_ERROR에서 멈춘다
  readbytes = 0
  while (readbytes < i and (readn := recv(s, buffer[readbytes:MAX_PACKETLEN], i - readbytes, 0)) > 0):  # buffer + readbytes
       readbytes += readn
  buffer[readbytes] = b"\0"
  printf(b"recv messages = %s\n", buffer)
  closesocket(s)
  WSACleanup()
  return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused what C does undefined or silently wrong
        sys.exit(f"ipv6_echo_client.py: {refused}")

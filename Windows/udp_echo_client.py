from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, sendto, recvfrom, select, closesocket, htons, inet_addr, inet_ntoa, ZeroMemory, FD_ZERO, FD_SET, AF_INET, SOCK_DGRAM, IPPROTO_UDP, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, getchar, EOF  # <stdio.h>
from csock import atoi  # <stdlib.h>
IP = b"127.0.0.1"
MAX_PACKETLEN = 1024
def main(argc, argv):

  WSAData = ffi.new("WSADATA *")
  addr = ffi.new("SOCKADDR_IN *"); from_addr = ffi.new("SOCKADDR_IN *")
  s = INVALID_SOCKET  # uninitialised in C
  readfds = ffi.new("fd_set *")
  tv = ffi.new("struct timeval *")
  buffer = ffi.new("char[]", MAX_PACKETLEN)
  nPort = i = c = readn = 0; nFromLen = ffi.new("int *")  # uninitialised in C
  if (argc != 2):
        printf(b"usage : udp_echo_client port\n")
        return 1

  nPort = atoi(argv[1])
  if (nPort <= 0 or nPort > 65535):
        printf(b"port error : %s\n", argv[1])
        return 1

  if (WSAStartup(MAKEWORD(2,2), WSAData) != 0):
        return 1
  s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)
  if (s == INVALID_SOCKET):
        return 1
  ZeroMemory(addr, ffi.sizeof(addr[0]))
  addr.sin_family = AF_INET
  addr.sin_port = htons(nPort)
  addr.sin_addr.S_un.S_addr = inet_addr(IP)
  printf(b"enter messages\n")
  i = 0
  while (i < MAX_PACKETLEN - 1 and (c := getchar()) != EOF and c != ord("\n")):
       buffer[i] = ffi.cast("char", c); i += 1  # buffer[i++] = c;
  buffer[i] = b"\0"
  # connect 없이 보낼 때마다 받는 주소를 준다: 0바이트도 하나의 데이터그램이다
  if (sendto(s, buffer, i, 0, ffi.cast("struct sockaddr *", addr), ffi.sizeof(addr[0])) == SOCKET_ERROR):
       printf(b"sendto error : %d\n", WSAGetLastError())
       closesocket(s)
       WSACleanup()
       return 1

  printf(b"send messages (%d bytes)\n", i)
  # 서버가 없으면 답이 오지 않는다: select로 2초만 기다린다
  FD_ZERO(readfds)
  FD_SET(s, readfds)
  tv.tv_sec = 2
  tv.tv_usec = 0
  if (select(0, readfds, ffi.NULL, ffi.NULL, tv) == 0):
       printf(b"no reply in 2 seconds\n")
       closesocket(s)
       WSACleanup()
       return 1

  nFromLen[0] = ffi.sizeof(from_addr[0])
  readn = recvfrom(s, buffer, MAX_PACKETLEN - 1, 0, ffi.cast("struct sockaddr *", from_addr), nFromLen)
  if (readn == SOCKET_ERROR):
       printf(b"recvfrom error : %d\n", WSAGetLastError())
       closesocket(s)
       WSACleanup()
       return 1

  buffer[readn] = b"\0"
  printf(b"recv messages = %s (%d bytes from %s)\n", buffer, readn, inet_ntoa(from_addr.sin_addr))
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
        sys.exit(f"udp_echo_client.py: {refused}")

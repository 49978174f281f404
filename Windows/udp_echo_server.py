from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, bind, recvfrom, sendto, closesocket, htons, htonl, inet_ntoa, ZeroMemory, AF_INET, SOCK_DGRAM, IPPROTO_UDP, INADDR_ANY, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, fflush, stdout  # <stdio.h>
from csock import atoi  # <stdlib.h>
MAX_PACKETLEN = 65535  # 데이터그램 하나가 담을 수 있는 가장 큰 크기
def main(argc, argv):

  wsaData = ffi.new("WSADATA *")
  server_s = INVALID_SOCKET  # uninitialised in C
  nPort = 0  # uninitialised in C
  server_addr = ffi.new("struct sockaddr_in *"); client_addr = ffi.new("struct sockaddr_in *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
  readn = 0; nClientAddrLen = ffi.new("int *")  # uninitialised in C
  if (argc != 2):
        printf(b"usage : udp_echo_server port\n")
        return 1

  nPort = atoi(argv[1])
  if (nPort <= 0 or nPort > 65535):
        printf(b"port error : %s\n", argv[1])
        return 1

  if( WSAStartup(MAKEWORD(2,2), wsaData) != 0 ):
        return 1
  # 데이터그램(UDP) 소켓: listen도 accept도 없다
  server_s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)
  if(server_s == INVALID_SOCKET):
        return 1
  ZeroMemory(server_addr, ffi.sizeof("struct sockaddr_in"))
  server_addr.sin_family = AF_INET
  server_addr.sin_port = htons(nPort)
  server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY)
  if( bind(server_s, ffi.cast("struct sockaddr*", server_addr), ffi.sizeof("struct sockaddr_in")) == SOCKET_ERROR):
        printf(b"bind error : %d\n", WSAGetLastError())
        closesocket(server_s)
        WSACleanup()
        return 1

  while(1):

       # 받은 데이터그램을 보낸 주소로 그대로 돌려준다
       nClientAddrLen[0] = ffi.sizeof("struct sockaddr_in")
       readn = recvfrom(server_s, szReceiveBuffer, MAX_PACKETLEN, 0, ffi.cast("struct sockaddr*", client_addr), nClientAddrLen)
       if (readn == SOCKET_ERROR):
             printf(b"recvfrom error : %d\n", WSAGetLastError())
             fflush(stdout)
             continue

       printf(b"Datagram from %s : %d bytes\n", inet_ntoa(client_addr.sin_addr), readn)
       fflush(stdout)
       if (sendto(server_s, szReceiveBuffer, readn, 0, ffi.cast("struct sockaddr*", client_addr), nClientAddrLen[0]) == SOCKET_ERROR):
             printf(b"sendto error : %d\n", WSAGetLastError())

  closesocket(server_s)
  WSACleanup()
  return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused what C does undefined or silently wrong
        sys.exit(f"udp_echo_server.py: {refused}")

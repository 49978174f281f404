from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, ZeroMemory, AF_INET6, SOCK_STREAM, IPPROTO_TCP, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import getaddrinfo, freeaddrinfo, inet_ntop, AI_PASSIVE, AI_NUMERICHOST, AI_NUMERICSERV, INET6_ADDRSTRLEN  # <ws2tcpip.h>
from csock import printf, fflush, stdout  # <stdio.h>
MAX_PACKETLEN = 1024
def main(argc, argv):

  wsaData = ffi.new("WSADATA *")
  listen_s = client_s = INVALID_SOCKET  # uninitialised in C
  hints = ffi.new("struct addrinfo *"); res = ffi.new("struct addrinfo **")
  client_addr = ffi.new("struct sockaddr_in6 *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN); szAddr = ffi.new("char[]", INET6_ADDRSTRLEN)
  rc = readn = 0; nAcceptClientInfo = ffi.new("int *")  # uninitialised in C
  if (argc != 2):
        printf(b"usage : ipv6_echo_server port\n")
        return 1

  if( WSAStartup(MAKEWORD(2,2), wsaData) != 0 ):
        return 1
  # 주소 구조체를 손으로 채우지 않고 getaddrinfo에게 맡긴다: 포트도 글자 그대로 준다
  ZeroMemory(hints, ffi.sizeof(hints[0]))
  hints.ai_family = AF_INET6
  hints.ai_socktype = SOCK_STREAM
  hints.ai_protocol = IPPROTO_TCP
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
  if ((rc := getaddrinfo(b"::1", argv[1], hints, res)) != 0):
        printf(b"getaddrinfo error : %d\n", rc)
        WSACleanup()
        return 1

  listen_s = socket(res[0].ai_family, res[0].ai_socktype, res[0].ai_protocol)
  if(listen_s == INVALID_SOCKET):
        freeaddrinfo(res[0])
        return 1

  if( bind(listen_s, res[0].ai_addr, res[0].ai_addrlen) == SOCKET_ERROR):  # (int): size_t to bind's int
        printf(b"bind error : %d\n", WSAGetLastError())
        freeaddrinfo(res[0])
        return 1

  freeaddrinfo(res[0])
  if( listen(listen_s, 5) == SOCKET_ERROR):
        printf(b"listen error : %d\n", WSAGetLastError())
        return 1

  while(1):

       nAcceptClientInfo[0] = ffi.sizeof(client_addr[0])
       client_s = accept(listen_s, client_addr, nAcceptClientInfo)  # uncast: (struct sockaddr*) vouches for 16 bytes, C passes 28
       if (client_s == INVALID_SOCKET):
             printf(b"accept error : %d\n", WSAGetLastError())
             continue

       # inet_ntoa는 IPv4 전용이다: inet_ntop으로 주소를 글자로 바꾼다
       inet_ntop(AF_INET6, ffi.addressof(client_addr[0], "sin6_addr"), szAddr, ffi.sizeof(szAddr))
       printf(b"New Client Connect: %s\n", szAddr)
       fflush(stdout)
       while ((readn := recv(client_s, szReceiveBuffer, MAX_PACKETLEN, 0)) > 0):
             send(client_s, szReceiveBuffer, readn, 0)
       if (readn == SOCKET_ERROR):
             printf(b"recv error : %d\n", WSAGetLastError())
       fflush(stdout)
       closesocket(client_s)

  closesocket(listen_s)
  WSACleanup()
  return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused what C does undefined or silently wrong
        sys.exit(f"ipv6_echo_server.py: {refused}")

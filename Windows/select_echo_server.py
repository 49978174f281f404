from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, bind, listen, accept, select, recv, send, closesocket, htons, htonl, inet_ntoa, ZeroMemory, FD_ZERO, FD_SET, FD_CLR, FD_SETSIZE, AF_INET, SOCK_STREAM, IPPROTO_TCP, INADDR_ANY, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, fflush, stdout  # <stdio.h>
from csock import atoi  # <stdlib.h>
MAX_PACKETLEN = 1024
def main(argc, argv):

  wsaData = ffi.new("WSADATA *")
  listen_s = client_s = s = INVALID_SOCKET  # uninitialised in C
  nPort = 0  # uninitialised in C
  server_addr = ffi.new("struct sockaddr_in *"); client_addr = ffi.new("struct sockaddr_in *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
  readn = 0; nAcceptClientInfo = ffi.new("int *")  # uninitialised in C
  i = 0  # uninitialised in C
  allfds = ffi.new("fd_set *"); readfds = ffi.new("fd_set *")
  if (argc != 2):
        printf(b"usage : select_echo_server port\n")
        return 1

  nPort = atoi(argv[1])
  if (nPort <= 0 or nPort > 65535):
        printf(b"port error : %s\n", argv[1])
        return 1

  if( WSAStartup(MAKEWORD(2,2), wsaData) != 0 ):
        return 1
  listen_s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
  if(listen_s == INVALID_SOCKET):
        return 1
  ZeroMemory(server_addr, ffi.sizeof("struct sockaddr_in"))
  server_addr.sin_family = AF_INET
  server_addr.sin_port = htons(nPort)
  server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY)
  if( bind(listen_s, ffi.cast("struct sockaddr*", server_addr), ffi.sizeof("struct sockaddr_in")) == SOCKET_ERROR):
        printf(b"bind error : %d\n", WSAGetLastError())
        return 1

  if( listen(listen_s, 5) == SOCKET_ERROR):
        printf(b"listen error : %d\n", WSAGetLastError())
        return 1

  # 윈도우의 fd_set은 비트가 아니라 소켓의 배열(fd_array)과 그 개수(fd_count)다: maxfd가 필요 없다
  FD_ZERO(allfds)
  FD_SET(listen_s, allfds)
  while(1):

       readfds[0] = allfds[0]  # C's struct assignment: fd_count and fd_array copied
       if (select(0, readfds, ffi.NULL, ffi.NULL, ffi.NULL) == SOCKET_ERROR):
             printf(b"select error : %d\n", WSAGetLastError())
             break

       # select가 돌려준 readfds에는 읽을 수 있는 소켓만 남아 있다
       for i in range(0, readfds.fd_count):  # readfds does not change inside the loop

             s = readfds.fd_array[i]
             if (s == listen_s):
                   nAcceptClientInfo[0] = ffi.sizeof("struct sockaddr_in")
                   client_s = accept(listen_s, ffi.cast("struct sockaddr*", client_addr), nAcceptClientInfo)
                   if (client_s == INVALID_SOCKET):
                         continue
                   if (allfds.fd_count == FD_SETSIZE):  # FD_SET은 가득 찬 fd_set에 아무것도 하지 않는다
                         closesocket(client_s)
                         continue

                   printf(b"New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr))
                   fflush(stdout)
                   FD_SET(client_s, allfds)
                   continue

             readn = recv(s, szReceiveBuffer, MAX_PACKETLEN, 0)
             if (readn <= 0):
                   # 0이면 클라이언트가 보내기를 끝냈고, SOCKET_ERROR면 연결이 끊겼다
                   if (readn == SOCKET_ERROR):
                         printf(b"recv error : %d\n", WSAGetLastError())
                   fflush(stdout)
                   FD_CLR(s, allfds)
                   closesocket(s)
                   continue

             send(s, szReceiveBuffer, readn, 0)


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
        sys.exit(f"select_echo_server.py: {refused}")

from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, bind, listen, accept, WSAPoll, recv, send, closesocket, htons, htonl, inet_ntoa, ZeroMemory, POLLRDNORM, AF_INET, SOCK_STREAM, IPPROTO_TCP, INADDR_ANY, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, fflush, stdout  # <stdio.h>
from csock import atoi  # <stdlib.h>
MAX_PACKETLEN = 1024
MAX_CLIENTS = 64
def main(argc, argv):

  wsaData = ffi.new("WSADATA *")
  listen_s = client_s = INVALID_SOCKET  # uninitialised in C
  nPort = 0  # uninitialised in C
  server_addr = ffi.new("struct sockaddr_in *"); client_addr = ffi.new("struct sockaddr_in *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
  readn = i = nfds = 0; nAcceptClientInfo = ffi.new("int *")  # uninitialised in C
  fdArray = ffi.new("WSAPOLLFD[]", MAX_CLIENTS + 1)
  if (argc != 2):
        printf(b"usage : poll_echo_server port\n")
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

  # 0번 자리는 듣기 소켓, 1번부터 nfds-1번까지는 클라이언트: 빈자리 없이 채운다
  ZeroMemory(fdArray, ffi.sizeof(fdArray))
  fdArray[0].fd = listen_s
  fdArray[0].events = POLLRDNORM
  nfds = 1
  while(1):

       if (WSAPoll(fdArray, nfds, -1) == SOCKET_ERROR):
             printf(b"WSAPoll error : %d\n", WSAGetLastError())
             break

       # 뒤에서부터 본다: 끝난 클라이언트의 자리에는 마지막 자리를 옮겨 온다
       for i in range(nfds - 1, -1, -1):  # for (i = nfds - 1; i >= 0; i--)

             if (fdArray[i].revents == 0):
                   continue
             if (fdArray[i].fd == listen_s):
                   nAcceptClientInfo[0] = ffi.sizeof("struct sockaddr_in")
                   client_s = accept(listen_s, ffi.cast("struct sockaddr*", client_addr), nAcceptClientInfo)
                   if (client_s == INVALID_SOCKET):
                         continue
                   if (nfds == MAX_CLIENTS + 1):  # 자리가 없다
                         closesocket(client_s)
                         continue

                   printf(b"New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr))
                   fflush(stdout)
                   fdArray[nfds].fd = client_s
                   fdArray[nfds].events = POLLRDNORM
                   fdArray[nfds].revents = 0
                   nfds += 1
                   continue

             readn = recv(fdArray[i].fd, szReceiveBuffer, MAX_PACKETLEN, 0)
             if (readn <= 0):
                   # 0이면 클라이언트가 보내기를 끝냈고, SOCKET_ERROR면 연결이 끊겼다
                   if (readn == SOCKET_ERROR):
                         printf(b"recv error : %d\n", WSAGetLastError())
                   fflush(stdout)
                   closesocket(fdArray[i].fd)
                   nfds -= 1; fdArray[i] = fdArray[nfds]  # fdArray[i] = fdArray[--nfds];
                   continue

             send(fdArray[i].fd, szReceiveBuffer, readn, 0)


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
        sys.exit(f"poll_echo_server.py: {refused}")

from csock import WSAStartup, WSACleanup, WSAGetLastError, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, htons, htonl, inet_ntoa, ZeroMemory, WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAWaitForMultipleEvents, WSAEnumNetworkEvents, WSA_INVALID_EVENT, WSA_MAXIMUM_WAIT_EVENTS, WSA_WAIT_FAILED, WSA_WAIT_EVENT_0, WSA_INFINITE, FD_ACCEPT, FD_READ, FD_CLOSE, FD_CLOSE_BIT, FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP, INADDR_ANY, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, fflush, stdout  # <stdio.h>
from csock import atoi  # <stdlib.h>
MAX_PACKETLEN = 1024
def main(argc, argv):

  wsaData = ffi.new("WSADATA *")
  listen_s = client_s = INVALID_SOCKET; sockets = ffi.new("SOCKET[]", WSA_MAXIMUM_WAIT_EVENTS)  # uninitialised in C
  events = ffi.new("WSAEVENT[]", WSA_MAXIMUM_WAIT_EVENTS)
  networkEvents = ffi.new("WSANETWORKEVENTS *")
  nPort = 0  # uninitialised in C
  server_addr = ffi.new("struct sockaddr_in *"); client_addr = ffi.new("struct sockaddr_in *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
  readn = i = nEvents = 0; nAcceptClientInfo = ffi.new("int *")  # uninitialised in C
  dwIndex = 0  # uninitialised in C
  if (argc != 2):
        printf(b"usage : event_echo_server port\n")
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

  # 소켓마다 이벤트 객체 하나: 0번 자리는 듣기 소켓의 FD_ACCEPT
  events[0] = WSACreateEvent()
  if (events[0] == WSA_INVALID_EVENT or WSAEventSelect(listen_s, events[0], FD_ACCEPT) == SOCKET_ERROR):
        printf(b"WSAEventSelect error : %d\n", WSAGetLastError())
        return 1

  sockets[0] = listen_s
  nEvents = 1
  while(1):

       dwIndex = WSAWaitForMultipleEvents(nEvents, events, FALSE, WSA_INFINITE, FALSE)
       if (dwIndex == WSA_WAIT_FAILED):
             printf(b"WSAWaitForMultipleEvents error : %d\n", WSAGetLastError())
             break

       i = dwIndex - WSA_WAIT_EVENT_0  # 신호를 받은 이벤트 가운데 가장 앞의 자리
       # 무슨 일이 있었는지 묻는다: 이벤트는 이때 다시 꺼진다
       if (WSAEnumNetworkEvents(sockets[i], events[i], networkEvents) == SOCKET_ERROR):
             printf(b"WSAEnumNetworkEvents error : %d\n", WSAGetLastError())
             continue

       if (networkEvents.lNetworkEvents & FD_ACCEPT):
             nAcceptClientInfo[0] = ffi.sizeof("struct sockaddr_in")
             client_s = accept(listen_s, ffi.cast("struct sockaddr*", client_addr), nAcceptClientInfo)
             if (client_s == INVALID_SOCKET):
                   continue
             if (nEvents == WSA_MAXIMUM_WAIT_EVENTS):  # 자리가 없다
                   closesocket(client_s)
                   continue

             printf(b"New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr))
             fflush(stdout)
             # WSAEventSelect는 소켓을 논블로킹으로 바꾼다
             events[nEvents] = WSACreateEvent()
             WSAEventSelect(client_s, events[nEvents], FD_READ | FD_CLOSE)
             sockets[nEvents] = client_s; nEvents += 1  # sockets[nEvents++] = client_s;
             continue

       if (networkEvents.lNetworkEvents & FD_READ):
             readn = recv(sockets[i], szReceiveBuffer, MAX_PACKETLEN, 0)
             if (readn > 0):
                   send(sockets[i], szReceiveBuffer, readn, 0)

       if (networkEvents.lNetworkEvents & FD_CLOSE):
             # iErrorCode[FD_CLOSE_BIT]가 0이면 클라이언트가 끝냈고, 아니면 연결이 끊겼다
             if (networkEvents.iErrorCode[FD_CLOSE_BIT] != 0):
                   printf(b"close error : %d\n", networkEvents.iErrorCode[FD_CLOSE_BIT])
             fflush(stdout)
             closesocket(sockets[i])
             WSACloseEvent(events[i])
             nEvents -= 1
             sockets[i] = sockets[nEvents]
             events[i] = events[nEvents]


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
        sys.exit(f"event_echo_server.py: {refused}")

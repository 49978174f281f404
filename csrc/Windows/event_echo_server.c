#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>
#define MAX_PACKETLEN 1024
int main(int argc, char **argv)
{
  WSADATA wsaData;
  SOCKET listen_s, client_s, sockets[WSA_MAXIMUM_WAIT_EVENTS];
  WSAEVENT events[WSA_MAXIMUM_WAIT_EVENTS];
  WSANETWORKEVENTS networkEvents;
  int nPort;
  struct sockaddr_in server_addr, client_addr;
  char szReceiveBuffer[MAX_PACKETLEN];
  int readn, nAcceptClientInfo, i, nEvents;
  DWORD dwIndex;
  if (argc != 2) {
        printf("usage : event_echo_server port\n");
        return 1;
  }
  nPort = atoi(argv[1]);
  if (nPort <= 0 || nPort > 65535) {
        printf("port error : %s\n", argv[1]);
        return 1;
  }
  if( WSAStartup(MAKEWORD(2,2),&wsaData) != 0 )
        return 1;
  listen_s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if(listen_s == INVALID_SOCKET)
        return 1;
  ZeroMemory(&server_addr, sizeof(struct sockaddr_in));
  server_addr.sin_family = AF_INET;
  server_addr.sin_port = htons(nPort);
  server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY);
  if( bind(listen_s, (struct sockaddr*)&server_addr, sizeof(struct sockaddr_in)) == SOCKET_ERROR) {
        printf("bind error : %d\n", WSAGetLastError());
        return 1;
  }
  if( listen(listen_s, 5) == SOCKET_ERROR) {
        printf("listen error : %d\n", WSAGetLastError());
        return 1;
  }
  /* 소켓마다 이벤트 객체 하나: 0번 자리는 듣기 소켓의 FD_ACCEPT */
  events[0] = WSACreateEvent();
  if (events[0] == WSA_INVALID_EVENT || WSAEventSelect(listen_s, events[0], FD_ACCEPT) == SOCKET_ERROR) {
        printf("WSAEventSelect error : %d\n", WSAGetLastError());
        return 1;
  }
  sockets[0] = listen_s;
  nEvents = 1;
  while(1)
  {
       dwIndex = WSAWaitForMultipleEvents(nEvents, events, FALSE, WSA_INFINITE, FALSE);
       if (dwIndex == WSA_WAIT_FAILED) {
             printf("WSAWaitForMultipleEvents error : %d\n", WSAGetLastError());
             break;
       }
       i = dwIndex - WSA_WAIT_EVENT_0; /* 신호를 받은 이벤트 가운데 가장 앞의 자리 */
       /* 무슨 일이 있었는지 묻는다: 이벤트는 이때 다시 꺼진다 */
       if (WSAEnumNetworkEvents(sockets[i], events[i], &networkEvents) == SOCKET_ERROR) {
             printf("WSAEnumNetworkEvents error : %d\n", WSAGetLastError());
             continue;
       }
       if (networkEvents.lNetworkEvents & FD_ACCEPT) {
             nAcceptClientInfo = sizeof(struct sockaddr_in);
             client_s = accept(listen_s, (struct sockaddr*)&client_addr, &nAcceptClientInfo);
             if (client_s == INVALID_SOCKET)
                   continue;
             if (nEvents == WSA_MAXIMUM_WAIT_EVENTS) { /* 자리가 없다 */
                   closesocket(client_s);
                   continue;
             }
             printf("New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr));
             fflush(stdout);
             /* WSAEventSelect는 소켓을 논블로킹으로 바꾼다 */
             events[nEvents] = WSACreateEvent();
             WSAEventSelect(client_s, events[nEvents], FD_READ | FD_CLOSE);
             sockets[nEvents++] = client_s;
             continue;
       }
       if (networkEvents.lNetworkEvents & FD_READ) {
             readn = recv(sockets[i], szReceiveBuffer, MAX_PACKETLEN, 0);
             if (readn > 0)
                   send(sockets[i], szReceiveBuffer, readn, 0);
       }
       if (networkEvents.lNetworkEvents & FD_CLOSE) {
             /* iErrorCode[FD_CLOSE_BIT]가 0이면 클라이언트가 끝냈고, 아니면 연결이 끊겼다 */
             if (networkEvents.iErrorCode[FD_CLOSE_BIT] != 0)
                   printf("close error : %d\n", networkEvents.iErrorCode[FD_CLOSE_BIT]);
             fflush(stdout);
             closesocket(sockets[i]);
             WSACloseEvent(events[i]);
             nEvents--;
             sockets[i] = sockets[nEvents];
             events[i] = events[nEvents];
       }
  }
  closesocket(listen_s);
  WSACleanup();
  return 0;
}

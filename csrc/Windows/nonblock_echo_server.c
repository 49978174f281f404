#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>
#define MAX_PACKETLEN 1024
#define MAX_CLIENTS 64
int main(int argc, char **argv)
{
  WSADATA wsaData;
  SOCKET listen_s, client_s, clients[MAX_CLIENTS];
  int nPort;
  struct sockaddr_in server_addr, client_addr;
  char szReceiveBuffer[MAX_PACKETLEN];
  int readn, nAcceptClientInfo, i, nClients;
  u_long nNonBlocking = 1;
  if (argc != 2) {
        printf("usage : nonblock_echo_server port\n");
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
  /* 논블로킹 소켓: accept와 recv가 기다리지 않고 WSAEWOULDBLOCK으로 돌아온다 */
  if (ioctlsocket(listen_s, FIONBIO, &nNonBlocking) == SOCKET_ERROR) {
        printf("ioctlsocket error : %d\n", WSAGetLastError());
        return 1;
  }
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
  nClients = 0;
  while(1)
  {
       nAcceptClientInfo = sizeof(struct sockaddr_in);
       client_s = accept(listen_s, (struct sockaddr*)&client_addr, &nAcceptClientInfo);
       if (client_s != INVALID_SOCKET) {
             if (nClients == MAX_CLIENTS) { /* 자리가 없다 */
                   closesocket(client_s);
                   continue;
             }
             printf("New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr));
             fflush(stdout);
             ioctlsocket(client_s, FIONBIO, &nNonBlocking);
             clients[nClients++] = client_s;
       } else if (WSAGetLastError() != WSAEWOULDBLOCK) {
             printf("accept error : %d\n", WSAGetLastError());
       }
       /* 뒤에서부터 본다: 끝난 클라이언트의 자리에는 마지막 자리를 옮겨 온다 */
       for (i = nClients - 1; i >= 0; i--)
       {
             readn = recv(clients[i], szReceiveBuffer, MAX_PACKETLEN, 0);
             if (readn == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK)
                   continue; /* 아직 아무것도 오지 않았다 */
             if (readn <= 0) {
                   /* 0이면 클라이언트가 보내기를 끝냈고, SOCKET_ERROR면 연결이 끊겼다 */
                   if (readn == SOCKET_ERROR)
                         printf("recv error : %d\n", WSAGetLastError());
                   fflush(stdout);
                   closesocket(clients[i]);
                   clients[i] = clients[--nClients];
                   continue;
             }
             send(clients[i], szReceiveBuffer, readn, 0);
       }
       Sleep(10); /* 할 일이 없어도 돌아오는 루프가 CPU를 다 쓰지 않도록 잠깐 쉰다 */
  }
  closesocket(listen_s);
  WSACleanup();
  return 0;
}

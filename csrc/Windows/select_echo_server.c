#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>
#define MAX_PACKETLEN 1024
int main(int argc, char **argv)
{
  WSADATA wsaData;
  SOCKET listen_s, client_s, s;
  int nPort;
  struct sockaddr_in server_addr, client_addr;
  char szReceiveBuffer[MAX_PACKETLEN];
  int readn, nAcceptClientInfo;
  unsigned int i;
  fd_set allfds, readfds;
  if (argc != 2) {
        printf("usage : select_echo_server port\n");
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
  /* 윈도우의 fd_set은 비트가 아니라 소켓의 배열(fd_array)과 그 개수(fd_count)다: maxfd가 필요 없다 */
  FD_ZERO(&allfds);
  FD_SET(listen_s, &allfds);
  while(1)
  {
       readfds = allfds;
       if (select(0, &readfds, NULL, NULL, NULL) == SOCKET_ERROR) {
             printf("select error : %d\n", WSAGetLastError());
             break;
       }
       /* select가 돌려준 readfds에는 읽을 수 있는 소켓만 남아 있다 */
       for (i = 0; i < readfds.fd_count; i++)
       {
             s = readfds.fd_array[i];
             if (s == listen_s) {
                   nAcceptClientInfo = sizeof(struct sockaddr_in);
                   client_s = accept(listen_s, (struct sockaddr*)&client_addr, &nAcceptClientInfo);
                   if (client_s == INVALID_SOCKET)
                         continue;
                   if (allfds.fd_count == FD_SETSIZE) { /* FD_SET은 가득 찬 fd_set에 아무것도 하지 않는다 */
                         closesocket(client_s);
                         continue;
                   }
                   printf("New Client Connect: %s\n", inet_ntoa(client_addr.sin_addr));
                   fflush(stdout);
                   FD_SET(client_s, &allfds);
                   continue;
             }
             readn = recv(s, szReceiveBuffer, MAX_PACKETLEN, 0);
             if (readn <= 0) {
                   /* 0이면 클라이언트가 보내기를 끝냈고, SOCKET_ERROR면 연결이 끊겼다 */
                   if (readn == SOCKET_ERROR)
                         printf("recv error : %d\n", WSAGetLastError());
                   fflush(stdout);
                   FD_CLR(s, &allfds);
                   closesocket(s);
                   continue;
             }
             send(s, szReceiveBuffer, readn, 0);
       }
  }
  closesocket(listen_s);
  WSACleanup();
  return 0;
}

#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#define MAX_PACKETLEN 1024
int main(int argc, char **argv)
{
  WSADATA wsaData;
  SOCKET listen_s, client_s;
  struct addrinfo hints, *res;
  struct sockaddr_in6 client_addr;
  char szReceiveBuffer[MAX_PACKETLEN], szAddr[INET6_ADDRSTRLEN];
  int rc, readn, nAcceptClientInfo;
  if (argc != 2) {
        printf("usage : ipv6_echo_server port\n");
        return 1;
  }
  if( WSAStartup(MAKEWORD(2,2),&wsaData) != 0 )
        return 1;
  /* 주소 구조체를 손으로 채우지 않고 getaddrinfo에게 맡긴다: 포트도 글자 그대로 준다 */
  ZeroMemory(&hints, sizeof(hints));
  hints.ai_family = AF_INET6;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  if ((rc = getaddrinfo("::1", argv[1], &hints, &res)) != 0) {
        printf("getaddrinfo error : %d\n", rc);
        WSACleanup();
        return 1;
  }
  listen_s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if(listen_s == INVALID_SOCKET) {
        freeaddrinfo(res);
        return 1;
  }
  if( bind(listen_s, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR) {
        printf("bind error : %d\n", WSAGetLastError());
        freeaddrinfo(res);
        return 1;
  }
  freeaddrinfo(res);
  if( listen(listen_s, 5) == SOCKET_ERROR) {
        printf("listen error : %d\n", WSAGetLastError());
        return 1;
  }
  while(1)
  {
       nAcceptClientInfo = sizeof(client_addr);
       client_s = accept(listen_s, (struct sockaddr*)&client_addr, &nAcceptClientInfo);
       if (client_s == INVALID_SOCKET) {
             printf("accept error : %d\n", WSAGetLastError());
             continue;
       }
       /* inet_ntoa는 IPv4 전용이다: inet_ntop으로 주소를 글자로 바꾼다 */
       inet_ntop(AF_INET6, &client_addr.sin6_addr, szAddr, sizeof(szAddr));
       printf("New Client Connect: %s\n", szAddr);
       fflush(stdout);
       while ((readn = recv(client_s, szReceiveBuffer, MAX_PACKETLEN, 0)) > 0)
             send(client_s, szReceiveBuffer, readn, 0);
       if (readn == SOCKET_ERROR)
             printf("recv error : %d\n", WSAGetLastError());
       fflush(stdout);
       closesocket(client_s);
  }
  closesocket(listen_s);
  WSACleanup();
  return 0;
}

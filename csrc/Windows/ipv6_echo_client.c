#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#define MAX_PACKETLEN 1024
int main(int argc, char **argv)
{
  WSADATA WSAData;
  SOCKET s;
  struct addrinfo hints, *res;
  char buffer[MAX_PACKETLEN];
  int rc, i, c, readn, readbytes;
  if (argc != 2) {
        printf("usage : ipv6_echo_client port\n");
        return 1;
  }
  if (WSAStartup(MAKEWORD(2,2), &WSAData) != 0)
        return 1;
  /* 서버의 주소(::1)와 포트를 getaddrinfo가 sockaddr_in6로 만들어 준다 */
  ZeroMemory(&hints, sizeof(hints));
  hints.ai_family = AF_INET6;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  if ((rc = getaddrinfo("::1", argv[1], &hints, &res)) != 0) {
        printf("getaddrinfo error : %d\n", rc);
        WSACleanup();
        return 1;
  }
  s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (s == INVALID_SOCKET) {
        freeaddrinfo(res);
        return 1;
  }
  if (connect(s, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR) {
        printf("fail to connect : %d\n", WSAGetLastError());
        freeaddrinfo(res);
        closesocket(s);
        WSACleanup();
        return 1;
  }
  freeaddrinfo(res);
  printf("enter messages\n");
  i = 0;
  while (i < MAX_PACKETLEN - 1 && (c = getchar()) != EOF && c != '\n')
       buffer[i++] = c;
  printf("send messages (%d bytes)\n", i);
  send(s, buffer, i, 0);
  /* 보낸 만큼 돌아올 때까지 읽는다: 0(연결 끝)이나 SOCKET_ERROR에서 멈춘다 */
  readbytes = 0;
  while (readbytes < i && (readn = recv(s, buffer + readbytes, i - readbytes, 0)) > 0)
       readbytes += readn;
  buffer[readbytes] = '\0';
  printf("recv messages = %s\n", buffer);
  closesocket(s);
  WSACleanup();
  return 0;
}

#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>
#define IP "127.0.0.1"
#define MAX_PACKETLEN 1024
int main(int argc, char **argv)
{
  WSADATA WSAData;
  SOCKADDR_IN addr, from_addr;
  SOCKET s;
  fd_set readfds;
  struct timeval tv;
  char buffer[MAX_PACKETLEN];
  int nPort, i, c, readn, nFromLen;
  if (argc != 2) {
        printf("usage : udp_echo_client port\n");
        return 1;
  }
  nPort = atoi(argv[1]);
  if (nPort <= 0 || nPort > 65535) {
        printf("port error : %s\n", argv[1]);
        return 1;
  }
  if (WSAStartup(MAKEWORD(2,2), &WSAData) != 0)
        return 1;
  s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s == INVALID_SOCKET)
        return 1;
  ZeroMemory(&addr, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons(nPort);
  addr.sin_addr.S_un.S_addr = inet_addr(IP);
  printf("enter messages\n");
  i = 0;
  while (i < MAX_PACKETLEN - 1 && (c = getchar()) != EOF && c != '\n')
       buffer[i++] = c;
  buffer[i] = '\0';
  /* connect 없이 보낼 때마다 받는 주소를 준다: 0바이트도 하나의 데이터그램이다 */
  if (sendto(s, buffer, i, 0, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR) {
       printf("sendto error : %d\n", WSAGetLastError());
       closesocket(s);
       WSACleanup();
       return 1;
  }
  printf("send messages (%d bytes)\n", i);
  /* 서버가 없으면 답이 오지 않는다: select로 2초만 기다린다 */
  FD_ZERO(&readfds);
  FD_SET(s, &readfds);
  tv.tv_sec = 2;
  tv.tv_usec = 0;
  if (select(0, &readfds, NULL, NULL, &tv) == 0) {
       printf("no reply in 2 seconds\n");
       closesocket(s);
       WSACleanup();
       return 1;
  }
  nFromLen = sizeof(from_addr);
  readn = recvfrom(s, buffer, MAX_PACKETLEN - 1, 0, (struct sockaddr *)&from_addr, &nFromLen);
  if (readn == SOCKET_ERROR) {
       printf("recvfrom error : %d\n", WSAGetLastError());
       closesocket(s);
       WSACleanup();
       return 1;
  }
  buffer[readn] = '\0';
  printf("recv messages = %s (%d bytes from %s)\n", buffer, readn, inet_ntoa(from_addr.sin_addr));
  closesocket(s);
  WSACleanup();
  return 0;
}

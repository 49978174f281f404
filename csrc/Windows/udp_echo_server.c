#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>
#define MAX_PACKETLEN 65535 /* 데이터그램 하나가 담을 수 있는 가장 큰 크기 */
int main(int argc, char **argv)
{
  WSADATA wsaData;
  SOCKET server_s;
  int nPort;
  struct sockaddr_in server_addr, client_addr;
  char szReceiveBuffer[MAX_PACKETLEN];
  int readn, nClientAddrLen;
  if (argc != 2) {
        printf("usage : udp_echo_server port\n");
        return 1;
  }
  nPort = atoi(argv[1]);
  if (nPort <= 0 || nPort > 65535) {
        printf("port error : %s\n", argv[1]);
        return 1;
  }
  if( WSAStartup(MAKEWORD(2,2),&wsaData) != 0 )
        return 1;
  /* 데이터그램(UDP) 소켓: listen도 accept도 없다 */
  server_s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if(server_s == INVALID_SOCKET)
        return 1;
  ZeroMemory(&server_addr, sizeof(struct sockaddr_in));
  server_addr.sin_family = AF_INET;
  server_addr.sin_port = htons(nPort);
  server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY);
  if( bind(server_s, (struct sockaddr*)&server_addr, sizeof(struct sockaddr_in)) == SOCKET_ERROR) {
        printf("bind error : %d\n", WSAGetLastError());
        closesocket(server_s);
        WSACleanup();
        return 1;
  }
  while(1)
  {
       /* 받은 데이터그램을 보낸 주소로 그대로 돌려준다 */
       nClientAddrLen = sizeof(struct sockaddr_in);
       readn = recvfrom(server_s, szReceiveBuffer, MAX_PACKETLEN, 0, (struct sockaddr*)&client_addr, &nClientAddrLen);
       if (readn == SOCKET_ERROR) {
             printf("recvfrom error : %d\n", WSAGetLastError());
             fflush(stdout);
             continue;
       }
       printf("Datagram from %s : %d bytes\n", inet_ntoa(client_addr.sin_addr), readn);
       fflush(stdout);
       if (sendto(server_s, szReceiveBuffer, readn, 0, (struct sockaddr*)&client_addr, nClientAddrLen) == SOCKET_ERROR)
             printf("sendto error : %d\n", WSAGetLastError());
  }
  closesocket(server_s);
  WSACleanup();
  return 0;
}

#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/time.h> /* struct timeval */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* read, close */
#define MAXBUF 65507 /* IPv4 UDP 데이터그램에 담을 수 있는 가장 큰 크기 */
int main(int argc, char **argv)
{
  struct sockaddr_in serveraddr;
  struct timeval tv;
  int sockfd, port, len, n;
  char buf[MAXBUF];
  if (argc != 2) {
    fprintf(stderr, "usage : udp_echo_client port\n");
    return 1;
  }
  port = atoi(argv[1]);
  if (port < 1 || port > 65535) {
    fprintf(stderr, "port error : %s\n", argv[1]);
    return 1;
  }
  if ((sockfd = socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
    perror("socket error : ");
    return 1;
  }
  /* 서버가 없으면 답이 오지 않는다: 2초만 기다린다 */
  tv.tv_sec = 2;
  tv.tv_usec = 0;
  setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  memset(&serveraddr, 0x00, sizeof(serveraddr));
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = inet_addr("127.0.0.1");
  serveraddr.sin_port = htons(port);
  /* 표준 입력을 끝(EOF)까지 읽는다: 0바이트도 하나의 데이터그램이다 */
  len = 0;
  while (len < MAXBUF && (n = read(0, buf + len, MAXBUF - len)) > 0)
    len += n;
  if (sendto(sockfd, buf, len, 0, (struct sockaddr *)&serveraddr, sizeof(serveraddr)) == -1) {
    perror("sendto error : ");
    return 1;
  }
  printf("sent %d bytes\n", len);
  /* 데이터그램은 한 번에 통째로 온다 */
  if ((n = recvfrom(sockfd, buf, MAXBUF, 0, NULL, NULL)) == -1) {
    perror("recvfrom error : ");
    return 1;
  }
  printf("received %d bytes\n", n);
  close(sockfd);
  return 0;
}

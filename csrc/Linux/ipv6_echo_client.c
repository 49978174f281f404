#include <sys/socket.h> /* 소켓 관련 함수 */
#include <netdb.h> /* getaddrinfo, struct addrinfo */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <unistd.h> /* read, write, close */
#define MAXLINE 1024
int main(int argc, char **argv)
{
  struct addrinfo hints, *res;
  int sockfd, rc, len;
  char buf[MAXLINE];
  if (argc != 2) {
    fprintf(stderr, "usage : ipv6_echo_client port\n");
    return 1;
  }
  /* ::1 (IPv6의 127.0.0.1)의 주소 구조체를 getaddrinfo가 만들어 준다 */
  memset(&hints, 0x00, sizeof(hints));
  hints.ai_family = AF_INET6;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  if ((rc = getaddrinfo("::1", argv[1], &hints, &res)) != 0) {
    fprintf(stderr, "getaddrinfo error : %s\n", gai_strerror(rc));
    return 1;
  }
  if ((sockfd = socket(res->ai_family, res->ai_socktype, res->ai_protocol)) == -1) {
    perror("socket error : ");
    return 1;
  }
  if (connect(sockfd, res->ai_addr, res->ai_addrlen) == -1) {
    perror("connect error : ");
    return 1;
  }
  freeaddrinfo(res);
  memset(buf, 0x00, MAXLINE);
  if ((len = read(0, buf, MAXLINE - 1)) <= 0)
    return 0;
  if (write(sockfd, buf, len) != len) {
    perror("write error : ");
    return 1;
  }
  memset(buf, 0x00, MAXLINE);
  if (read(sockfd, buf, MAXLINE - 1) <= 0) {
    perror("read error : ");
    return 1;
  }
  printf("read : %s", buf);
  close(sockfd);
  return 0;
}

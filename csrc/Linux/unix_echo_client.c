#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/un.h> /* struct sockaddr_un: 파일 경로가 주소인 소켓 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <unistd.h> /* read, write, close */
#define MAXLINE 1024
int main(int argc, char **argv)
{
  struct sockaddr_un serveraddr;
  int sockfd, len;
  char buf[MAXLINE];
  if (argc != 2) {
    fprintf(stderr, "usage : unix_echo_client path\n");
    return 1;
  }
  if (strlen(argv[1]) >= sizeof(serveraddr.sun_path)) {
    fprintf(stderr, "path too long : %s\n", argv[1]);
    return 1;
  }
  if ((sockfd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
    perror("socket error : ");
    return 1;
  }
  memset(&serveraddr, 0x00, sizeof(serveraddr));
  serveraddr.sun_family = AF_UNIX;
  strncpy(serveraddr.sun_path, argv[1], sizeof(serveraddr.sun_path) - 1);
  /* 서버가 bind한 파일 경로로 연결한다 */
  if (connect(sockfd, (struct sockaddr *)&serveraddr, sizeof(serveraddr)) == -1) {
    perror("connect error : ");
    return 1;
  }
  /* 한 줄을 보내고 (마지막 바이트는 '\0'으로 남긴다) 돌아온 만큼 출력한다 */
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

#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/wait.h> /* waitpid, WNOHANG */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi, exit */
#include <unistd.h> /* fork, read, write, close */
#include <signal.h> /* signal, SIGCHLD */
#include <errno.h> /* errno, EINTR */
#define MAXBUF 1024
/* 끝난 자식을 거둔다: 거두지 않으면 좀비로 남는다 */
void sigchld_handler(int signo)
{
        int status, saved_errno = errno; /* waitpid가 바꾸는 errno를 되돌려 놓는다 */
        while (waitpid(-1, &status, WNOHANG) > 0);
        errno = saved_errno;
}
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, n;
        pid_t pid;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        if (argc != 2) {
                fprintf(stderr, "usage : fork_echo_server port\n");
                return 1;
        }
        port = atoi(argv[1]);
        if (port < 1 || port > 65535) {
                fprintf(stderr, "port error : %s\n", argv[1]);
                return 1;
        }
        signal(SIGCHLD, sigchld_handler);
        if ((server_sockfd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
                perror("socket error : ");
                return 1;
        }
        memset(&serveraddr, 0x00, sizeof(serveraddr));
        serveraddr.sin_family = AF_INET;
        serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
        serveraddr.sin_port = htons(port);
        if (bind(server_sockfd, (struct sockaddr *)&serveraddr, sizeof(serveraddr)) == -1) {
                perror("bind error : ");
                return 1;
        }
        listen(server_sockfd, 5);
        while(1)
        {
                client_len = sizeof(clientaddr);
                client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                if (client_sockfd == -1) {
                        if (errno == EINTR) /* SIGCHLD가 accept를 깨웠다 */
                                continue;
                        perror("accept error : ");
                        continue;
                }
                printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                /* 클라이언트마다 자식 프로세스 하나 */
                pid = fork();
                if (pid == -1) {
                        perror("fork error : ");
                        close(client_sockfd);
                        continue;
                }
                if (pid == 0) { /* 자식: 듣는 소켓은 부모의 몫이다 */
                        close(server_sockfd);
                        while ((n = read(client_sockfd, buf, MAXBUF)) > 0)
                                write(client_sockfd, buf, n);
                        close(client_sockfd);
                        exit(0);
                }
                /* 부모: 연결된 소켓은 자식의 몫이다 */
                close(client_sockfd);
        }
        close(server_sockfd);
        return 0;
}

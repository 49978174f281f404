#include <sys/socket.h> /* 소켓 관련 함수 */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi, exit */
#include <unistd.h> /* read, write, close */
#include <signal.h> /* signal, SIGTERM, SIGINT */
#define MAXBUF 1024
/* kill이나 Ctrl-C로 끝나도 exit(0): 표준 입출력 버퍼를 비우고 성공으로 끝난다 */
void cleanExit(int signo)
{
        exit(0);
}
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, optval, rcvbuf, n;
        socklen_t client_len, optlen;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        if (argc != 2) {
                fprintf(stderr, "usage : clean_exit_server port\n");
                return 1;
        }
        port = atoi(argv[1]);
        if (port < 1 || port > 65535) {
                fprintf(stderr, "port error : %s\n", argv[1]);
                return 1;
        }
        signal(SIGTERM, cleanExit);
        signal(SIGINT, cleanExit);
        if ((server_sockfd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
                perror("socket error : ");
                return 1;
        }
        /* 끝난 서버의 연결이 TIME_WAIT로 남아 있어도 같은 포트에 바로 다시 bind한다 */
        optval = 1;
        setsockopt(server_sockfd, SOL_SOCKET, SO_REUSEADDR, &optval, sizeof(optval));
        /* 커널이 이 소켓에 준 수신 버퍼의 크기를 읽어 본다 */
        optlen = sizeof(rcvbuf);
        getsockopt(server_sockfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &optlen);
        printf("SO_RCVBUF : %d\n", rcvbuf);
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
                        perror("accept error : ");
                        continue;
                }
                printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                while ((n = read(client_sockfd, buf, MAXBUF)) > 0)
                        write(client_sockfd, buf, n);
                close(client_sockfd);
        }
        close(server_sockfd);
        return 0;
}

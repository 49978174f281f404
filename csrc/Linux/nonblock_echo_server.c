#include <sys/socket.h> /* 소켓 관련 함수 */
#include <fcntl.h> /* fcntl, O_NONBLOCK */
#include <errno.h> /* errno, EAGAIN */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* read, write, close, usleep */
#define MAXBUF 1024
#define MAXCLIENT 64
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, flags, i, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        int client[MAXCLIENT]; /* 연결된 소켓들, 빈 칸은 -1 */
        if (argc != 2) {
                fprintf(stderr, "usage : nonblock_echo_server port\n");
                return 1;
        }
        port = atoi(argv[1]);
        if (port < 1 || port > 65535) {
                fprintf(stderr, "port error : %s\n", argv[1]);
                return 1;
        }
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
        /* 듣는 소켓을 non-blocking으로: 기다리는 연결이 없으면 accept가 바로 EAGAIN으로 돌아온다 */
        flags = fcntl(server_sockfd, F_GETFL, 0);
        fcntl(server_sockfd, F_SETFL, flags | O_NONBLOCK);
        for (i = 0; i < MAXCLIENT; i++)
                client[i] = -1;
        while(1)
        {
                client_len = sizeof(clientaddr);
                client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                if (client_sockfd == -1) {
                        if (errno != EAGAIN && errno != EWOULDBLOCK)
                                perror("accept error : ");
                } else {
                        for (i = 0; i < MAXCLIENT && client[i] != -1; i++);
                        if (i == MAXCLIENT) {
                                close(client_sockfd); /* 빈 칸이 없다 */
                        } else {
                                printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                                /* accept한 소켓은 O_NONBLOCK을 물려받지 않는다 */
                                flags = fcntl(client_sockfd, F_GETFL, 0);
                                fcntl(client_sockfd, F_SETFL, flags | O_NONBLOCK);
                                client[i] = client_sockfd;
                        }
                }
                /* 클라이언트마다 읽어 본다: 온 데이터가 없으면 EAGAIN */
                for (i = 0; i < MAXCLIENT; i++)
                {
                        if (client[i] == -1)
                                continue;
                        n = read(client[i], buf, MAXBUF);
                        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
                                continue;
                        if (n <= 0) { /* 연결이 끝났거나(0) 끊겼다(-1) */
                                close(client[i]);
                                client[i] = -1;
                        } else if (write(client[i], buf, n) != n) {
                                perror("write error : ");
                        }
                }
                usleep(10000); /* 할 일이 없어도 돌기만 하는 고리: 10ms 쉬어 CPU를 다 쓰지 않는다 */
        }
        close(server_sockfd);
        return 0;
}

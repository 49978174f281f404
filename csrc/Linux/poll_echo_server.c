#include <sys/socket.h> /* 소켓 관련 함수 */
#include <poll.h> /* poll, struct pollfd */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* read, write, close */
#define MAXBUF 1024
#define MAXCLIENT 64 /* 듣는 소켓 하나와 클라이언트 63개 */
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, maxi, i, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        struct pollfd client[MAXCLIENT];
        if (argc != 2) {
                fprintf(stderr, "usage : poll_echo_server port\n");
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
        /* 지켜볼 소켓들: 0번 칸은 듣는 소켓, 빈 칸은 fd가 -1 (poll이 건너뛴다) */
        client[0].fd = server_sockfd;
        client[0].events = POLLIN;
        for (i = 1; i < MAXCLIENT; i++)
                client[i].fd = -1;
        maxi = 0;
        while(1)
        {
                if (poll(client, maxi + 1, -1) == -1) {
                        perror("poll error : ");
                        return 1;
                }
                /* 듣는 소켓이 읽을 수 있다: 새 연결이 왔다 */
                if (client[0].revents & POLLIN) {
                        client_len = sizeof(clientaddr);
                        client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                        if (client_sockfd == -1) {
                                perror("accept error : ");
                        } else {
                                for (i = 1; i < MAXCLIENT && client[i].fd != -1; i++)
                                        ;
                                if (i == MAXCLIENT) {
                                        close(client_sockfd); /* 빈 칸이 없다 */
                                } else {
                                        printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                                        client[i].fd = client_sockfd;
                                        client[i].events = POLLIN;
                                        if (i > maxi)
                                                maxi = i;
                                }
                        }
                }
                /* 읽을 수 있거나 끊긴 클라이언트마다 한 번 읽고 읽은 만큼 돌려준다 */
                for (i = 1; i <= maxi; i++)
                {
                        if (client[i].fd == -1 || !(client[i].revents & (POLLIN | POLLERR | POLLHUP)))
                                continue;
                        n = read(client[i].fd, buf, MAXBUF);
                        if (n <= 0) { /* 연결이 끝났거나(0) 끊겼다(-1) */
                                close(client[i].fd);
                                client[i].fd = -1;
                        } else if (write(client[i].fd, buf, n) != n) {
                                perror("write error : ");
                        }
                }
        }
        close(server_sockfd);
        return 0;
}

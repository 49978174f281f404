#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/select.h> /* select, fd_set, FD_* 매크로 */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* read, write, close */
#define MAXBUF 1024
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, maxfd, fd, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        fd_set readfds, allfds;
        if (argc != 2) {
                fprintf(stderr, "usage : select_echo_server port\n");
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
        /* 지켜볼 소켓들: 처음에는 듣는 소켓 하나 */
        FD_ZERO(&allfds);
        FD_SET(server_sockfd, &allfds);
        maxfd = server_sockfd;
        while(1)
        {
                readfds = allfds; /* select가 readfds를 바꿔 놓으므로 매번 복사한다 */
                if (select(maxfd + 1, &readfds, NULL, NULL, NULL) == -1) {
                        perror("select error : ");
                        return 1;
                }
                /* 듣는 소켓이 읽을 수 있다: 새 연결이 왔다 */
                if (FD_ISSET(server_sockfd, &readfds)) {
                        client_len = sizeof(clientaddr);
                        client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                        if (client_sockfd == -1) {
                                perror("accept error : ");
                        } else if (client_sockfd >= FD_SETSIZE) {
                                close(client_sockfd); /* fd_set에 넣을 수 없다 */
                        } else {
                                printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                                FD_SET(client_sockfd, &allfds);
                                if (client_sockfd > maxfd)
                                        maxfd = client_sockfd;
                        }
                }
                /* 읽을 수 있는 클라이언트마다 한 번 읽고 읽은 만큼 돌려준다 */
                for (fd = 0; fd <= maxfd; fd++)
                {
                        if (fd == server_sockfd || !FD_ISSET(fd, &readfds))
                                continue;
                        n = read(fd, buf, MAXBUF);
                        if (n <= 0) { /* 연결이 끝났거나(0) 끊겼다(-1) */
                                close(fd);
                                FD_CLR(fd, &allfds);
                        } else if (write(fd, buf, n) != n) {
                                perror("write error : ");
                        }
                }
        }
        close(server_sockfd);
        return 0;
}

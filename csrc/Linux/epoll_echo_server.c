#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/epoll.h> /* epoll_create1, epoll_ctl, epoll_wait */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* read, write, close */
#define MAXBUF 1024
#define MAXEVENTS 64 /* epoll_wait 한 번에 받을 사건의 수 */
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, port, epfd, nfds, fd, i, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        struct epoll_event ev, events[MAXEVENTS];
        if (argc != 2) {
                fprintf(stderr, "usage : epoll_echo_server port\n");
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
        /* 지켜볼 소켓들은 커널이 기억한다: 처음에는 듣는 소켓 하나 */
        if ((epfd = epoll_create1(0)) == -1) {
                perror("epoll_create1 error : ");
                return 1;
        }
        memset(&ev, 0x00, sizeof(ev)); /* data는 union: fd만 쓰면 나머지 바이트는 쓰레기로 남는다 */
        ev.events = EPOLLIN;
        ev.data.fd = server_sockfd;
        epoll_ctl(epfd, EPOLL_CTL_ADD, server_sockfd, &ev);
        while(1)
        {
                if ((nfds = epoll_wait(epfd, events, MAXEVENTS, -1)) == -1) {
                        perror("epoll_wait error : ");
                        return 1;
                }
                /* select와 poll과 달리 준비된 소켓만 돌려받는다 */
                for (i = 0; i < nfds; i++)
                {
                        fd = events[i].data.fd;
                        if (fd == server_sockfd) { /* 새 연결이 왔다 */
                                client_len = sizeof(clientaddr);
                                client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                                if (client_sockfd == -1) {
                                        perror("accept error : ");
                                        continue;
                                }
                                printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                                ev.events = EPOLLIN;
                                ev.data.fd = client_sockfd;
                                epoll_ctl(epfd, EPOLL_CTL_ADD, client_sockfd, &ev);
                                continue;
                        }
                        n = read(fd, buf, MAXBUF);
                        if (n <= 0) { /* 연결이 끝났거나(0) 끊겼다(-1): close가 epoll에서도 뺀다 */
                                close(fd);
                        } else if (write(fd, buf, n) != n) {
                                perror("write error : ");
                        }
                }
        }
        close(server_sockfd);
        return 0;
}

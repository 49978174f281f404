#include <sys/socket.h> /* 소켓 관련 함수 */
#include <netdb.h> /* getaddrinfo, struct addrinfo */
#include <arpa/inet.h> /* inet_ntop, struct sockaddr_in6 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <unistd.h> /* read, write, close */
#define MAXBUF 1024
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, rc, n;
        socklen_t client_len;
        char buf[MAXBUF], addrstr[INET6_ADDRSTRLEN];
        struct sockaddr_in6 clientaddr;
        struct addrinfo hints, *res;
        if (argc != 2) {
                fprintf(stderr, "usage : ipv6_echo_server port\n");
                return 1;
        }
        /* 주소 구조체를 손으로 채우지 않고 getaddrinfo에게 맡긴다 */
        memset(&hints, 0x00, sizeof(hints));
        hints.ai_family = AF_INET6;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
        if ((rc = getaddrinfo("::1", argv[1], &hints, &res)) != 0) {
                fprintf(stderr, "getaddrinfo error : %s\n", gai_strerror(rc));
                return 1;
        }
        if ((server_sockfd = socket(res->ai_family, res->ai_socktype, res->ai_protocol)) == -1) {
                perror("socket error : ");
                return 1;
        }
        if (bind(server_sockfd, res->ai_addr, res->ai_addrlen) == -1) {
                perror("bind error : ");
                return 1;
        }
        freeaddrinfo(res);
        listen(server_sockfd, 5);
        while(1)
        {
                client_len = sizeof(clientaddr);
                client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr, &client_len);
                if (client_sockfd == -1) {
                        perror("accept error : ");
                        continue;
                }
                /* inet_ntoa는 IPv4 전용이다: inet_ntop으로 주소를 글자로 바꾼다 */
                inet_ntop(AF_INET6, &clientaddr.sin6_addr, addrstr, sizeof(addrstr));
                printf("New Client Connect: %s\n", addrstr);
                while ((n = read(client_sockfd, buf, MAXBUF)) > 0)
                        write(client_sockfd, buf, n);
                close(client_sockfd);
        }
        close(server_sockfd);
        return 0;
}

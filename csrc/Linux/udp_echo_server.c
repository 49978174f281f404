#include <sys/socket.h> /* 소켓 관련 함수 */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <stdlib.h> /* atoi */
#include <unistd.h> /* close */
#define MAXBUF 65535 /* 데이터그램 하나가 담을 수 있는 가장 큰 크기 */
int main(int argc, char **argv)
{
        int server_sockfd, port, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_in clientaddr, serveraddr;
        if (argc != 2) {
                fprintf(stderr, "usage : udp_echo_server port\n");
                return 1;
        }
        port = atoi(argv[1]);
        if (port < 1 || port > 65535) {
                fprintf(stderr, "port error : %s\n", argv[1]);
                return 1;
        }
        /* 데이터그램(UDP) 소켓을 만든다 */
        if ((server_sockfd = socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
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
        /* listen도 accept도 없다: 받은 데이터그램을 보낸 주소로 그대로 돌려준다 */
        while(1)
        {
                client_len = sizeof(clientaddr);
                n = recvfrom(server_sockfd, buf, MAXBUF, 0, (struct sockaddr *)&clientaddr, &client_len);
                if (n == -1) {
                        perror("recvfrom error : ");
                        continue;
                }
                printf("Datagram from %s : %d bytes\n", inet_ntoa(clientaddr.sin_addr), n);
                if (sendto(server_sockfd, buf, n, 0, (struct sockaddr *)&clientaddr, client_len) == -1)
                        perror("sendto error : ");
        }
        close(server_sockfd);
        return 0;
}

#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/un.h> /* struct sockaddr_un: 파일 경로가 주소인 소켓 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <unistd.h> /* read, write, close, unlink */
#define MAXBUF 1024
int main(int argc, char **argv)
{
        int server_sockfd, client_sockfd, n;
        socklen_t client_len;
        char buf[MAXBUF];
        struct sockaddr_un clientaddr, serveraddr;
        if (argc != 2) {
                fprintf(stderr, "usage : unix_echo_server path\n");
                return 1;
        }
        if (strlen(argv[1]) >= sizeof(serveraddr.sun_path)) {
                fprintf(stderr, "path too long : %s\n", argv[1]);
                return 1;
        }
        if ((server_sockfd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
                perror("socket error : ");
                return 1;
        }
        /* 지난번 서버가 남긴 소켓 파일이 있으면 bind가 실패한다: 먼저 지운다 */
        unlink(argv[1]);
        memset(&serveraddr, 0x00, sizeof(serveraddr));
        serveraddr.sun_family = AF_UNIX;
        strncpy(serveraddr.sun_path, argv[1], sizeof(serveraddr.sun_path) - 1);
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
                printf("New Client Connect\n");
                /* 클라이언트가 연결을 닫을 때까지 읽은 만큼 돌려준다 */
                while ((n = read(client_sockfd, buf, MAXBUF)) > 0)
                {
                        if (write(client_sockfd, buf, n) != n) {
                                perror("write error : ");
                                break;
                        }
                }
                close(client_sockfd);
        }
        close(server_sockfd);
        return 0;
}

#include <sys/socket.h> /* 소켓 관련 함수 */
#include <netdb.h> /* gethostbyname, gethostbyaddr, getaddrinfo, getnameinfo */
#include <arpa/inet.h> /* inet_ntoa, inet_pton */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
int main(int argc, char **argv)
{
        struct hostent *host;
        struct addrinfo hints, *res, *ai;
        char addr[16], addrstr[NI_MAXHOST], hostname[NI_MAXHOST];
        int i, rc;
        if (argc != 2) {
                fprintf(stderr, "usage : hostinfo localhost|address\n");
                return 1;
        }
        /* 이름 서버(DNS)에 묻지 않도록 localhost와 숫자 주소만 받는다 */
        if (strcmp(argv[1], "localhost") != 0 && inet_pton(AF_INET, argv[1], addr) != 1
                        && inet_pton(AF_INET6, argv[1], addr) != 1) {
                fprintf(stderr, "not localhost nor a numeric address : %s\n", argv[1]);
                return 1;
        }
        /* gethostbyname: 옛 함수, IPv4 주소만 돌려준다 */
        if ((host = gethostbyname(argv[1])) == NULL) {
                printf("gethostbyname : h_errno %d\n", h_errno);
        } else {
                printf("gethostbyname : %s\n", host->h_name);
                for (i = 0; host->h_aliases[i] != NULL; i++)
                        printf("  alias %s\n", host->h_aliases[i]);
                for (i = 0; host->h_addr_list[i] != NULL; i++)
                        printf("  address %s\n", inet_ntoa(*(struct in_addr *)host->h_addr_list[i]));
                /* 첫 주소로 거꾸로 이름을 찾는다 */
                if ((host = gethostbyaddr(host->h_addr_list[0], host->h_length, host->h_addrtype)) == NULL)
                        printf("gethostbyaddr : h_errno %d\n", h_errno);
                else
                        printf("gethostbyaddr : %s\n", host->h_name);
        }
        /* getaddrinfo: IPv4와 IPv6를 함께 다루는 새 함수 */
        memset(&hints, 0x00, sizeof(hints));
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        if ((rc = getaddrinfo(argv[1], NULL, &hints, &res)) != 0) {
                printf("getaddrinfo : %s\n", gai_strerror(rc));
                return 1;
        }
        ai = res;
        while (ai != NULL)
        {
                getnameinfo(ai->ai_addr, ai->ai_addrlen, addrstr, sizeof(addrstr), NULL, 0, NI_NUMERICHOST);
                rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, hostname, sizeof(hostname), NULL, 0, NI_NAMEREQD);
                printf("getaddrinfo : %s %s, getnameinfo : %s\n", ai->ai_family == AF_INET6 ? "AF_INET6" : "AF_INET",
                       addrstr, rc == 0 ? hostname : gai_strerror(rc));
                ai = ai->ai_next;
        }
        freeaddrinfo(res);
        return 0;
}

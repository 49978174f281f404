#include <sys/socket.h> /* 소켓 관련 함수 */
#include <sys/time.h> /* struct timeval */
#include <netinet/ip.h> /* struct iphdr: 받은 패킷 앞의 IP 헤더 */
#include <netinet/ip_icmp.h> /* struct icmphdr, ICMP_ECHO, ICMP_ECHOREPLY */
#include <arpa/inet.h> /* 소켓 지원을 위한 각종 함수 */
#include <stdio.h> /* 표준 입출력 관련 */
#include <string.h> /* 문자열 관련 */
#include <unistd.h> /* close */
#define PACKET_SIZE 64 /* ICMP 헤더 8바이트 + 데이터 56바이트 */
#define PING_ID 0x4353 /* 실행마다 같은 바이트가 오가도록 고정한 id (ping은 getpid()를 쓴다) */
#define COUNT 3
/* 인터넷 체크섬(RFC 1071): 16비트씩 더하고, 넘친 자리를 다시 더한 뒤 뒤집는다 */
unsigned short checksum(unsigned short *data, int len)
{
        unsigned long sum = 0;
        while (len > 1) {
                sum += *data++;
                len -= 2;
        }
        if (len == 1)
                sum += *(unsigned char *)data;
        sum = (sum >> 16) + (sum & 0xffff);
        sum += (sum >> 16);
        return (unsigned short)~sum;
}
int main(int argc, char **argv)
{
        int sockfd, seq, n, hlen;
        socklen_t from_len;
        char packet[PACKET_SIZE], recvbuf[1024];
        struct sockaddr_in addr, fromaddr;
        struct icmphdr *icmp;
        struct iphdr *ip;
        struct timeval tv;
        /* ICMP는 RAW 소켓으로 보낸다: root나 CAP_NET_RAW가 있어야 만들 수 있다 */
        if ((sockfd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1) {
                perror("socket error : ");
                return 1;
        }
        /* 응답이 오지 않으면 1초 뒤에 recvfrom이 돌아온다 */
        tv.tv_sec = 1;
        tv.tv_usec = 0;
        setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        memset(&addr, 0x00, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = inet_addr("127.0.0.1");
        for (seq = 1; seq <= COUNT; seq++)
        {
                /* echo request: 체크섬 칸을 0으로 두고 계산해 채운다 */
                memset(packet, 0x00, PACKET_SIZE);
                icmp = (struct icmphdr *)packet;
                icmp->type = ICMP_ECHO;
                icmp->code = 0;
                icmp->un.echo.id = htons(PING_ID);
                icmp->un.echo.sequence = htons(seq);
                icmp->checksum = checksum((unsigned short *)packet, PACKET_SIZE);
                if (sendto(sockfd, packet, PACKET_SIZE, 0, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
                        perror("sendto error : ");
                        return 1;
                }
                /* RAW 소켓은 루프백으로 돌아온 우리 요청도 받는다: 우리 id의 echo reply만 본다 */
                while (1)
                {
                        from_len = sizeof(fromaddr);
                        if ((n = recvfrom(sockfd, recvbuf, sizeof(recvbuf), 0, (struct sockaddr *)&fromaddr, &from_len)) == -1) {
                                perror("recvfrom error : ");
                                return 1;
                        }
                        ip = (struct iphdr *)recvbuf;
                        hlen = ip->ihl * 4; /* IP 헤더 길이는 4바이트 단위 */
                        icmp = (struct icmphdr *)(recvbuf + hlen);
                        if (icmp->type == ICMP_ECHOREPLY && ntohs(icmp->un.echo.id) == PING_ID)
                                break;
                }
                printf("%d bytes from %s: icmp_seq=%d ttl=%d\n", n - hlen, inet_ntoa(fromaddr.sin_addr),
                       ntohs(icmp->un.echo.sequence), ip->ttl);
        }
        close(sockfd);
        return 0;
}

#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#define MAXBUF 512
int main(int argc, char **argv)
{
    int sockfd, n;
    socklen_t addrlen;
    char buf[MAXBUF];
    struct sockaddr_in addr, peer;
    if (argc != 2) {
        printf("usage: udp_echo PORT\n");
        return 2;
    }
    sockfd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(atoi(argv[1]));
    if (bind(sockfd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
        perror("bind");
        return 1;
    }
    while (1) {
        addrlen = sizeof(peer);
        n = recvfrom(sockfd, buf, MAXBUF, 0, (struct sockaddr *)&peer, &addrlen);
        if (n < 0) {
            perror("recvfrom");
            return 1;
        }
        printf("%d bytes from %s\n", n, inet_ntoa(peer.sin_addr));
        sendto(sockfd, buf, n, 0, (struct sockaddr *)&peer, addrlen);
    }
}

#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h> /* restored to compile: exit, atoi */
#include <unistd.h> /* restored to compile: read, write, close */
#define MAXBUF 1024
int main(int argc, char **argv)
{ /* restored brace */
         int server_sockfd, client_sockfd, client_len, n;
         char buf[MAXBUF];
         struct sockaddr_in clientaddr, serveraddr; /* restored: ';' for ',' */
         client_len = sizeof(clientaddr);
         if (( server_sockfd = socket (AF_INET, SOCK_STREAM, IPPROTO_TCP) ) == -1){ /* restored: the first "(" */
                 perror("socket error : ");
                 exit(0);
         } /* restored brace */
         memset(&serveraddr, 0x00, sizeof(serveraddr));
         serveraddr.sin_family = AF_INET;
         serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
         serveraddr.sin_port = htons(atoi(argv[1])); // input PORT NUMBER

         bind (server_sockfd, (struct sockaddr *)&serveraddr, sizeof(serveraddr));
         listen(server_sockfd, 5);
         while(1)
         { /* restored brace */
                 client_sockfd = accept(server_sockfd, (struct sockaddr *)&clientaddr,
                          &client_len);
                 printf("New Client Connect: %s\n", inet_ntoa(clientaddr.sin_addr));
                 memset(buf, 0x00, MAXBUF);
                 if ((n = read(client_sockfd, buf, MAXBUF) ) <= 0) {
                          close(client_sockfd);
                          continue;
                 } /* restored brace */
                 if (write(client_sockfd, buf, MAXBUF) <=0) {
                          perror("write error : ");
                          close(client_sockfd);
                 } /* restored brace */
                 close(client_sockfd);
         } /* restored brace */
         close(server_sockfd);
         return 0;
} /* restored brace */

from csock import socket, setsockopt, sendto, recvfrom, AF_INET, SOCK_RAW, SOL_SOCKET, SO_RCVTIMEO  # <sys/socket.h> 소켓 관련 함수
# <sys/time.h> struct timeval
from csock import csock_iphdr_ihl  # <netinet/ip.h> struct iphdr: 받은 패킷 앞의 IP 헤더 (ihl, a bit-field, through csock_iphdr_ihl)
from csock import ICMP_ECHO, ICMP_ECHOREPLY  # <netinet/ip_icmp.h> struct icmphdr, ICMP_ECHO, ICMP_ECHOREPLY
from csock import inet_addr, inet_ntoa, htons, ntohs, IPPROTO_ICMP  # <arpa/inet.h> 소켓 지원을 위한 각종 함수
from csock import printf, perror  # <stdio.h> 표준 입출력 관련
from csock import memset  # <string.h> 문자열 관련
from csock import close, ffi  # <unistd.h> close; ffi makes the C variables
PACKET_SIZE = 64  # ICMP 헤더 8바이트 + 데이터 56바이트
PING_ID = 0x4353  # 실행마다 같은 바이트가 오가도록 고정한 id (ping은 getpid()를 쓴다)
COUNT = 3
# 인터넷 체크섬(RFC 1071): 16비트씩 더하고, 넘친 자리를 다시 더한 뒤 뒤집는다
def checksum(data, len):

        sum = 0
        while len > 1:
                sum += data[0]; data += 1
                len -= 2

        if len == 1:
                sum += ffi.cast("unsigned char *", data)[0]
        sum = (sum >> 16) + (sum & 0xffff)
        sum += (sum >> 16)
        return int(ffi.cast("unsigned short", ~sum))

def main(argc, argv):

        sockfd = seq = n = hlen = 0
        from_len = ffi.new("socklen_t *")
        packet = ffi.new("char[]", PACKET_SIZE); recvbuf = ffi.new("char[]", 1024)
        addr = ffi.new("struct sockaddr_in *"); fromaddr = ffi.new("struct sockaddr_in *")
        icmp = ffi.NULL
        ip = ffi.NULL
        tv = ffi.new("struct timeval *")
        # ICMP는 RAW 소켓으로 보낸다: root나 CAP_NET_RAW가 있어야 만들 수 있다
        if (sockfd := socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1:
                perror(b"socket error : ")
                return 1

        # 응답이 오지 않으면 1초 뒤에 recvfrom이 돌아온다
        tv.tv_sec = 1
        tv.tv_usec = 0
        setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, tv, ffi.sizeof(tv[0]))
        memset(addr, 0x00, ffi.sizeof(addr[0]))
        addr.sin_family = AF_INET
        addr.sin_addr.s_addr = inet_addr(b"127.0.0.1")
        for seq in range(1, COUNT + 1):

                # echo request: 체크섬 칸을 0으로 두고 계산해 채운다
                memset(packet, 0x00, PACKET_SIZE)
                icmp = ffi.cast("struct icmphdr *", packet)
                icmp.type = ICMP_ECHO
                icmp.code = 0
                icmp.un.echo.id = htons(PING_ID)
                icmp.un.echo.sequence = htons(seq)
                icmp.checksum = checksum(ffi.cast("unsigned short *", packet), PACKET_SIZE)
                if sendto(sockfd, packet, PACKET_SIZE, 0, ffi.cast("struct sockaddr *", addr), ffi.sizeof(addr[0])) == -1:
                        perror(b"sendto error : ")
                        return 1

                # RAW 소켓은 루프백으로 돌아온 우리 요청도 받는다: 우리 id의 echo reply만 본다
                while 1:

                        from_len[0] = ffi.sizeof(fromaddr[0])
                        if (n := recvfrom(sockfd, recvbuf, ffi.sizeof(recvbuf), 0, ffi.cast("struct sockaddr *", fromaddr), from_len)) == -1:
                                perror(b"recvfrom error : ")
                                return 1

                        ip = ffi.cast("struct iphdr *", recvbuf)
                        hlen = csock_iphdr_ihl(ip) * 4  # IP 헤더 길이는 4바이트 단위
                        icmp = ffi.cast("struct icmphdr *", recvbuf + hlen)
                        if icmp.type == ICMP_ECHOREPLY and ntohs(icmp.un.echo.id) == PING_ID:
                                break

                printf(b"%d bytes from %s: icmp_seq=%d ttl=%d\n", n - hlen, inet_ntoa(fromaddr.sin_addr),
                       ntohs(icmp.un.echo.sequence), ip.ttl)

        close(sockfd)
        return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused a call C would make with undefined behaviour
        sys.exit(f"{os.path.basename(sys.argv[0])}: {refused}")

from csock import SOCK_STREAM  # <sys/socket.h> 소켓 관련 함수
from csock import gethostbyname, gethostbyaddr, getaddrinfo, freeaddrinfo, getnameinfo, gai_strerror, h_errno, AF_UNSPEC, NI_MAXHOST, NI_NUMERICHOST, NI_NAMEREQD  # <netdb.h> gethostbyname, gethostbyaddr, getaddrinfo, getnameinfo
from csock import inet_ntoa, inet_pton, AF_INET, AF_INET6  # <arpa/inet.h> inet_ntoa, inet_pton
from csock import printf, fprintf, stderr  # <stdio.h> 표준 입출력 관련
from csock import memset, strcmp, ffi; from itertools import count, takewhile  # <string.h> 문자열 관련; ffi makes the C variables; C's for (i = 0; p[i] != NULL; i++)
def main(argc, argv):

        host = ffi.NULL
        hints = ffi.new("struct addrinfo *"); res = ffi.new("struct addrinfo **"); ai = ffi.NULL
        addr = ffi.new("char[]", 16); addrstr = ffi.new("char[]", NI_MAXHOST); hostname = ffi.new("char[]", NI_MAXHOST)
        i = rc = 0
        if argc != 2:
                fprintf(stderr, b"usage : hostinfo localhost|address\n")
                return 1

        # 이름 서버(DNS)에 묻지 않도록 localhost와 숫자 주소만 받는다
        if (strcmp(argv[1], b"localhost") != 0 and inet_pton(AF_INET, argv[1], addr) != 1
                        and inet_pton(AF_INET6, argv[1], addr) != 1):
                fprintf(stderr, b"not localhost nor a numeric address : %s\n", argv[1])
                return 1

        # gethostbyname: 옛 함수, IPv4 주소만 돌려준다
        if (host := gethostbyname(argv[1])) == ffi.NULL:
                printf(b"gethostbyname : h_errno %d\n", h_errno())
        else:
                printf(b"gethostbyname : %s\n", host.h_name)
                for i in takewhile(lambda i: host.h_aliases[i] != ffi.NULL, count(0)):
                        printf(b"  alias %s\n", host.h_aliases[i])
                for i in takewhile(lambda i: host.h_addr_list[i] != ffi.NULL, count(0)):
                        printf(b"  address %s\n", inet_ntoa(ffi.cast("struct in_addr *", host.h_addr_list[i])[0]))
                # 첫 주소로 거꾸로 이름을 찾는다
                if (host := gethostbyaddr(ffi.cast("struct in_addr *", host.h_addr_list[0]), host.h_length, host.h_addrtype)) == ffi.NULL:  # cast: a char * vouches for 1 byte
                        printf(b"gethostbyaddr : h_errno %d\n", h_errno())
                else:
                        printf(b"gethostbyaddr : %s\n", host.h_name)

        # getaddrinfo: IPv4와 IPv6를 함께 다루는 새 함수
        memset(hints, 0x00, ffi.sizeof(hints[0]))
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = SOCK_STREAM
        if (rc := getaddrinfo(argv[1], ffi.NULL, hints, res)) != 0:
                printf(b"getaddrinfo : %s\n", gai_strerror(rc))
                return 1

        ai = res[0]
        while ai != ffi.NULL:

                getnameinfo(ai.ai_addr, ai.ai_addrlen, addrstr, ffi.sizeof(addrstr), ffi.NULL, 0, NI_NUMERICHOST)
                rc = getnameinfo(ai.ai_addr, ai.ai_addrlen, hostname, ffi.sizeof(hostname), ffi.NULL, 0, NI_NAMEREQD)
                printf(b"getaddrinfo : %s %s, getnameinfo : %s\n", b"AF_INET6" if ai.ai_family == AF_INET6 else b"AF_INET",
                       addrstr, hostname if rc == 0 else gai_strerror(rc))
                ai = ai.ai_next

        freeaddrinfo(res[0])
        return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:  # csock refused a call C would make with undefined behaviour
        sys.exit(f"{os.path.basename(sys.argv[0])}: {refused}")

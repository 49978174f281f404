INCLUDES = """
#include <winsock2.h>
"""

# SOCKET is the compiler's UINT_PTR (64-bit unsigned on Win64): `int...` lets cffi take its real size and sign.
TYPES = """
typedef int... u_char;
typedef int... u_short;
typedef int... u_int;
typedef int... u_long;
typedef int... SOCKET;

typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[...];
    char szSystemStatus[...];
    ...;
} WSADATA;
typedef WSADATA *LPWSADATA;

struct sockaddr {
    u_short sa_family;
    char sa_data[...];
    ...;
};
typedef struct sockaddr SOCKADDR;

struct sockaddr_storage {
    short ss_family;
    ...;
};

/* winsock's in_addr holds one member, the union S_un; its header's `#define s_addr S_un.S_addr` is declared
   as a member of its own at the same offset, so that `a.s_addr` and `{"s_addr": x}` or `[x]` work as on POSIX. */
struct in_addr {
    u_long s_addr;
    union {
        struct { u_char s_b1, s_b2, s_b3, s_b4; } S_un_b;
        struct { u_short s_w1, s_w2; } S_un_w;
        u_long S_addr;
    } S_un;
    ...;
};
typedef struct in_addr IN_ADDR;

struct sockaddr_in {
    short sin_family;
    u_short sin_port;
    struct in_addr sin_addr;
    char sin_zero[...];
    ...;
};
typedef struct sockaddr_in SOCKADDR_IN;

struct linger {
    u_short l_onoff;
    u_short l_linger;
    ...;
};

struct hostent {
    char *h_name;
    char **h_aliases;
    short h_addrtype;
    short h_length;
    char **h_addr_list;
    ...;
};

struct timeval {
    long tv_sec;
    long tv_usec;
    ...;
};
typedef struct fd_set {
    u_int fd_count;
    SOCKET fd_array[...];
    ...;
} fd_set;

typedef struct pollfd {
    SOCKET fd;
    short events;
    short revents;
    ...;
} WSAPOLLFD;

/* WSAEventSelect's events: WSAEVENT is winsock2.h's name for HANDLE, a `void *`. */
typedef void *WSAEVENT;
typedef struct _WSANETWORKEVENTS {
    long lNetworkEvents;
    int iErrorCode[...];
    ...;
} WSANETWORKEVENTS;
static WSAEVENT const WSA_INVALID_EVENT;

#define FD_READ ...
#define FD_WRITE ...
#define FD_OOB ...
#define FD_ACCEPT ...
#define FD_CONNECT ...
#define FD_CLOSE ...
#define FD_READ_BIT ...
#define FD_WRITE_BIT ...
#define FD_OOB_BIT ...
#define FD_ACCEPT_BIT ...
#define FD_CONNECT_BIT ...
#define FD_CLOSE_BIT ...
#define FD_MAX_EVENTS ...
#define WSA_MAXIMUM_WAIT_EVENTS ...
#define WSA_WAIT_EVENT_0 ...
#define WSA_WAIT_TIMEOUT ...
#define WSA_WAIT_FAILED ...
#define WSA_INFINITE ...

#define INVALID_SOCKET ...
#define SOCKET_ERROR ...
#define WSADESCRIPTION_LEN ...
#define WSASYS_STATUS_LEN ...
#define FD_SETSIZE ...

#define AF_UNSPEC ...
#define AF_UNIX ...
#define AF_INET ...
#define AF_INET6 ...
#define AF_IPX ...
#define AF_APPLETALK ...
#define PF_UNSPEC ...
#define PF_UNIX ...
#define PF_INET ...
#define PF_INET6 ...
#define PF_IPX ...
#define PF_APPLETALK ...

#define SOCK_STREAM ...
#define SOCK_DGRAM ...
#define SOCK_RAW ...
#define SOCK_RDM ...
#define SOCK_SEQPACKET ...

#define SOL_SOCKET ...
#define SO_DEBUG ...
#define SO_REUSEADDR ...
#define SO_EXCLUSIVEADDRUSE ...
#define SO_TYPE ...
#define SO_ERROR ...
#define SO_DONTROUTE ...
#define SO_BROADCAST ...
#define SO_SNDBUF ...
#define SO_RCVBUF ...
#define SO_KEEPALIVE ...
#define SO_OOBINLINE ...
#define SO_LINGER ...
#define SO_DONTLINGER ...
#define SO_RCVLOWAT ...
#define SO_SNDLOWAT ...
#define SO_RCVTIMEO ...
#define SO_SNDTIMEO ...
#define SO_ACCEPTCONN ...

#define MSG_OOB ...
#define MSG_PEEK ...
#define MSG_DONTROUTE ...
#define MSG_WAITALL ...

#define SD_RECEIVE ...
#define SD_SEND ...
#define SD_BOTH ...

#define SOMAXCONN ...

#define FIONBIO ...
#define FIONREAD ...
#define SIOCATMARK ...

#define IPPROTO_IP ...
#define IPPROTO_ICMP ...
#define IPPROTO_TCP ...
#define IPPROTO_UDP ...
#define IPPROTO_IPV6 ...
#define IPPROTO_ICMPV6 ...
#define IPPROTO_RAW ...

#define INADDR_ANY ...
#define INADDR_LOOPBACK ...
#define INADDR_BROADCAST ...
#define INADDR_NONE ...

#define TCP_NODELAY ...

#define POLLRDNORM ...
#define POLLRDBAND ...
#define POLLIN ...
#define POLLPRI ...
#define POLLWRNORM ...
#define POLLOUT ...
#define POLLWRBAND ...
#define POLLERR ...
#define POLLHUP ...
#define POLLNVAL ...

#define HOST_NOT_FOUND ...
#define TRY_AGAIN ...
#define NO_RECOVERY ...
#define NO_DATA ...
"""

# Buffers are `void *` where Winsock writes `char *`: C callers cast, Python callers need not (the call is the same).
# ioctlsocket's cmd is `u_long` here: FIONBIO is the unsigned 0x8004667e, which C converts to long silently.
# FD_* are macros (FD_ISSET calls __WSAFDIsSet); cffi calls them as if they were functions.
FUNCTIONS = """
int WSAStartup(WORD wVersionRequested, WSADATA *lpWSAData);
int WSACleanup(void);
int WSAGetLastError(void);
void WSASetLastError(int iError);

SOCKET socket(int af, int type, int protocol);
int bind(SOCKET s, const struct sockaddr *name, int namelen);
int listen(SOCKET s, int backlog);
SOCKET accept(SOCKET s, struct sockaddr *addr, int *addrlen);
int connect(SOCKET s, const struct sockaddr *name, int namelen);
int shutdown(SOCKET s, int how);
int closesocket(SOCKET s);
int ioctlsocket(SOCKET s, u_long cmd, u_long *argp);
int send(SOCKET s, const void *buf, int len, int flags);
int recv(SOCKET s, void *buf, int len, int flags);
int sendto(SOCKET s, const void *buf, int len, int flags, const struct sockaddr *to, int tolen);
int recvfrom(SOCKET s, void *buf, int len, int flags, struct sockaddr *from, int *fromlen);
int getsockname(SOCKET s, struct sockaddr *name, int *namelen);
int getpeername(SOCKET s, struct sockaddr *name, int *namelen);
int getsockopt(SOCKET s, int level, int optname, void *optval, int *optlen);
int setsockopt(SOCKET s, int level, int optname, const void *optval, int optlen);

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
int WSAPoll(WSAPOLLFD *fdArray, ULONG fds, INT timeout);

WSAEVENT WSACreateEvent(void);
BOOL WSACloseEvent(WSAEVENT hEvent);
BOOL WSAResetEvent(WSAEVENT hEvent);
BOOL WSASetEvent(WSAEVENT hEvent);
int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents);
DWORD WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll, DWORD dwTimeout, BOOL fAlertable);
int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS *lpNetworkEvents);

struct hostent *gethostbyname(const char *name);
struct hostent *gethostbyaddr(const void *addr, int len, int type);

static const SOCKET csock_accept_refused;
static const int csock_refused;
SOCKET csock_accept(SOCKET s, struct sockaddr *addr, int capacity, int *addrlen);
int csock_getsockname(SOCKET s, struct sockaddr *name, int capacity, int *namelen);
int csock_getpeername(SOCKET s, struct sockaddr *name, int capacity, int *namelen);
int csock_recvfrom(SOCKET s, void *buf, int len, int flags, struct sockaddr *from, int capacity, int *fromlen);
int csock_getsockopt(SOCKET s, int level, int optname, void *optval, int capacity, int *optlen);
"""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
void FD_ZERO(fd_set *set);
void FD_SET(SOCKET fd, fd_set *set);
void FD_CLR(SOCKET fd, fd_set *set);
int FD_ISSET(SOCKET fd, fd_set *set);
u_short htons(u_short hostshort);
u_long htonl(u_long hostlong);
u_short ntohs(u_short netshort);
u_long ntohl(u_long netlong);
unsigned long inet_addr(const char *cp);
char *inet_ntoa(struct in_addr in);
"""

# The value-result lengths (*addrlen, *namelen, *fromlen, *optlen) go through a private variable, as in CPython's
# socketmodule.c: read once, refused (csock_refused / csock_accept_refused, no call) when larger than `capacity`, the
# bytes csock knows lie behind the buffer; Winsock gets the private copy, which is copied back after a success, so a
# thread that raises the length while the call blocks cannot make Winsock write past the buffer. A NULL buffer or
# length pointer is passed on unchanged, as C passes it.
CUSTOMIZATIONS = """
static const SOCKET csock_accept_refused = INVALID_SOCKET - 1;
static const int csock_refused = -2;

#define CSOCK_VALUE_RESULT(call_with_private_length, buf, lenp, capacity, failed, refused) \\
    int length;                                                                        \\
    if ((buf) == NULL || (lenp) == NULL)                                               \\
        return call_with_private_length(lenp);                                         \\
    length = *(lenp);                                                                  \\
    if (length > (capacity))                                                           \\
        return (refused);                                                              \\
    result = call_with_private_length(&length);                                        \\
    if (result != (failed))                                                            \\
        *(lenp) = length;                                                              \\
    return result;

static SOCKET csock_accept(SOCKET s, struct sockaddr *addr, int capacity, int *addrlen) {
    SOCKET result;
#define CALL(lenp) accept(s, addr, lenp)
    CSOCK_VALUE_RESULT(CALL, addr, addrlen, capacity, INVALID_SOCKET, csock_accept_refused)
#undef CALL
}

static int csock_getsockname(SOCKET s, struct sockaddr *name, int capacity, int *namelen) {
    int result;
#define CALL(lenp) getsockname(s, name, lenp)
    CSOCK_VALUE_RESULT(CALL, name, namelen, capacity, SOCKET_ERROR, csock_refused)
#undef CALL
}

static int csock_getpeername(SOCKET s, struct sockaddr *name, int capacity, int *namelen) {
    int result;
#define CALL(lenp) getpeername(s, name, lenp)
    CSOCK_VALUE_RESULT(CALL, name, namelen, capacity, SOCKET_ERROR, csock_refused)
#undef CALL
}

static int csock_recvfrom(SOCKET s, void *buf, int len, int flags, struct sockaddr *from, int capacity, int *fromlen) {
    int result;
#define CALL(lenp) recvfrom(s, (char *)buf, len, flags, from, lenp)
    CSOCK_VALUE_RESULT(CALL, from, fromlen, capacity, SOCKET_ERROR, csock_refused)
#undef CALL
}

static int csock_getsockopt(SOCKET s, int level, int optname, void *optval, int capacity, int *optlen) {
    int result;
#define CALL(lenp) getsockopt(s, level, optname, (char *)optval, lenp)
    CSOCK_VALUE_RESULT(CALL, optval, optlen, capacity, SOCKET_ERROR, csock_refused)
#undef CALL
}
"""

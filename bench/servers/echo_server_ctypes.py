"""The book's echo server (csrc/Linux/echo_server.c) on ctypes calling libc: the same calls in the same order."""
import ctypes
import sys

MAXBUF = 1024
AF_INET, SOCK_STREAM, IPPROTO_TCP, INADDR_ANY = 2, 1, 6, 0  # Linux values


class in_addr(ctypes.Structure):
    _fields_ = [("s_addr", ctypes.c_uint32)]


class sockaddr_in(ctypes.Structure):
    _fields_ = [("sin_family", ctypes.c_ushort), ("sin_port", ctypes.c_uint16),
                ("sin_addr", in_addr), ("sin_zero", ctypes.c_char * 8)]


libc = ctypes.CDLL(None, use_errno=True)
# Declared as a ctypes user must, so that size_t / ssize_t / pointers are passed and returned whole.
libc.socket.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
libc.bind.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32]
libc.listen.argtypes = [ctypes.c_int, ctypes.c_int]
libc.accept.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
libc.inet_ntoa.argtypes = [in_addr]
libc.inet_ntoa.restype = ctypes.c_char_p
libc.printf.argtypes = [ctypes.c_char_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
libc.memset.restype = ctypes.c_void_p
libc.read.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
libc.read.restype = ctypes.c_ssize_t
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
libc.write.restype = ctypes.c_ssize_t
libc.close.argtypes = [ctypes.c_int]
libc.htonl.argtypes = [ctypes.c_uint32]
libc.htonl.restype = ctypes.c_uint32
libc.htons.argtypes = [ctypes.c_uint16]
libc.htons.restype = ctypes.c_uint16
libc.atoi.argtypes = [ctypes.c_char_p]
libc.perror.argtypes = [ctypes.c_char_p]


def main(argv):
    buf = ctypes.create_string_buffer(MAXBUF)
    clientaddr, serveraddr = sockaddr_in(), sockaddr_in()
    client_len = ctypes.c_uint32(ctypes.sizeof(clientaddr))
    server_sockfd = libc.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
    if server_sockfd == -1:
        libc.perror(b"socket error : ")
        sys.exit(0)
    libc.memset(ctypes.byref(serveraddr), 0x00, ctypes.sizeof(serveraddr))
    serveraddr.sin_family = AF_INET
    serveraddr.sin_addr.s_addr = libc.htonl(INADDR_ANY)
    serveraddr.sin_port = libc.htons(libc.atoi(argv[1].encode()))

    libc.bind(server_sockfd, ctypes.byref(serveraddr), ctypes.sizeof(serveraddr))
    libc.listen(server_sockfd, 5)
    while True:
        client_sockfd = libc.accept(server_sockfd, ctypes.byref(clientaddr), ctypes.byref(client_len))
        libc.printf(b"New Client Connect: %s\n", libc.inet_ntoa(clientaddr.sin_addr))
        libc.memset(buf, 0x00, MAXBUF)
        n = libc.read(client_sockfd, buf, MAXBUF)
        if n <= 0:
            libc.close(client_sockfd)
            continue
        if libc.write(client_sockfd, buf, MAXBUF) <= 0:
            libc.perror(b"write error : ")
            libc.close(client_sockfd)
        libc.close(client_sockfd)
    libc.close(server_sockfd)


if __name__ == "__main__":
    main(sys.argv)

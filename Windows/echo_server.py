from csock import *  # #include <winsock2.h>: the C names, as the header brings them in
import sys  # #include <stdio.h>: unused by the C program; sys carries main's return value out
MAX_PACKETLEN = 1024
def main():
    # {
    wsaData = ffi.new("WSADATA *")
    listen_s = client_s = INVALID_SOCKET  # SOCKET listen_s, client_s;  (uninitialised in C)
    nPort = 3500
    server_addr, client_addr = ffi.new("struct sockaddr_in *"), ffi.new("struct sockaddr_in *")
    szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
    readn = writen = 0  # int readn, writen;  (uninitialised in C)
    if WSAStartup(MAKEWORD(2, 2), wsaData) != 0:
        return 1
    listen_s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
    if listen_s == INVALID_SOCKET:
        return 1
    ZeroMemory(server_addr, ffi.sizeof("struct sockaddr_in"))
    server_addr.sin_family = PF_INET
    server_addr.sin_port = htons(nPort)
    server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY)
    if (bind(listen_s, server_addr, ffi.sizeof("struct sockaddr_in")) ==
            SOCKET_ERROR):
        return 0
    if listen(listen_s, 5) == SOCKET_ERROR:
        return 0
    ZeroMemory(client_addr, ffi.sizeof("struct sockaddr_in"))
    nAcceptClientInfo = ffi.new("int *", ffi.sizeof("struct sockaddr_in"))
    client_s = accept(listen_s, client_addr, nAcceptClientInfo)
    nReceiveBytes = 0
    while 1:
        # {
        readn = recv(client_s, szReceiveBuffer, MAX_PACKETLEN, 0)
        if nReceiveBytes > 0:
            writen = send(client_s, szReceiveBuffer, nReceiveBytes, 0)
        closesocket(client_s)
    # }
    closesocket(listen_s)
    WSACleanup()
    return 0
# }
if __name__ == "__main__":
    sys.exit(main())

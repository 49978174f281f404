from csock import WSAStartup, WSACleanup, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, htons, htonl, ZeroMemory, AF_INET, PF_INET, SOCK_STREAM, IPPROTO_TCP, INADDR_ANY, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
# <stdio.h>: nothing of it is used
MAX_PACKETLEN = 1024
def main():

  wsaData = ffi.new("WSADATA *")
  listen_s = client_s = INVALID_SOCKET  # uninitialised in C
  nPort = 3500
  server_addr = ffi.new("struct sockaddr_in *"); client_addr = ffi.new("struct sockaddr_in *")
  szReceiveBuffer = ffi.new("char[]", MAX_PACKETLEN)
  readn = writen = 0  # uninitialised in C
  if( WSAStartup(MAKEWORD(2,2), wsaData) != 0 ):
        return 1
  listen_s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
  if(listen_s == INVALID_SOCKET):
        return 1
  ZeroMemory(server_addr, ffi.sizeof("struct sockaddr_in"))
  server_addr.sin_family = PF_INET
  server_addr.sin_port = htons(nPort)
  server_addr.sin_addr.S_un.S_addr = htonl(INADDR_ANY)
  if( bind(listen_s, ffi.cast("struct sockaddr*", server_addr), ffi.sizeof("struct sockaddr_in") ) ==
      SOCKET_ERROR):
       return 0
  if( listen(listen_s, 5) == SOCKET_ERROR):
      return 0
  ZeroMemory(client_addr, ffi.sizeof("struct sockaddr_in"))
  nAcceptClientInfo = ffi.new("int *", ffi.sizeof("struct sockaddr_in"))
  client_s = accept(listen_s, ffi.cast("struct sockaddr*", client_addr), nAcceptClientInfo)
  nReceiveBytes = 0
  while(1):

       readn = recv(client_s, szReceiveBuffer, MAX_PACKETLEN,0)
       if( nReceiveBytes > 0 ):
               writen = send(client_s, szReceiveBuffer, nReceiveBytes, 0)
       closesocket(client_s)

  closesocket(listen_s)
  WSACleanup()
  return 0

if __name__ == "__main__":
    import sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main())
    except (ValueError, OverflowError) as refused:  # csock refused a call C makes with undefined behaviour (ERRATA.md)
        sys.exit(f"echo_server.py: {refused}")

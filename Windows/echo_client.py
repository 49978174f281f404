from csock import WSAStartup, WSACleanup, MAKEWORD, socket, connect, send, recv, closesocket, htons, inet_addr, AF_INET, SOCK_STREAM, IPPROTO_TCP, INVALID_SOCKET, SOCKET_ERROR, ffi  # <winsock2.h>; ffi makes the C variables
from csock import printf, getchar; import itertools  # <stdio.h>; itertools.count is C's for(i=0; 1; i++)
PORT = 3600
IP = b"127.0.0.1"
def main():

  WSAData = ffi.new("WSADATA *")
  addr = ffi.new("SOCKADDR_IN *")
  s = INVALID_SOCKET  # uninitialised in C
  buffer = ffi.new("char[]", 1024)
  readbytes = i = len = 0  # uninitialised in C
  if (WSAStartup(MAKEWORD(2,0), WSAData) != 0):
        return 1
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
  if (s == INVALID_SOCKET):
        return 1

  addr.sin_family = AF_INET
  addr.sin_port = htons(PORT)
  addr.sin_addr.S_un.S_addr = inet_addr(IP)
  if ( connect(s,ffi.cast("struct sockaddr *", addr), ffi.sizeof(addr[0])) == SOCKET_ERROR):
       printf(b"fail to connect\n")
       closesocket(s)
       return 1

  printf(b"enter messages\n")
  for i in itertools.count(0):
       buffer[i] = ffi.cast("char", getchar())  # C converts getchar's int to char the same way
       if (buffer[i] == b"\n"):
                 buffer[i] = b"\0"; i += 1  # buffer[i++] = '\0';
                 break


  len = i
  printf(b"send messages (%d bytes)\n", len)
  send(s, buffer, len, 0)
  while readbytes<len:  # for(readbytes=0; ...): readbytes is still 0 from its declaration line
       readbytes += recv(s, buffer[readbytes:1024], len-readbytes, 0)  # buffer+readbytes: the rest of buffer[1024]
  printf(b"recv messages = %s\n", buffer)
  closesocket(s)
  WSACleanup()
  return 0

if __name__ == "__main__":
    import sys
    from csock.startup import restore_c_signals
    restore_c_signals()  # C's signal dispositions, as far as Python's startup left them knowable
    try:
        sys.exit(main())
    except (IndexError, ValueError, OverflowError) as refused:  # cffi or csock refused what C does undefined (ERRATA W8)
        sys.exit(f"echo_client.py: {refused}")

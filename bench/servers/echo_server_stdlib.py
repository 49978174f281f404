"""The book's echo server (csrc/Linux/echo_server.c) on Python's own `socket` module: the same calls in the same order."""
import socket
import sys

MAXBUF = 1024


def main(argv):
    try:
        server_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except OSError as e:
        print("socket error : ", e, file=sys.stderr)
        sys.exit(0)
    buf = bytearray(MAXBUF)
    zeros = bytes(MAXBUF)
    server_sock.bind(("", int(argv[1])))  # INADDR_ANY, htons(atoi(argv[1]))
    server_sock.listen(5)
    while True:
        client_sock, clientaddr = server_sock.accept()
        print("New Client Connect: %s" % clientaddr[0])  # accept already ran inet_ntoa
        buf[:] = zeros  # memset(buf, 0x00, MAXBUF)
        try:
            n = client_sock.recv_into(buf, MAXBUF)
        except OSError:
            n = -1
        if n <= 0:
            client_sock.close()
            continue
        try:
            if client_sock.send(buf) <= 0:
                client_sock.close()
        except OSError as e:
            print("write error : ", e, file=sys.stderr)
            client_sock.close()
        client_sock.close()
    server_sock.close()


if __name__ == "__main__":
    main(sys.argv)

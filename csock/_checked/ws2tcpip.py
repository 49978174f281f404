"""<ws2tcpip.h>: the calls Winsock declares there, checked by the same functions as on POSIX."""
from .arpa_inet import inet_ntop, inet_pton  # noqa: F401
from .netdb import freeaddrinfo, gai_strerror, getaddrinfo, getnameinfo  # noqa: F401

INCLUDES = """
#include <sys/select.h>
#include <sys/time.h>
"""

TYPES = """
typedef int... time_t;
typedef int... suseconds_t;

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
    ...;
};
typedef struct {
    ...;
} fd_set;

#define FD_SETSIZE ...
"""

# FD_* are macros; in API mode cffi calls them as if they were functions.
FUNCTIONS = """
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
"""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
void FD_ZERO(fd_set *set);
void FD_SET(int fd, fd_set *set);
void FD_CLR(int fd, fd_set *set);
int FD_ISSET(int fd, fd_set *set);
"""

CUSTOMIZATIONS = ""

INCLUDES = """
#include <sys/types.h>
#include <sys/wait.h>
"""

TYPES = """
#define WNOHANG ...
#define WUNTRACED ...
"""

# W* status macros: in API mode cffi calls them as if they were functions.
FUNCTIONS = """
pid_t waitpid(pid_t pid, int *wstatus, int options);
"""

# Calls that never block: made holding the GIL (see csrc/build.py).
NONBLOCKING_FUNCTIONS = """
int WIFEXITED(int wstatus);
int WEXITSTATUS(int wstatus);
int WIFSIGNALED(int wstatus);
int WTERMSIG(int wstatus);
"""

CUSTOMIZATIONS = ""

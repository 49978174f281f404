INCLUDES = """
#include <signal.h>
"""

# The C runtime's signal(); Windows has no name for the handler type, so cffi's declaration gives it one.
TYPES = """
typedef void (*sighandler_t)(int);

static const sighandler_t SIG_DFL;
static const sighandler_t SIG_IGN;
static const sighandler_t SIG_ERR;

#define SIGINT ...
#define SIGILL ...
#define SIGFPE ...
#define SIGSEGV ...
#define SIGTERM ...
#define SIGBREAK ...
#define SIGABRT ...
"""

FUNCTIONS = """
sighandler_t signal(int signum, sighandler_t handler);
"""

CUSTOMIZATIONS = ""

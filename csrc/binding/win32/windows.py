INCLUDES = """
#include <windows.h>
"""

TYPES = """
typedef int... BYTE;
typedef int... WORD;
typedef int... DWORD;
typedef int... USHORT;
typedef int... ULONG;
typedef int... INT;
typedef int... UINT_PTR;
"""

# MAKEWORD, LOBYTE, HIBYTE and ZeroMemory are macros; in API mode cffi calls them as if they were functions.
FUNCTIONS = """
WORD MAKEWORD(BYTE bLow, BYTE bHigh);
BYTE LOBYTE(WORD w);
BYTE HIBYTE(WORD w);
void ZeroMemory(void *Destination, size_t Length);
"""

CUSTOMIZATIONS = ""

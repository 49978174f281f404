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
typedef int... BOOL;
typedef int... UINT_PTR;

#define FALSE ...
#define TRUE ...
#define FORMAT_MESSAGE_FROM_SYSTEM ...
#define FORMAT_MESSAGE_IGNORE_INSERTS ...
"""

# MAKEWORD, LOBYTE, HIBYTE and ZeroMemory are macros; in API mode cffi calls them as if they were functions.
FUNCTIONS = """
WORD MAKEWORD(BYTE bLow, BYTE bHigh);
BYTE LOBYTE(WORD w);
BYTE HIBYTE(WORD w);
void ZeroMemory(void *Destination, size_t Length);
void Sleep(DWORD dwMilliseconds);
"""

# The system's text of a Windows error code (WSAE* included), what Winsock programs print; Arguments is a
# va_list * that csock never passes (IGNORE_INSERTS), so it is declared as the void * it converts from.
FUNCTIONS += """
DWORD FormatMessageW(DWORD dwFlags, const void *lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                     wchar_t *lpBuffer, DWORD nSize, void *Arguments);
"""

CUSTOMIZATIONS = ""

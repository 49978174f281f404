# Run by tests/windows/run inside `unshare -rn`: loopback only, so ports 3500/3600 are private to this run.
set -uo pipefail
ip link set lo up
# Started here, the prefix's wineserver (which creates every wine socket) lives in this namespace; -p keeps it
# up between test processes, and it refuses to start if a server of this prefix runs anywhere else.
"$WINESERVER" -p || { echo "tests/windows/run: a wineserver of $WINEPREFIX is already running" >&2; exit 1; }
trap '"$WINESERVER" -k 2>/dev/null; "$WINESERVER" -w' EXIT
# Boot the prefix's services now, on /dev/null: started by a test run they would hold its output pipe open.
timeout 300 "$WINE" wineboot </dev/null >/dev/null 2>&1

WINDOWS_ROOT='Z:'"${PWD//\//\\}"
# csock is the wheel tests/windows/run installed into the Windows interpreter: no PYTHONPATH, and PYTHONSAFEPATH
# (-P for every child interpreter too) so that `python -c` run here does not import this checkout's csock/ instead.
export CSOCK_PRIVATE_NETNS=1 PYTHONSAFEPATH=1
# Wine writes a program's +winsock trace to the Unix stderr it inherited, not to the program's stderr handle:
# every trace lands in this log, tagged with the Windows pid (+pid), where csock_compare/winsock.py reads it.
TRACE_LOG=build/windows/winsock-trace.log
: > "$TRACE_LOG"
export CSOCK_WINSOCK_TRACE="$WINDOWS_ROOT"'\build\windows\winsock-trace.log'
# The layout test compares csock with a C compiler and wine has none: this interpreter writes the program,
# mingw-w64 builds it here, the test checks the source is still what it writes and runs the .exe.
LAYOUT=build/windows/layout
mkdir -p "$LAYOUT"
timeout 300 "$WINE" build/windows/cp313/python.exe -P -c "import sys; sys.path.insert(0, 'tests')
from test_binding_layout import layout_source
open(r'$LAYOUT/layout.c', 'w', encoding='utf-8', newline='\n').write(layout_source())" </dev/null 2>&1 | cat || exit 1
x86_64-w64-mingw32-gcc -o "$LAYOUT/layout.exe" "$LAYOUT/layout.c" || exit 1
export CSOCK_LAYOUT_PROGRAM="$WINDOWS_ROOT"'\build\windows\layout\layout.exe'
# wine's python.exe cannot open a file as its standard stream: pipe through cat.
timeout 1200 "$WINE" build/windows/cp313/python.exe -P -m pytest -p no:cacheprovider \
    tests/windows tests/test_binding_*.py "$@" </dev/null 2> >(tee -a "$TRACE_LOG" | grep --line-buffered -v ':trace:winsock:' >&2) | cat
windows_status=${PIPESTATUS[0]}

exit "$windows_status"

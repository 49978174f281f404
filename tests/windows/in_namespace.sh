# Run by tests/windows/run inside `unshare -n`: loopback only, so ports 3500/3600 are private to this run.
set -uo pipefail
ip link set lo up
# Started here, the prefix's wineserver (which creates every wine socket) lives in this namespace; -p keeps it
# up between test processes, and it refuses to start if a server of this prefix runs anywhere else.
"$WINESERVER" -p || { echo "tests/windows/run: a wineserver of $WINEPREFIX is already running" >&2; exit 1; }
trap '"$WINESERVER" -k 2>/dev/null; "$WINESERVER" -w' EXIT
# Boot the prefix's services now, on /dev/null: started by a test run they would hold its output pipe open.
timeout 300 "$WINE" wineboot </dev/null >/dev/null 2>&1

WINDOWS_ROOT='Z:'"${PWD//\//\\}"
export CSOCK_PRIVATE_NETNS=1 PYTHONPATH="$WINDOWS_ROOT"
# Wine writes a program's +winsock trace to the Unix stderr it inherited, not to the program's stderr handle:
# every trace lands in this log, tagged with the Windows pid (+pid), where tests/windows/winruns.py reads it.
TRACE_LOG=build/windows/winsock-trace.log
: > "$TRACE_LOG"
export CSOCK_WINSOCK_TRACE="$WINDOWS_ROOT"'\build\windows\winsock-trace.log'
# wine's python.exe cannot open a file as its standard stream: pipe through cat.
timeout 1200 "$WINE" build/windows/cp313/python.exe -P -m pytest -p no:cacheprovider \
    tests/windows tests/test_line_rule.py tests/test_binding_*.py "$@" </dev/null 2> >(tee -a "$TRACE_LOG" | grep --line-buffered -v ':trace:winsock:' >&2) | cat
windows_status=${PIPESTATUS[0]}

exit "$windows_status"

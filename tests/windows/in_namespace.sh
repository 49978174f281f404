# Run by tests/windows/run inside `unshare -n`: loopback only, so ports 3500/3600 are private to this run.
set -uo pipefail
ip link set lo up
# Started here, the prefix's wineserver (which creates every wine socket) lives in this namespace; -p keeps it
# up between test processes, and it refuses to start if a server of this prefix runs anywhere else.
"$WINESERVER" -p || { echo "tests/windows/run: a wineserver of $WINEPREFIX is already running" >&2; exit 1; }
trap '"$WINESERVER" -k 2>/dev/null' EXIT
# Boot the prefix's services now, on /dev/null: started by a test run they would hold its output pipe open.
timeout 300 "$WINE" wineboot </dev/null >/dev/null 2>&1

export CSOCK_PRIVATE_NETNS=1 PYTHONPATH='Z:'"${PWD//\//\\}"'\build\windows\site'
# wine's python.exe cannot open a file as its standard stream: pipe through cat.
timeout 1200 "$WINE" build/windows/cp313/python.exe -P -m pytest -p no:cacheprovider \
    tests/windows "$@" </dev/null 2>&1 | cat
windows_status=${PIPESTATUS[0]}

echo "tests/windows/run: cross-OS runs (native Linux echo server, Windows clients under wine)"
env -u PYTHONPATH CSOCK_WINDOWS_LEG=1 timeout 600 python3 -m pytest -p no:cacheprovider tests/windows/test_cross_os.py </dev/null
cross_status=$?

[ "$windows_status" = 0 ] && exit "$cross_status"
exit "$windows_status"

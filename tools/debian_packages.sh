# Sourced by setup.sh and tests/windows/run. `need_debian_packages WHO PACKAGE...` returns at once when every package
# is installed; otherwise installs the missing ones with apt-get (as root, or through `sudo -n` when that works) or
# prints the exact apt-get line to run as root and exits.

need_debian_packages() {
    local who=$1 pkg
    shift
    local installed missing=()
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)
    for pkg in "$@"; do
        grep -qx "$pkg ii *" <<<"$installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local as_root=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            echo "$who: missing Debian packages: ${missing[*]}" >&2
            echo "$who: run this as root, then run this command again:" >&2
            echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
            exit 1
        fi
    fi
    echo "$who: installing Debian packages with apt-get (up to a minute): ${missing[*]}"
    local log
    log=$(mktemp)
    # apt's chatter (and debconf's on a minimal system) goes to the log, shown only if apt fails.
    if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -o DPkg::Lock::Timeout=600 &&
           "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
               -o DPkg::Lock::Timeout=600 "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "$who: apt-get failed (above)" >&2
        exit 1
    fi
    rm -f "$log"
}

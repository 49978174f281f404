#!/usr/bin/env bash
# Before a release, as root, not in CI (it downloads about 300 MB per suite): for each Debian suite, builds a fresh
# minimal root with debootstrap in a temp dir, puts clean clones of this repository's HEAD in it, runs README's two
# commands there as root and the main job as an ordinary user, prints what passed, and deletes the root.
# The commands run in bwrap, not chroot: a chroot refuses the user namespaces that `unshare -rn` makes.
# README's commands are read from README itself (tools/readme_commands.sh): what is checked is what a user types.
# Usage: bash tools/fresh_machine_check.sh [--no-windows] [--no-pypy] [SUITE...]   (default suites: bookworm trixie)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
MIRROR=http://deb.debian.org/debian
USER_ID=4242  # the ordinary user, same number inside the root and outside (bwrap runs as it)

MAIN_JOB=$(bash "$REPO/tools/readme_commands.sh" main)
TESTS=$(bash "$REPO/tools/readme_commands.sh" tests)
while [ "${1:-}" = --no-windows ] || [ "${1:-}" = --no-pypy ]; do  # a shorter check leaves a leg out of the tests
    [ "$1" = --no-windows ] && TESTS=${TESTS/ && bash tests\/windows\/run/}
    [ "$1" = --no-pypy ] && TESTS=${TESTS/ && bash tests\/pypy\/run/}
    shift
done
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(bookworm trixie)
[ "$(id -u)" = 0 ] || { echo "fresh_machine_check: run as root (debootstrap)" >&2; exit 1; }
for tool in debootstrap bwrap setpriv git; do
    command -v "$tool" >/dev/null || { echo "fresh_machine_check: needs $tool (apt-get install debootstrap bubblewrap)" >&2; exit 1; }
done

HEAD_CHECKED=$(git -C "$REPO" rev-parse --short HEAD)  # what the roots clone, whatever HEAD is when this ends
results=()
say() { echo "fresh_machine_check: $*"; }

# in_root ROOT HOME_DIR COMMAND: runs COMMAND by bash in HOME_DIR/csock, with a clean environment, CI=true so a
# missing tool fails the tests instead of skipping them. As root with every capability (apt needs them).
in_root() {
    bwrap --bind "$1" / --proc /proc --dev /dev --tmpfs /tmp --ro-bind /sys /sys --unshare-pid --die-with-parent \
        --cap-add ALL --chdir "$2/csock" \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$2" LANG=C.UTF-8 CI=true \
        bash -c "$3" </dev/null
}

# as_user ROOT COMMAND: the same as the ordinary user; bwrap runs unprivileged (setpriv), as a user would.
as_user() {
    setpriv --reuid="$USER_ID" --regid="$USER_ID" --clear-groups \
        bwrap --bind "$1" / --proc /proc --dev /dev --tmpfs /tmp --ro-bind /sys /sys --unshare-pid --die-with-parent \
        --chdir /home/csockuser/csock \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/csockuser LANG=C.UTF-8 CI=true bash -c "$2" </dev/null
}

# step SUITE WHAT COMMAND...: runs it, records pass/fail and seconds.
step() {
    local suite=$1 what=$2 start=$SECONDS status
    shift 2
    say "$suite: $what"
    "$@"
    status=$?
    results+=("$(printf '%-9s %-58s %-4s %4d s' "$suite" "$what" "$([ $status = 0 ] && echo pass || echo FAIL)" $((SECONDS - start)))")
    return $status
}

check_suite() {
    local suite=$1 root
    root=$(mktemp -d "/var/tmp/csock-fresh-$suite.XXXXXX")
    chmod 755 "$root"  # the ordinary user must reach its home in it
    step "$suite" "debootstrap --variant=minbase (a few minutes)" \
        bash -c "debootstrap --variant=minbase --include=python3,ca-certificates,passwd '$suite' '$root' '$MIRROR' \
                 >'$root.debootstrap.log' 2>&1 || { tail -20 '$root.debootstrap.log'; exit 1; }" || { rm -rf --one-file-system "$root"; return; }
    rm -f "$root.debootstrap.log"
    # This network intercepts TLS: the root trusts what the host trusts.
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null
    chroot "$root" update-ca-certificates >/dev/null 2>&1
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # debootstrap writes no /etc/hosts (an installer or a container runtime does): a machine knows localhost.
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
    chroot "$root" useradd -m -u "$USER_ID" -s /bin/bash csockuser
    for home in "$root/root" "$root/home/csockuser"; do
        git clone -q "$REPO" "$home/csock" && git -C "$home/csock" checkout -q "$HEAD_CHECKED"
        # CI has the shared documents beside the clone; the Windows leg reads the book's originals there.
        [ -d "$REPO/../shared" ] && cp -r "$REPO/../shared" "$home/shared"
    done
    chown -R "$USER_ID:$USER_ID" "$root/home/csockuser"

    step "$suite" "root: $MAIN_JOB" in_root "$root" /root "$MAIN_JOB"
    step "$suite" "root: $TESTS" in_root "$root" /root "$TESTS"
    step "$suite" "user: $MAIN_JOB" as_user "$root" "$MAIN_JOB"
    step "$suite" "user: again (idempotent, seconds): bash setup.sh" as_user "$root" "bash setup.sh"
    rm -rf --one-file-system "$root"
}

for suite in "${suites[@]}"; do
    check_suite "$suite"
done
echo
echo "fresh_machine_check: HEAD $HEAD_CHECKED, ended $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q ' FAIL '

#!/usr/bin/env bash
# Installs what csock needs on Debian 12/13: the Debian packages (apt-get, as root or through `sudo -n`), then the
# project's own virtual environment .venv with csock (built in place) and its test tools. Nothing goes into the
# system interpreter. A second run only checks, in a second or two.
set -euo pipefail
cd "$(dirname "$0")"
source tools/debian_packages.sh

# python3-venv and python3-dev: a venv and Python.h for Debian's python3 (cffi API mode compiles C against it).
need_debian_packages setup.sh python3 python3-venv python3-dev gcc libc6-dev make strace valgrind iproute2 \
    util-linux coreutils

PYTHON=${PYTHON:-python3}
VENV=.venv
if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    echo "setup.sh: creating the virtual environment $VENV with $(command -v "$PYTHON")"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import os, sysconfig; os.stat(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null
then
    echo "setup.sh: $VENV/bin/python has no Python.h (Debian: apt-get install python3-dev)" >&2
    exit 1
fi

# Reinstall only when what the build reads has changed, or csock does not import.
inputs=$(cat setup.py pyproject.toml csrc/build.py $(find csrc/binding -name '*.py' | sort) | sha256sum)
stamp="$VENV/csock-installed.sha256"
if [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ] || ! "$VENV/bin/python" -c 'import csock' 2>/dev/null; then
    echo "setup.sh: installing csock and its test tools into $VENV (pip; builds the cffi extensions, about a minute)"
    rm -f "$stamp"
    # compat: an editable install that mypy sees through (csock/__init__.pyi), with the extensions built in csock/.
    PIP_ROOT_USER_ACTION=ignore "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        --config-settings editable_mode=compat -e '.[test]'
    echo "$inputs" > "$stamp"
fi

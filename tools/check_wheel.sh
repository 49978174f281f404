#!/usr/bin/env bash
# Before a release (not in CI): `python -m build` in a clean venv makes the sdist of HEAD and, from that sdist, the
# wheel; the wheel must be tagged cp39-abi3 and hold the binding and nothing else; installed in another clean venv,
# away from any checkout, it must pass the binding tests. Usage: bash tools/check_wheel.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
say() { echo "check_wheel: $*"; }
quietly() {  # runs a command with its output in a log that is shown only if it fails
    "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; say "failed: $*" >&2; exit 1; }
}

mkdir "$work/src"
git archive --format=tar HEAD | tar -x -C "$work/src"
say "building the sdist, then the wheel from it (python -m build in a clean venv, about a minute)"
quietly "$PYTHON" -m venv "$work/build-venv"
quietly "$work/build-venv/bin/pip" install build
quietly "$work/build-venv/bin/python" -m build --outdir "$work/dist" "$work/src"
sdist=$(echo "$work"/dist/csock-*.tar.gz)
wheel=$(echo "$work"/dist/csock-*.whl)
say "built $(basename "$sdist") and $(basename "$wheel")"
case $(basename "$wheel") in
    csock-*-cp39-abi3-linux_*.whl) ;;
    *) say "the wheel is not tagged cp39-abi3" >&2; exit 1 ;;
esac

"$work/build-venv/bin/python" - "$wheel" "$work/src/csock" <<'PY'
import os, sys, zipfile
wheel, tree = sys.argv[1], sys.argv[2]
names = {n for n in zipfile.ZipFile(wheel).namelist() if not n.startswith("csock-")}
tools = {f"csock/{m}.py" for m in ("compare", "echo_runs", "faults", "line_rule")}
binding = {f"csock/{n}" for n in os.listdir(tree) if n.endswith(".py")} - tools
expected = binding | {"csock/__init__.pyi", "csock/py.typed", "csock/_csock.abi3.so", "csock/_csock_nonblocking.abi3.so"}
if names != expected:
    sys.exit(f"check_wheel: the wheel holds {sorted(names - expected)} too much, {sorted(expected - names)} too little")
PY

say "installing the wheel in a clean venv and running the binding tests there (about a minute)"
quietly "$PYTHON" -m venv "$work/test-venv"
quietly "$work/test-venv/bin/pip" install "$wheel[test]"
mkdir "$work/run"
cp -r "$work/src/tests" "$work/run/"
cd "$work/run"
"$work/test-venv/bin/python" -c "
import csock, sys
sys.exit(None if csock.__file__.startswith('$work/test-venv/') else f'csock imported from {csock.__file__}')"
# mypy must see the stub the wheel ships: without it htons() would be untyped and this line would pass.
printf 'import csock\nport: str = csock.htons(3600)\n' > stub_seen.py
if "$work/test-venv/bin/python" -m mypy stub_seen.py >"$work/log" 2>&1 || ! grep -q 'Incompatible types' "$work/log"; then
    cat "$work/log" >&2; say "mypy does not see csock/__init__.pyi in the installed wheel" >&2; exit 1
fi
# test_binding_stub.py checks the checkout's stub against csrc/: a test of the tree, not of the wheel.
binding_tests=()
for test in tests/test_binding_*.py; do
    [ "$test" = tests/test_binding_stub.py ] || binding_tests+=("$test")
done
"$work/test-venv/bin/python" -m pytest -q -p no:cacheprovider "${binding_tests[@]}"
say "ok: $(basename "$wheel") from $(basename "$sdist") passes the binding tests"

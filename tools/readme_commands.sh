#!/usr/bin/env bash
# Prints README's two commands (the first ```sh block: the main job, then the tests), comments dropped, one a line,
# so the release check runs them exactly as written. Usage: bash tools/readme_commands.sh [main|tests]
set -euo pipefail
readme="$(dirname "$0")/../README.md"
commands=$(awk '/^```sh$/ { block++; next } block == 1 && /^```/ { exit } block == 1' "$readme" | sed 's/ *#.*$//')
case "${1:-}" in
    main) sed -n 1p <<<"$commands" ;;
    tests) sed -n 2p <<<"$commands" ;;
    *) echo "$commands" ;;
esac

#!/usr/bin/env bash
# Runs every test: the web dashboard's front-end unit tests (vitest; their output only when one fails), then the
# solution's (set-up first; idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

export CONFIGURATION="${CONFIGURATION:-Release}"
scripts/setup.sh
if ! front_end=$(cd src/WebUi/web && npm test --silent 2>&1); then
    printf '%s\n' "$front_end" >&2
    echo "error: the web dashboard's unit tests failed (src/WebUi/web: npm test)" >&2
    exit 1
fi
dotnet test SweepRunner.sln -c "$CONFIGURATION" --no-build -nologo "$@"

#!/usr/bin/env bash
# Runs every test of the solution (set-up first; idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

export CONFIGURATION="${CONFIGURATION:-Release}"
scripts/setup.sh
dotnet test SweepRunner.sln -c "$CONFIGURATION" --no-build -nologo "$@"

#!/usr/bin/env bash
# Dashboard benchmark: the sweep page on a sweep of 10,000 finished trials, a PostgreSQL server and a coordinator it
# starts and stops itself, timed in headless chromium (docs/benchmarks.md, "Dashboard"). Appends a dated section there.
# Usage: bench/ui.sh [--trials N] [--epochs E] [--runs R] [--seeders S]
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
SWEEP_COMMIT="$(git rev-parse --short HEAD)" exec dotnet bench/UiBench/bin/Release/net10.0/linux-x64/ui-bench.dll --record docs/benchmarks.md "$@"

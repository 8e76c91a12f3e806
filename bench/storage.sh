#!/usr/bin/env bash
# Sweep-store benchmark: lease+complete throughput and status latency on PostgreSQL (a server it starts and stops
# itself) and on SQLite (docs/benchmarks.md, "Storage").
# Usage: bench/storage.sh [--workers W] [--trials N] [--runs R] [--status-trials N] [--samples S] [--only postgres|sqlite]
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
exec dotnet bench/StorageBench/bin/Release/net10.0/linux-x64/storage-bench.dll "$@"

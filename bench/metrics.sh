#!/usr/bin/env bash
# Metrics benchmark: the memory the coordinator's per-trial series limit sets aside, and the time and size of a
# /metrics scrape with N trials reported, each case in a fresh process (docs/benchmarks.md, "Metrics").
# Usage: bench/metrics.sh [--dims D] [--scrapes S]; the cases are fixed below.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
bench=bench/MetricsBench/bin/Release/net10.0/linux-x64/metrics-bench.dll
for limit in 1000 10000 100000; do
    dotnet "$bench" --trials 0 --limit "$limit" "$@"
done
for trials in 100 1000 5000; do
    dotnet "$bench" --trials "$trials" "$@"
done

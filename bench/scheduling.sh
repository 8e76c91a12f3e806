#!/usr/bin/env bash
# Scheduling benchmark: overhead per trial with a no-op trainer, and the share of real one-epoch MLP trials spent
# outside training, in the embedded composition of `sweep run` on SQLite (docs/benchmarks.md, "Scheduling").
# Usage: bench/scheduling.sh [--trials N] [--slots S] [--runs R] [--real-trials N] [--train-limit N] [--only overhead|training]
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
exec dotnet bench/SchedulingBench/bin/Release/net10.0/linux-x64/scheduling-bench.dll "$@"

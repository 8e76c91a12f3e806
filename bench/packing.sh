#!/usr/bin/env bash
# Trial packing benchmark: a 4-trial MLP β grid trained packed against the same trials one by one, in one process,
# alternating which goes first; prints a Markdown table of wall times, their ratio and the largest relative loss
# difference (docs/benchmarks.md).
# Usage: bench/packing.sh [--train-limit N] [--epochs E] [--threads T] [--repeat R] [--profile]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PackingBench -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
exec dotnet bench/PackingBench/bin/Release/net10.0/linux-x64/packing-bench.dll "$@"

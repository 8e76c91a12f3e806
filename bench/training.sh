#!/usr/bin/env bash
# Full-MNIST training benchmark: test loss, epoch time and peak RSS per model (docs/benchmarks.md).
# Usage: bench/training.sh [--repeat N] [--threads T] [--only mlp-1,cnn-1,...]
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
exec dotnet bench/TrainingBench/bin/Release/net10.0/linux-x64/training-bench.dll \
    src/Cli/bin/Release/net10.0/linux-x64/sweep.dll "$@"

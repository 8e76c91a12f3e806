#!/usr/bin/env bash
# CLI start-up benchmark: what the `sweep` wrapper adds to a command when nothing changed (docs/benchmarks.md,
# "CLI start-up"). Runs `./sweep validate examples/quick.yaml` and `dotnet …/sweep.dll validate examples/quick.yaml`
# in turn (A B A B …, so that a machine whose speed drifts affects both alike), RUNS times each after one warm-up
# pair, and prints each one's median wall time (min–max), the difference of the medians and the median ratio of
# the pairs. Public tools only: bash's EPOCHREALTIME, sort, awk.
# Usage: bench/cli-startup.sh [RUNS]   (default 11)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
export CONFIGURATION=Release
# The binary the wrapper runs: its ReadyToRun publish.
dll="src/Cli/bin/$CONFIGURATION/net10.0/linux-x64/publish/sweep.dll"
wrapper=(./sweep validate examples/quick.yaml)
direct=(dotnet "$dll" validate examples/quick.yaml)

# Builds first if anything changed, so that every measured run takes the wrapper's no-change path.
./sweep --help >/dev/null

# Wall seconds of one run of "$@", its output discarded; a failing run ends the benchmark.
seconds() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || { echo "error: '$*' failed" >&2; exit 1; }
    local end=$EPOCHREALTIME
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

seconds "${wrapper[@]}" >/dev/null
seconds "${direct[@]}" >/dev/null
pairs=()
for ((i = 0; i < runs; i++)); do
    pairs+=("$(seconds "${wrapper[@]}") $(seconds "${direct[@]}")")
done

printf '%s\n' "${pairs[@]}" | awk -v runs="$runs" '
    function median(values, n,    sorted, i, j, t) {
        for (i = 1; i <= n; i++) sorted[i] = values[i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
        return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
    }
    function low(values, n,    i, m) { m = values[1]; for (i = 2; i <= n; i++) if (values[i] < m) m = values[i]; return m }
    function high(values, n,    i, m) { m = values[1]; for (i = 2; i <= n; i++) if (values[i] > m) m = values[i]; return m }
    { a[NR] = $1; b[NR] = $2; r[NR] = $1 / $2 }
    END {
        printf "./sweep validate examples/quick.yaml          median %.3f s (%.3f–%.3f), %d runs\n", median(a, NR), low(a, NR), high(a, NR), NR
        printf "dotnet sweep.dll validate examples/quick.yaml median %.3f s (%.3f–%.3f), %d runs\n", median(b, NR), low(b, NR), high(b, NR), NR
        printf "wrapper adds %.3f s (difference of the medians); ratio %.3f (median of the pairs)\n", median(a, NR) - median(b, NR), median(r, NR)
    }'

#!/usr/bin/env bash
# Trial packing as a user meets it: `./sweep run` of the packed β example (examples/beta-packed.yaml, four MLP trials
# that differ only in β) with `packing: auto` against the same sweep with `packing: off`, each a whole process on an
# empty database, alternating which goes first round by round (docs/benchmarks.md, "Trial packing").
# Prints a Markdown table of wall times and their ratio, and the median of each.
# Usage: bench/packing-sweep.sh [--rounds R] [--epochs E] [--train-limit N] [--workers N]
#   defaults: 3 rounds, 1 epoch, full MNIST (60,000 images), sweep run's own number of slots
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 epochs=1 train_limit=60000 workers=()
while (($#)); do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --epochs) epochs="$2"; shift 2 ;;
        --train-limit) train_limit="$2"; shift 2 ;;
        --workers) workers=(--workers "$2"); shift 2 ;;
        *) echo "error: unknown option '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
    esac
done
export CONFIGURATION=Release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The example with this run's epochs and images, and packing as given.
for packing in auto off; do
    sed -e "s/^packing: .*/packing: $packing/" -e "s/^epochs: .*/epochs: $epochs/" -e "s/^train_limit: .*/train_limit: $train_limit/" \
        examples/beta-packed.yaml > "$work/$packing.yaml"
done
# Builds first if anything changed, so that every measured run takes the wrapper's no-change path.
./sweep validate "$work/auto.yaml" >/dev/null

# Wall seconds of one `sweep run` of packing $1 on a fresh database; a failing run ends the benchmark.
seconds() {
    rm -rf "$work/db-$1" && mkdir "$work/db-$1"
    local start=$EPOCHREALTIME
    ./sweep run "$work/$1.yaml" --db "$work/db-$1/store.db" "${workers[@]}" --json > "$work/$1.json" 2> "$work/$1.err" ||
        { echo "error: sweep run of packing: $1 failed:" >&2; cat "$work/$1.err" >&2; exit 1; }
    local end=$EPOCHREALTIME
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}

echo "4-trial MLP β grid (examples/beta-packed.yaml), $train_limit training images, $epochs epoch(s), $rounds round(s), slots: ${workers[1]:-one per core}" >&2
rows=()
for ((round = 1; round <= rounds; round++)); do
    if ((round % 2)); then packed=$(seconds auto); alone=$(seconds off); first=packed
    else alone=$(seconds off); packed=$(seconds auto); first=alone; fi
    echo "round $round ($first first): packed $packed s, alone $alone s" >&2
    rows+=("$round $first $packed $alone")
done

printf '%s\n' "${rows[@]}" | awk '
    function median(values, n,    sorted, i, j, t) {
        for (i = 1; i <= n; i++) sorted[i] = values[i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
        return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
    }
    BEGIN { print "| round | packing: auto, s | packing: off, s | ratio |"; print "|---|---|---|---|" }
    { p[NR] = $3; a[NR] = $4; r[NR] = $3 / $4; printf "| %d (%s first) | %.2f | %.2f | %.3f |\n", $1, $2, $3, $4, $3 / $4 }
    END { printf "| median | %.2f | %.2f | **%.3f** |\n", median(p, NR), median(a, NR), median(r, NR) }'

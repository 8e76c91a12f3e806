#!/usr/bin/env bash
# SweepRunner's training against a PyTorch reference, with the bounds that explain the gap (docs/benchmarks.md,
# "Training against PyTorch"). Installs the reference's runtime when missing (Debian's python3-torch and OpenBLAS,
# apt), builds the solution, then runs bench/reference/harness.py with Debian's Python.
# Usage: bench/against-pytorch.sh [--quick] [--models mlp,cnn,cvae] [--repeat N] [--epochs N] [--threads T] [--only quick-sweep]
# --quick is a smoke run of about a minute that prints only; the full run also adds its tables to docs/benchmarks.md.
# --only quick-sweep measures `./sweep run examples/quick.yaml` alone, N times, and adds that table.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
for package in python3-torch libopenblas0-pthread; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || packages+=("$package")
done
if ((${#packages[@]})); then
    sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo)
    echo "installing ${packages[*]} (apt)…" >&2
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

export CONFIGURATION=Release
scripts/setup.sh >&2
# Debian's python3 has python3-torch; another python3 (a virtual environment, pyenv) may come first on PATH.
exec /usr/bin/python3 bench/reference/harness.py "$@"

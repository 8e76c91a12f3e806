#!/usr/bin/env bash
# Prepares this machine to build, run and test SweepRunner. Idempotent: safe to run before every command.
#
# - checks for the .NET 10 SDK and restores the local dotnet tools (dotnet-ef, for generating migrations);
# - installs PostgreSQL's server programs (apt package postgresql) when missing: the storage tests and
#   bench/storage.sh start a throw-away server of their own with them. No cluster is left running;
# - installs Chromium and the DejaVu fonts (apt packages chromium, fonts-dejavu-core) when missing: the report
#   tests open sweep reports in it, headless;
# - installs Prometheus and promtool (apt package prometheus) when promtool is missing: the deploy tests check
#   deploy/prometheus with promtool and run a throw-away Prometheus of their own. Its service is not started;
# - installs Python 3 with PyYAML (apt package python3-yaml) when missing: scripts/cluster.sh, the local cluster,
#   reads deploy/compose.yaml with it;
# - installs Node.js and npm (apt packages nodejs, npm) when node is missing or older than 18: the build of the web
#   dashboard (src/WebUi) bundles its TypeScript with npm, and scripts/test.sh runs its unit tests;
# - restores and builds the solution. The build itself makes TorchSharp load on Debian 12: its native glue
#   needs GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks, so a build step marks that one requirement
#   weak in the output copy of libLibTorchSharp.so (docs/platform.md explains why and what changes).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK is not installed (dotnet not on PATH); SweepRunner needs .NET 10" >&2
    exit 1
fi
if ! dotnet --list-sdks | grep -q '^10\.'; then
    echo "error: SweepRunner needs the .NET 10 SDK; found: $(dotnet --list-sdks | tr '\n' ' ')" >&2
    exit 1
fi

dotnet tool restore >/dev/null

# Installs the apt packages named. Debian's postgresql package creates a cluster "main" on port 5432 and starts it,
# and its prometheus package a service on port 9090; nothing uses them, so starting services is denied during the
# install (policy-rc.d) and any cluster running afterwards is stopped.
apt_install() {
    local sudo=()
    if [[ $EUID -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: $* not installed, and installing needs root: run 'apt-get install $*' as root" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "installing $* (apt)…" >&2
    local policy=/usr/sbin/policy-rc.d own_policy=false
    if [[ ! -e $policy ]]; then
        own_policy=true
        trap "${sudo[*]} rm -f $policy" EXIT
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod +x "$policy"
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    if $own_policy; then
        "${sudo[@]}" rm -f "$policy"
        trap - EXIT
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters --no-header | awk '$4 == "online" { print $1, $2 }' | while read -r version cluster; do
            "${sudo[@]}" pg_ctlcluster "$version" "$cluster" stop
        done
    fi
}
missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The report page's font, so that a browser here shows its text (the PNG figures carry their own).
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
# The dashboard's build tools run on Node.js 18 and later (Debian 12's nodejs is 18).
node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true)
if [[ ! $node_major =~ ^[0-9]+$ ]] || ((node_major < 18)) || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi
if ((${#missing[@]} > 0)); then
    apt_install "${missing[@]}"
fi

echo "building SweepRunner ($configuration)…" >&2
dotnet build SweepRunner.sln -c "$configuration" -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary

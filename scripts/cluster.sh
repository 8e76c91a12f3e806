#!/usr/bin/env bash
# A local SweepRunner cluster for machines without Docker: the services of deploy/compose.yaml as local processes.
#
#   scripts/cluster.sh up [--workers N] [--dir DIR] [--sweep PROGRAM] [--scrape-interval 15s]
#   scripts/cluster.sh status | down | plan [--json]     (each with --dir DIR when up had one)
#
# up starts PostgreSQL (data under DIR, default .sweeprunner/cluster/ in the checkout), runs the migrations and the
# database roles, starts the coordinator, N workers and Prometheus with compose's commands and environment, their
# host names and ports mapped to this machine, and prints their addresses; down stops exactly the processes up started
# (pid files under DIR/pids) and keeps the data; plan prints what up would run. docs/deploy.md, "A local cluster without
# Docker", describes the mapping. The work is done by scripts/cluster.py (Python 3 with PyYAML).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

missing=()
python3 -c 'import yaml' 2>/dev/null || missing+=("python3 with PyYAML (python3-yaml)")
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=("PostgreSQL's server programs (postgresql)")
command -v prometheus >/dev/null 2>&1 || missing+=("Prometheus (prometheus)")
command -v psql >/dev/null 2>&1 || missing+=("psql (postgresql-client)")
if ((${#missing[@]} > 0)); then
    needed="$(printf '%s, ' "${missing[@]}")"
    echo "error: the local cluster needs ${needed%, }: run scripts/setup.sh" >&2
    exit 1
fi
exec python3 "$root/scripts/cluster.py" "$@"

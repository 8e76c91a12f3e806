#!/usr/bin/env bash
# The dashboard's screenshots in docs/ui.md (docs/figures/ui-*.png), taken from a real sweep: runs the browser tests'
# screenshot test (a PostgreSQL, a coordinator and a worker of its own, a small MLP sweep, headless chromium) and
# copies the pictures it keeps.
# Usage: scripts/ui-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
scripts/setup.sh
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT
SWEEP_TEST_ARTIFACTS="$artifacts" dotnet test tests/Web.Tests -c Release --no-build --filter "Category=Screenshots"
for page in sweeps sweep trial compare submit; do
  cp "$artifacts/screenshots/ui-$page.png" "docs/figures/ui-$page.png"
  echo "docs/figures/ui-$page.png: $(stat -c %s "docs/figures/ui-$page.png") bytes"
done

#!/usr/bin/env bash
# Prepares this machine to build, run and test SweepRunner. Idempotent: safe to run before every command.
#
# - checks for the .NET 10 SDK;
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

echo "building SweepRunner ($configuration)…" >&2
dotnet build SweepRunner.sln -c "$configuration" -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary

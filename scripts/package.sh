#!/usr/bin/env bash
# Builds the installable forms of `sweep` (docs/deploy.md, "Installing `sweep`" and "Container images"):
#
#   scripts/package.sh tool    [--out DIR]            the .NET tool: DIR/SweepRunner.VERSION.nupkg (linux-x64)
#   scripts/package.sh tarball [--out DIR] [OPTIONS]  DIR/sweep-VERSION-linux-x64.tar.gz: self-contained, `sweep` at its top
#   scripts/package.sh publish  --out DIR  [OPTIONS]  the tarball's content, unpacked into DIR (the container image's build stage)
#
# OPTIONS (tarball, publish):
#   --torch-backend cpu|cuda   the libtorch runtime carried (default cpu; cuda is several GB)
#   --target-libstdcxx FILE    decide the native-load fix (docs/platform.md) against FILE, the libstdc++.so.6 of the
#                              machine that will run the build, instead of this machine's
#
# DIR defaults to artifacts/ at the repository root. Everything runs the Release configuration.
# The tool is built for unknown machines, so it always carries the native-load fix: the weak flag it sets is harmless
# where libstdc++ already has the version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$root/src/Cli/Cli.csproj"
rid=linux-x64

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

(($# >= 1)) || usage
kind="$1"
shift
case "$kind" in
    tool | tarball | publish) ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown package kind '$kind'" >&2; usage ;;
esac

out="$root/artifacts"
out_given=false
torch_backend=cpu
target_libstdcxx=""
while (($# > 0)); do
    case "$1" in
        --out) out="${2:?--out needs a folder}"; out_given=true; shift 2 ;;
        --torch-backend) torch_backend="${2:?--torch-backend needs cpu or cuda}"; shift 2 ;;
        --target-libstdcxx) target_libstdcxx="${2:?--target-libstdcxx needs a file}"; shift 2 ;;
        *) echo "error: unknown option '$1'" >&2; usage ;;
    esac
done
if [[ $kind == tool && ($torch_backend != cpu || -n $target_libstdcxx) ]]; then
    echo "error: the tool is always built with the CPU runtime and the native-load fix; --torch-backend and --target-libstdcxx are for tarball and publish" >&2
    exit 2
fi
if [[ $kind == publish && $out_given == false ]]; then
    echo "error: publish needs --out DIR (the folder the application goes to)" >&2
    exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

quiet=(-nologo -v quiet -clp:ErrorsOnly -clp:NoSummary)
version="$(dotnet msbuild "$cli" -getProperty:Version -p:Configuration=Release)"

# Self-contained linux-x64 publish of the CLI into $1: the tarball's and the image's content (data/mnist included).
# Its own artifacts folder keeps the self-contained restore apart from the checkout's everyday build.
publish_self_contained() {
    local fix=()
    [[ -n $target_libstdcxx ]] && fix=("-p:NativeFixTargetLibStdCxx=$(realpath "$target_libstdcxx")")
    dotnet publish "$cli" -c Release -r "$rid" --self-contained -o "$1" --artifacts-path "$root/artifacts/obj-self-contained" \
        "-p:TorchBackend=$torch_backend" "${fix[@]}" "${quiet[@]}"
}

case "$kind" in
    tool)
        # A fresh publish folder: the package is made from everything in it.
        publish_dir="$(mktemp -d)"
        trap 'rm -rf "$publish_dir"' EXIT
        dotnet pack "$cli" -c Release -o "$out" "-p:PublishDir=$publish_dir/" -p:NativeFix=on "${quiet[@]}"
        echo "$out/SweepRunner.$version.nupkg"
        ;;
    tarball)
        staging="$(mktemp -d)"
        trap 'rm -rf "$staging"' EXIT
        publish_self_contained "$staging"
        tarball="$out/sweep-$version-$rid.tar.gz"
        tar -C "$staging" -czf "$tarball" .
        echo "$tarball"
        ;;
    publish)
        publish_self_contained "$out"
        echo "$out"
        ;;
esac

#!/bin/sh
# The CPU cost of one SPI transfer (issue 17 §2), x64 and linux-arm64 under qemu-aarch64 side by side: runs
# tests/arm64/SpiCost on this machine, then its self-contained linux-arm64 publish under qemu with the sysroot
# that tests/arm64/run-under-qemu.sh made (run that first, with the same cache dir). The qemu figure is a ratio
# to x64 on the same machine, not a Pi's time.
#
#   tests/arm64/spi-cost.sh [cache-dir] [operations] [repeats]
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/crampsense-arm64}
OPS=${2:-200000}
REPEATS=${3:-7}
SYSROOT=$CACHE/sysroot-bookworm-arm64
OUT=$CACHE/spi-cost-linux-arm64
PROJECT=$ROOT/tests/arm64/SpiCost/SpiCost.csproj
[ -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ] || { echo "spi-cost: no arm64 sysroot in $CACHE; run tests/arm64/run-under-qemu.sh $CACHE first" >&2; exit 2; }

dotnet build "$PROJECT" -c Release -nologo -v q >/dev/null
echo "x64 (load $(cut -d' ' -f1-3 /proc/loadavg)):"
dotnet "$ROOT/tests/arm64/SpiCost/bin/Release/net10.0/SpiCost.dll" "$OPS" "$REPEATS"
dotnet publish "$PROJECT" -c Release -r linux-arm64 --self-contained -o "$OUT" -nologo -v q >/dev/null
echo "linux-arm64 under qemu-aarch64 (load $(cut -d' ' -f1-3 /proc/loadavg)):"
DOTNET_EnableWriteXorExecute=0 qemu-aarch64-static -L "$SYSROOT" "$OUT/SpiCost" "$OPS" "$REPEATS"

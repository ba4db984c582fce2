#!/bin/sh
# Proof on the Pi's architecture without a Pi: publishes firmware-host for linux-arm64 (self-contained), makes an
# arm64 Debian sysroot with debootstrap (cached), and replays a simulated night with a calf cramp through the
# arm64 service under qemu-aarch64 user emulation; exits 0 only when the cramp_started and cramp_ended events come out.
#
#   tests/arm64/run-under-qemu.sh [cache-dir]        (default cache: ${XDG_CACHE_HOME:-~/.cache}/crampsense-arm64)
#
# Needs: the .NET SDK, qemu-user-static and debootstrap (apt-get install -y qemu-user-static debootstrap).
# binfmt_misc is not assumed: qemu is called explicitly. DOTNET_EnableWriteXorExecute=0 is required under
# qemu-user (its translation cache misses JIT code written through the W^X double mapping; deps-probe.md §5).
# The timings under emulation say nothing about a Pi's speed.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/crampsense-arm64}
SYSROOT=$CACHE/sysroot-bookworm-arm64
OUT=$CACHE/crampsense-host-linux-arm64
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crampsense-qemu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
START=$(date +%s)
step() { echo "[$(( $(date +%s) - START )) s] $*"; }

for tool in dotnet qemu-aarch64-static debootstrap; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
        echo "run-under-qemu: '$tool' not found; apt-get install -y qemu-user-static debootstrap (and the .NET SDK)" >&2
        exit 2
    fi
done
mkdir -p "$CACHE"

# 1. The arm64 sysroot (only the dynamic loader and libc/libstdc++/zlib/libssl are used), from the mirror apt uses.
if [ ! -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ] || [ ! -e "$SYSROOT/usr/lib/aarch64-linux-gnu/libssl.so.3" ]; then
    MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*debian\/*\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    if [ -z "$MIRROR" ]; then
        MIRROR=$(sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\)[[:space:]]\{1,\}bookworm[[:space:]].*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
    fi
    [ -n "$MIRROR" ] || { echo "run-under-qemu: no Debian mirror found in this machine's apt configuration" >&2; exit 2; }
    step "debootstrap arm64 sysroot from $MIRROR into $SYSROOT"
    rm -rf "$SYSROOT"
    DEBOOTSTRAP=$(command -v debootstrap || echo /usr/sbin/debootstrap)
    "$DEBOOTSTRAP" --arch=arm64 --foreign --variant=minbase --include=libstdc++6,zlib1g,libssl3 bookworm "$SYSROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -n 20 "$CACHE/debootstrap.log" >&2; echo "run-under-qemu: debootstrap failed (log: $CACHE/debootstrap.log)" >&2; exit 2; }
    # --foreign unpacks only the base system; the --include packages wait in the apt cache for the second stage
    # (which needs to run arm64 code): unpack the libraries the runtime loads (libssl for crypto) directly.
    # --keep-directory-symlink: bookworm's /lib is a symlink to usr/lib (merged /usr) and must stay one.
    for deb in "$SYSROOT"/var/cache/apt/archives/libssl3_*.deb; do
        dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$SYSROOT"
    done
else
    step "arm64 sysroot cached at $SYSROOT"
fi
[ -e "$SYSROOT/usr/lib/aarch64-linux-gnu/libssl.so.3" ] || { echo "run-under-qemu: no libssl.so.3 in $SYSROOT; delete it and run again" >&2; exit 2; }

# 2. The service for linux-arm64, self-contained (the ML.NET platform checks are off in its csproj, deps-probe.md §2).
step "dotnet publish firmware-host -c Release -r linux-arm64 --self-contained"
dotnet publish "$ROOT/firmware-host/CrampSense.FirmwareHost.csproj" -c Release -r linux-arm64 --self-contained -o "$OUT" -nologo -v q >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; exit 1; }
file "$OUT/crampsense-host" 2>/dev/null | grep -q aarch64 || { echo "run-under-qemu: $OUT/crampsense-host is not an arm64 binary" >&2; exit 1; }

# 3. A recording with a cramp: the simulator's default night (night-cramp, seed 1, 90 s; truth: calf cramp 25.4–36.4 s).
step "simulate the recording (x64 CLI)"
dotnet build "$ROOT/src/CrampSense.Cli/CrampSense.Cli.csproj" -c Release -nologo -v q >"$WORK/cli.log" 2>&1 || { cat "$WORK/cli.log" >&2; exit 1; }
dotnet "$ROOT/src/CrampSense.Cli/bin/Release/net10.0/crampsense.dll" simulate --scenario night-cramp --seed 1 --duration 90s -o "$WORK/night.csv" >/dev/null

# 4. The replay through the arm64 service under emulation: embedded broker on a free port, outbox in the work folder.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18883)
step "replay under qemu-aarch64 (broker port $PORT)"
set +e
DOTNET_EnableWriteXorExecute=0 \
CRAMPSENSE_Device__Id=qemu-arm64 \
CRAMPSENSE_Mqtt__Broker__Port=$PORT \
CRAMPSENSE_Mqtt__Outbox__Path=$WORK/outbox.db \
    timeout 600 qemu-aarch64-static -L "$SYSROOT" "$OUT/crampsense-host" --replay "$WORK/night.csv" --speed max --no-live >"$WORK/host.log" 2>&1
STATUS=$?
set -e
grep -E 'Source |Event |Prompt |Pipeline stopped|fail|crit' "$WORK/host.log" | sed 's/^/    /'
if [ "$STATUS" -ne 0 ]; then
    tail -n 30 "$WORK/host.log" >&2
    echo "run-under-qemu: FAILED: the arm64 service exited with $STATUS" >&2
    exit 1
fi
if ! grep -q 'Event cramp_started on calf' "$WORK/host.log" || ! grep -q 'Event cramp_ended on calf' "$WORK/host.log"; then
    echo "run-under-qemu: FAILED: no cramp_started/cramp_ended on calf from the arm64 service" >&2
    exit 1
fi
# A trimmed publish can lose what only reflection reaches: the service must also have reached the embedded broker
# (a trimming regression once failed every connect while detection still worked).
if ! grep -q 'MQTT connected' "$WORK/host.log"; then
    grep -m 3 'MQTT' "$WORK/host.log" >&2 || true
    echo "run-under-qemu: FAILED: the arm64 service never reached the embedded broker (no 'MQTT connected' line)" >&2
    exit 1
fi
step "OK: the linux-arm64 service detected the calf cramp under qemu-aarch64 ($(uname -m) host)"

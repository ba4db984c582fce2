#!/bin/sh
# The wake-up floor of this machine: what one thread waking 1 000 times a second costs with nothing else of ours
# running, paced like the service's sampling thread (docs/measurements.md, "Session 11, h-imu"). Runs, alternated
# ROUNDS times: the .NET loop with PreciseSleep (clock_nanosleep, the service's Sleep pacing), the .NET loop with
# Thread.Sleep(1), and the C loop (when gcc is present). Each prints the thread's CPU from getrusage(RUSAGE_THREAD)
# and its wake-ups (voluntary context switches); the load average is printed before and after.
#
#   tests/tools/wakeup-floor/measure.sh [seconds-per-run] [rate-hz]      (ROUNDS=2 by default)
set -eu
SECONDS_PER_RUN=${1:-20}
RATE=${2:-1000}
ROUNDS=${ROUNDS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wakeup-floor.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
dotnet build "$HERE/wakeup-floor.csproj" -c Release -nologo -v q -o "$WORK/dotnet" >/dev/null
C=
if command -v gcc >/dev/null 2>&1; then
    gcc -O2 -o "$WORK/wakeup_floor" "$HERE/wakeup_floor.c"
    C=$WORK/wakeup_floor
fi
echo "before: $(uptime)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    dotnet "$WORK/dotnet/wakeup-floor.dll" precise "$SECONDS_PER_RUN" "$RATE"
    [ -n "$C" ] && "$C" "$SECONDS_PER_RUN" "$RATE"
    dotnet "$WORK/dotnet/wakeup-floor.dll" thread-sleep "$SECONDS_PER_RUN" "$RATE"
    round=$((round + 1))
done
echo "after: $(uptime)"

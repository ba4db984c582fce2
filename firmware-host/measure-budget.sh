#!/bin/sh
# Resource budget of the service, headless, in real time: CPU % of one core in steady state (from /proc/<pid>/stat
# over a window after a warm-up), peak RSS (VmHWM) and start-up time (launch → first frame source opened and
# MQTT online, from the service's own log time stamps).
#
#   firmware-host/measure-budget.sh [SimulatedHardware|Simulator] [window-seconds]
#   BUILD=0 firmware-host/measure-budget.sh …   without building first (two checkouts side by side, same moment)
#   PERF=1 firmware-host/measure-budget.sh …   also samples the window with perf (call graphs, .NET perf map) and
#                                               prints the CPU by thread and by function (needs perf; the report is
#                                               kept in $PERF_OUT, default ./budget.perf.txt)
#
# SimulatedHardware: the Pi's code path (AcquisitionEngine paced at 1 kHz, MCP3008 binding, MLX90614 and MPU6050
# workers) on the bus-level chip simulators, 4 sites. Simulator: the physiological simulator as the source (it
# renders motor units, which the Pi does not do). The numbers are this machine's, not a Pi's.
set -eu
MODE=${1:-SimulatedHardware}
WINDOW=${2:-60}
# Warm-up before the window: tiered compilation re-JITs hot methods for about a minute after start (perf showed
# half the samples in the JIT thread at 10-30 s), which is start-up cost, not steady state.
WARMUP=${WARMUP:-75}
PID=
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crampsense-budget.XXXXXX")
trap '[ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; }; rm -rf "$WORK"; true' EXIT INT TERM

# BUILD=0: use the Release build as it is (to start two checkouts' runs at the same moment, side by side).
if [ "${BUILD:-1}" != 0 ]; then
    dotnet build "$ROOT/firmware-host/CrampSense.FirmwareHost.csproj" -c Release -nologo -v q >/dev/null
fi
DLL=$ROOT/firmware-host/bin/Release/net10.0/crampsense-host.dll
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HZ=$(getconf CLK_TCK)

export CRAMPSENSE_Source__Kind=$MODE CRAMPSENSE_Device__Id=budget CRAMPSENSE_Mqtt__Broker__Port=$PORT \
    CRAMPSENSE_Mqtt__Outbox__Path=$WORK/outbox.db \
    CRAMPSENSE_Sensors__Emg__Channels__0__Channel=0 CRAMPSENSE_Sensors__Emg__Channels__0__Site=calf_left \
    CRAMPSENSE_Sensors__Emg__Channels__1__Channel=1 CRAMPSENSE_Sensors__Emg__Channels__1__Site=calf_right \
    CRAMPSENSE_Sensors__Emg__Channels__2__Channel=2 CRAMPSENSE_Sensors__Emg__Channels__2__Site=foot_left \
    CRAMPSENSE_Sensors__Emg__Channels__3__Channel=3 CRAMPSENSE_Sensors__Emg__Channels__3__Site=foot_right \
    CRAMPSENSE_Sensors__Temperature__Chip=MLX90614 CRAMPSENSE_Sensors__Imu__Chip=MPU6050
# W^X off while profiling: with it, JIT code runs from a memfd double mapping that perf cannot name from the map.
if [ "${PERF:-0}" = 1 ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
LAUNCH=$(date +%s.%N)
dotnet "$DLL" --no-live >"$WORK/host.log" 2>&1 &
PID=$!

ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
# Per-thread CPU ticks (utime, stime) with the thread's name: where the time goes, and how much of it is the kernel's.
# Voluntary context switches are the thread's wake-ups (each blocking wait that ended), a count the machine's load
# does not inflate the way it inflates CPU time.
threads() { for t in /proc/$PID/task/*; do printf '%s %s %s\n' "$(awk '{print $14, $15}' "$t/stat")" "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")" "$(tr ' ' '_' <"$t/comm")"; done 2>/dev/null; }
sleep "$WARMUP"
T0=$(ticks); S0=$(date +%s.%N); threads >"$WORK/threads0"
if [ "${PERF:-0}" = 1 ]; then
    perf record -F 999 -g -p "$PID" -o "$WORK/perf.data" -- sleep "$WINDOW" >/dev/null 2>&1
else
    sleep "$WINDOW"
fi
T1=$(ticks); S1=$(date +%s.%N); threads >"$WORK/threads1"
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
kill -TERM "$PID"; wait "$PID" || true

stamp() { grep -m1 "$1" "$WORK/host.log" | cut -c1-24 | xargs -I{} date -d {} +%s.%N; }
SOURCE=$(stamp 'Source ')
ONLINE=$(stamp 'MQTT connected')
python3 - "$T0" "$T1" "$S0" "$S1" "$HZ" "$HWM" "$LAUNCH" "$SOURCE" "$ONLINE" "$MODE" "$WARMUP" <<'PY'
import sys
t0, t1, s0, s1, hz, hwm, launch, source, online = map(float, sys.argv[1:10])
mode = sys.argv[10]
warmup = sys.argv[11]
cpu = (t1 - t0) / hz / (s1 - s0) * 100
print(f"{mode}: CPU {cpu:.1f} % of one core over {s1 - s0:.0f} s (after a {warmup} s warm-up); peak RSS (VmHWM) {hwm / 1024:.0f} MB; "
      f"start-up: frame source opened {source - launch:.2f} s, MQTT online {online - launch:.2f} s after launch")
PY
grep -E 'Session ended|dropped' "$WORK/host.log" | tail -n 1 | cut -c1-200
# Threads that used ≥ 1 % of the process's CPU in the window, summed by name (thread-pool workers share one).
python3 - "$WORK/threads0" "$WORK/threads1" "$HZ" "$T0" "$T1" "$S0" "$S1" <<'PY'
import sys, collections
def load(path):
    user, system, wakes = collections.Counter(), collections.Counter(), collections.Counter()
    for line in open(path):
        fields = line.split(maxsplit=3)
        if len(fields) < 4 or not all(f.isdigit() for f in fields[:3]):
            continue  # a thread that ended while it was being listed
        u, s, w, name = fields
        user[name.strip()] += int(u)
        system[name.strip()] += int(s)
        wakes[name.strip()] += int(w)
    return user, system, wakes
(ua, sa, wa), (ub, sb, wb) = load(sys.argv[1]), load(sys.argv[2])
hz, total, seconds = float(sys.argv[3]), float(sys.argv[5]) - float(sys.argv[4]), float(sys.argv[7]) - float(sys.argv[6])
rows = sorted(((ub[n] + sb[n] - ua.get(n, 0) - sa.get(n, 0), ub[n] - ua.get(n, 0), n) for n in ub), reverse=True)
print("threads (share of the process's CPU in the window; user + kernel):",
      ", ".join(f"{n} {d / total * 100:.0f} % ({u / total * 100:.0f} + {(d - u) / total * 100:.0f})" for d, u, n in rows if total and d / total >= 0.01))
print(f"threads that ended inside the window or used < 1 % each: {(total - sum(d for d, _, _ in rows if d / total >= 0.01)) / total * 100:.0f} %" if total else "")
woken = sorted(((max(0, wb[n] - wa.get(n, 0)), n) for n in wb), reverse=True)
print("wake-ups per second (voluntary context switches of the threads alive at both ends):",
      ", ".join(f"{n} {w / seconds:.0f}" for w, n in woken if w / seconds >= 1), f"; all {sum(w for w, _ in woken) / seconds:.0f}")
PY
if [ "${PERF:-0}" = 1 ]; then
    OUT=${PERF_OUT:-budget.perf.txt}
    {
        echo "== CPU samples by thread"
        perf report -i "$WORK/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 20
        echo "== by thread and function (self)"
        perf report -i "$WORK/perf.data" --no-children --sort comm,dso,sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 80
        echo "== by thread and function (with callees)"
        perf report -i "$WORK/perf.data" --children --sort comm,sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 80
    } >"$OUT"
    echo "perf report: $OUT"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

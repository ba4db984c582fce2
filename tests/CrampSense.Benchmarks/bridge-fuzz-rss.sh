#!/bin/bash
# Bridge memory under a mixed fuzz (issue 13 §7; target peak RSS <= 150 MB): mosquitto (no size limit of its own, so the
# bridge's limits are what is measured) -> one crampsense-bridge process -> VictoriaMetrics. Each round publishes, per
# device topic, valid events mixed with poison payloads (integers beyond the C# types, 1e400, invalid UTF-8, lone
# surrogates, sites with a backslash, non-JSON, wrong schema), 20 payloads of 60 KB, 20 of 100 KB and 3 of 64 MB.
# Prints the bridge's VmRSS and VmHWM after each round and its counters from the retained status.
#   dotnet build -c Release src/CrampSense.Bridge && tests/CrampSense.Benchmarks/bridge-fuzz-rss.sh [rounds] [devices]
# Fixed seed (python random.seed(13)); 400 messages per device per round (280 valid, 120 poison).
set -euo pipefail
rounds=${1:-3}
devices=${2:-25}
root=$(cd "$(dirname "$0")/../.." && pwd)
dll=${BRIDGE_DLL:-$root/src/CrampSense.Bridge/bin/Release/net10.0/crampsense-bridge.dll}
test -f "$dll" || { echo "build the bridge first: dotnet build -c Release src/CrampSense.Bridge" >&2; exit 1; }
work=$(mktemp -d /tmp/crampsense-fuzz-rss-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mqtt=$(free_port); vm=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_type error\nmax_queued_messages 1000000\n' "$mqtt" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" & mosquitto_pid=$!
victoria-metrics -httpListenAddr=127.0.0.1:$vm -storageDataPath="$work/vm" -retentionPeriod=100y -loggerLevel=ERROR > /dev/null 2>&1 & vm_pid=$!
cleanup() { kill "$bridge_pid" "$mosquitto_pid" "$vm_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
bridge_pid=0
trap cleanup EXIT
sleep 1
dotnet "$dll" --Mqtt:Host=127.0.0.1 --Mqtt:Port=$mqtt --InfluxDB:Url=http://127.0.0.1:$vm --InfluxDB:Token=t --InfluxDB:Org=o \
  --InfluxDB:Bucket=b --Bridge:InstanceId=fuzz --Bridge:ShareGroup=fuzz --Bridge:StatusIntervalSeconds=0.5 \
  --Logging:LogLevel:Default=Error > "$work/bridge.log" 2>&1 & bridge_pid=$!
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %.0f MB  ", $1, $2/1024}' "/proc/$bridge_pid/status"; }
until mosquitto_sub -p "$mqtt" -t crampsense/v1/_bridge/fuzz/status -C 1 -W 1 2>/dev/null | grep -q online; do sleep 0.5; done
echo "idle: $(rss)"
head -c $((60 * 1024)) /dev/zero | tr '\0' 'm' > "$work/60k"
head -c $((100 * 1024)) /dev/zero | tr '\0' 'l' > "$work/100k"
head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' 'h' > "$work/64m"
for round in $(seq 1 "$rounds"); do
  python3 - "$work" "$round" "$devices" <<'PY'
import json, random, sys
work, rnd, devices = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(13 * 1000 + rnd)
def event(dev, i, site="calf"):
    return {"schema": "crampsense.event.v1", "id": f"{dev}:{rnd}:{i}:cramp_started", "time": f"2026-11-26T02:{rnd:02d}:{i // 1000:02d}.{i % 1000:03d}Z",
            "device": dev, "site": site, "type": "cramp_started", "event_id": f"{dev}:{rnd}:{i}", "onset_s": i, "confidence": 0.9, "model_version": "m-1"}
def status(dev, cramps, pending):
    return ('{"schema":"crampsense.status.v1","id":"%s:s:%d","time":"2026-11-26T02:00:00.000Z","device":"%s","state":"online","cramps_today":%s,'
            '"outbox":{"pending":%s,"pending_bytes":0,"dropped_telemetry":0,"dropped_fault":0,"dropped_event":0,"dropped_prompt":0,"rejected":0}}') % (dev, rnd, dev, cramps, pending)
for d in range(devices):
    dev = f"fuzz-{d:03d}"
    ev, st = open(f"{work}/ev-{d}", "wb"), open(f"{work}/st-{d}", "wb")
    for i in range(400):
        if i % 10 < 7:
            ev.write(json.dumps(event(dev, i), separators=(",", ":")).encode() + b"\n"); continue
        kind = random.randrange(8)
        if kind == 0: st.write(status(dev, random.choice(["1e10", "3000000000", "1e400", "1.5"]), "0").encode() + b"\n")
        elif kind == 1: st.write(status(dev, "0", random.choice(["1e400", "9007199254740993", "-1"])).encode() + b"\n")
        elif kind == 2: ev.write(json.dumps(event(dev, i)).encode().replace(b"m-1", b"m-\xff") + b"\n")
        elif kind == 3: ev.write(json.dumps(event(dev, i)).replace("m-1", "m-\\ud800").encode() + b"\n")
        elif kind == 4: ev.write(json.dumps(event(dev, i, "calf\\")).encode() + b"\n")
        elif kind == 5: ev.write(bytes(random.randrange(1, 256) for _ in range(random.randrange(1, 300))).replace(b"\n", b"x") + b"\n")
        elif kind == 6: ev.write(b'{"schema":"crampsense.event.v1","id":' + str(random.random()).encode() + b"}\n")
        else: st.write(json.dumps(event(dev, i)).encode() + b"\n")
PY
  for d in $(seq 0 $((devices - 1))); do
    dev=$(printf 'fuzz-%03d' "$d")
    mosquitto_pub -p "$mqtt" -q 1 -t "crampsense/v1/$dev/event" -l < "$work/ev-$d" &
    mosquitto_pub -p "$mqtt" -q 1 -t "crampsense/v1/$dev/status" -l < "$work/st-$d" &
  done
  for i in $(seq 1 20); do
    mosquitto_pub -p "$mqtt" -q 1 -t crampsense/v1/fuzz-000/event -f "$work/60k"
    mosquitto_pub -p "$mqtt" -q 1 -t crampsense/v1/fuzz-000/event -f "$work/100k"
  done
  for i in 1 2 3; do mosquitto_pub -p "$mqtt" -q 1 -t crampsense/v1/fuzz-001/event -f "$work/64m"; done
  wait $(jobs -p | grep -v -e "^$bridge_pid$" -e "^$mosquitto_pid$" -e "^$vm_pid$") 2>/dev/null || true
  expected=$((round * devices * 400 + round * 20))
  for attempt in $(seq 1 240); do
    status=$(mosquitto_sub -p "$mqtt" -t crampsense/v1/_bridge/fuzz/status -C 1 -W 2 2>/dev/null || true)
    received=$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("received", 0))' 2>/dev/null || echo 0)
    unacked=$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("unacknowledged", 0))' 2>/dev/null || echo 0)
    [ "$received" -ge "$expected" ] && [ "$unacked" -eq 0 ] && break
    sleep 0.5
  done
  echo "round $round: $(rss) status: $status"
done

#!/usr/bin/env bash
# Whole-process speed and peak memory of `crampsense replay` and `crampsense evaluate` (issue 17 §1).
# Generates the recordings (night-cramp, seed 3: 1 h × 1 site, 1 h × 4 sites, 4 h × 8 sites), runs each replay
# RUNS times under /usr/bin/time and prints wall and CPU seconds, samples/s (channel-samples per wall second) and
# peak RSS (first a 1-second replay: start-up), then the same for evaluate over a folder (FOLDER, default ../shared/data/foreign-emg-dev).
# Targets: 1 site ≥ 5 M samples/s, 4 sites ≥ 8 M channel-samples/s, peak RSS ≤ 80 MB everywhere.
#
# Usage: tests/tools/measure_replay.sh [work-dir]   (from the repository root; builds the CLI in Release)
#   CLI=path/to/crampsense.dll  measure another build (e.g. main's, back-to-back)
#   R2R=1  publish the CLI ReadyToRun (linux-x64, framework-dependent, into work-dir/cli-r2r) and measure that:
#     precompiled code cuts start-up and the time the hot loop spends before it is optimised (docs/measurements.md)
#   BASE=path/to/other/crampsense.dll  side by side: every run of a case alternates BASE's build and this one
#     (rows labelled "base" and "this"), so both see the same load
#   RUNS=3  runs per case;  LONG=0  skip the 4 h × 8 sites case (about 2 GB of CSV);  FOLDER=dir for evaluate
# Numbers vary with the machine's load: report `uptime` beside them (printed first and last).
set -euo pipefail

work=${1:-${TMPDIR:-/tmp}/crampsense-measure-replay}
runs=${RUNS:-2}
long=${LONG:-1}
folder=${FOLDER:-../shared/data/foreign-emg-dev}
cli=${CLI:-}
built="given build"
if [[ -z "$cli" && "${R2R:-0}" == 1 ]]; then
  nice -n 19 dotnet publish src/CrampSense.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$work/cli-r2r" -v quiet -nologo >/dev/null
  cli=$work/cli-r2r/crampsense.dll
  built="ReadyToRun, published from $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
elif [[ -z "$cli" ]]; then
  nice -n 19 dotnet build src/CrampSense.Cli -c Release -v quiet -nologo >/dev/null
  cli=src/CrampSense.Cli/bin/Release/net10.0/crampsense.dll
  built="built from $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
fi
cli=$(realpath "$cli")
base=${BASE:+$(realpath "$BASE")}
mkdir -p "$work"
echo "# $(uptime); $(nproc) cores; $cli ($built)${base:+; base $base}"

# name duration sites
cases=("h1x1 1h calf" "h1x4 1h calf,hamstring,quad,shin")
if [[ "$long" == 1 ]]; then
  cases+=("h4x8 4h calf,hamstring,quad,shin,calf_r,hamstring_r,quad_r,shin_r")
fi

for c in "${cases[@]}"; do
  read -r name duration sites <<<"$c"
  if [[ ! -s "$work/$name.csv" ]]; then
    nice -n 19 dotnet "$cli" simulate -s night-cramp -d "$duration" --sites "$sites" --seed 3 -o "$work/$name.csv" >/dev/null
  fi
done

# Start-up: the first second of the 1-site recording (runtime, model load, detector set-up, 1 000 rows).
[[ -s "$work/startup.csv" ]] || head -n 1002 "$work/h1x1.csv" >"$work/startup.csv"

printf '%-32s %8s %8s %8s %14s %8s\n' case wall_s user_s sys_s samples_per_s rss_mb
measure() { # label channel-samples crampsense-arguments...
  local label=$1 samples=$2
  shift 2
  if [[ -n "$base" ]]; then
    measure_one "$label base" "$samples" dotnet "$base" "$@"
    label="$label this"
  fi
  measure_one "$label" "$samples" dotnet "$cli" "$@"
}
measure_one() { # label channel-samples command...
  local label=$1 samples=$2
  shift 2
  local timing="$work/time.txt"
  /usr/bin/time -o "$timing" -f '%e %U %S %M' nice -n 19 "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  read -r wall user sys rss <"$timing"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$samples" \
    'BEGIN { printf "%-32s %8.2f %8.2f %8.2f %14.0f %8.1f\n", l, w, u, s, n / w, r / 1024 }'
}

for ((i = 1; i <= runs; i++)); do
  measure "replay startup (1 s)" 1000 replay "$work/startup.csv"
done

for c in "${cases[@]}"; do
  read -r name duration sites <<<"$c"
  rows=$(($(wc -l <"$work/$name.csv") - 2))
  channels=$(awk -F, '{ print NF }' <<<"$sites")
  for ((i = 1; i <= runs; i++)); do
    measure "replay $name" $((rows * channels)) replay "$work/$name.csv"
  done
done

if [[ -d "$folder" ]]; then
  samples=0
  for f in "$folder"/*.csv; do
    n=$(($(wc -l <"$f") - 2))
    ch=$(sed -n 2p "$f" | tr ',' '\n' | grep -c '^emg\.' || true)
    samples=$((samples + n * ch))
  done
  for ((i = 1; i <= runs; i++)); do
    measure "evaluate $(basename "$folder")" "$samples" evaluate "$folder"
  done
fi
echo "# $(uptime)"

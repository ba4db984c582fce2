#!/bin/sh
# Personal adaptation (issue 16 §5), measured on simulated wearers: each wearer (--wearer-seed) has one voluntary habit
# (the habit-holds scenario: long holds of one site, no co-activation, no movement, no posture change) on a two-site
# wearable without accelerometer, so the base detector calls every hold a cramp. The first 5 holds it calls cramps in a
# 15-min recording are the wearer's rejected events (train --personal --examples 5); false alarms are then counted on a
# NEW 30-min recording of the same habit, and recall on two new 40-min night-cramp recordings of the same wearer (about
# 4 cramps), with the base and with the personal profile. Seeds 81000+ (train), 82000+ (new habit), 83000+/84000+
# (cramps): no other set uses them.
# Usage: tests/tools/personal-adaptation.sh [wearers per engine] [check hours] [first wearer]   (Release CLI built first)
# The first wearer (default 1) picks new wearers: "4 0.5 7" measures wearers 7-10 and 107-110. CRAMPSENSE_DLL runs
# another build (e.g. main's, for a before/after) instead of this worktree's Release CLI.
set -eu
WEARERS=${1:-8}
CHECK=${2:-0.5}
FIRST=${3:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI="dotnet ${CRAMPSENSE_DLL:-$ROOT/src/CrampSense.Cli/bin/Release/net10.0/crampsense.dll}"
WORK=$(mktemp -d /tmp/personal-adaptation.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
counts() { # prints "matched true false_alarms" from evaluate's summary line
  sed -n 's/.*(\([0-9]*\) of \([0-9]*\) cramps found, \([0-9]*\) false alarms.*/\1 \2 \3/p'
}
echo "| wearer | engine | habit (hold s, level, ramp s, site, wobble) | rejected used | learnt | FA before | FA after | FA fall | cramps | recall before | recall after |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for engine in motor-unit stochastic; do
  w=$FIRST
  while [ "$w" -lt $((FIRST + WEARERS)) ]; do
    [ "$engine" = stochastic ] && id=$((w + 100))
    [ "$engine" = motor-unit ] && id=$w
    d="$WORK/w$id"; mkdir -p "$d/train" "$d/new"
    common="--engine $engine --wearer-seed $((5000 + id)) --sites calf,shin --no-accelerometer"
    $CLI simulate --scenario habit-holds --duration 15m --seed $((81000 + id)) $common --out "$d/train/habit.csv" >/dev/null
    $CLI simulate --scenario habit-holds --duration 30m --seed $((82000 + id)) $common --out "$d/new/habit.csv" >/dev/null
    $CLI simulate --scenario night-cramp --duration 40m --seed $((83000 + id)) $common --out "$d/new/cramps-1.csv" >/dev/null
    $CLI simulate --scenario night-cramp --duration 40m --seed $((84000 + id)) $common --out "$d/new/cramps-2.csv" >/dev/null
    habit=$(head -1 "$d/train/habit.csv" | tr ' ' '\n' | sed -n 's/^habit\.\(site\|level\|ramp_s\|wobble\|hold_s\)=//p' | paste -sd, -)
    if $CLI train --personal --data "$d/train" --examples 5 --check-hours "$CHECK" --out "$d/personal.json" >"$d/train.log" 2>&1; then
      after=$(sed -n 's/.*a cramp once it lasts \([0-9.]*\) s.*/\1/p' "$d/train.log" | head -1)
      learnt="yes${after:+ (a cramp after $after s)}"; profile="--profile $d/personal.json"
    else
      learnt="no: $(grep -o 'refused[^;]*\|cannot be told[^;]*' "$d/train.log" | head -1)"; profile=""
    fi
    used=$(sed -n 's/.*: \([0-9]*\) rejected,.*/\1/p' "$d/train.log")
    set -- $($CLI evaluate "$d/new/habit.csv" | counts); fa0=$3
    set -- $($CLI evaluate "$d/new/cramps-1.csv" "$d/new/cramps-2.csv" | counts); m0=$1; t=$2
    if [ -n "$profile" ]; then
      set -- $($CLI evaluate "$d/new/habit.csv" $profile | counts); fa1=$3
      set -- $($CLI evaluate "$d/new/cramps-1.csv" "$d/new/cramps-2.csv" $profile | counts); m1=$1
    else
      fa1=$fa0; m1=$m0
    fi
    fall=$(awk -v a="$fa0" -v b="$fa1" 'BEGIN { if (a == 0) print "–"; else printf "%.0f %%", 100 * (a - b) / a }')
    echo "| $id | $engine | $habit | $used | $learnt | $fa0 | $fa1 | $fall | $t | $m0/$t | $m1/$t |"
    w=$((w + 1))
  done
done

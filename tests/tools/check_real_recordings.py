#!/usr/bin/env python3
"""Runs the whole detector over every real recording in shared/data/emg and prints the table of models/README.md
("Real recordings").

Each recording is converted with `crampsense import` (the project's importers), replayed with `crampsense replay
--windows`, and summarised per site: events by kind, windows carrying each quality flag, and the longest run of
active windows (a sustained contraction of at least 5 s is what the rule calls a cramp when it has no context).

    dotnet build -c Release src/CrampSense.Cli
    python3 tests/tools/check_real_recordings.py [--crampsense 'dotnet src/CrampSense.Cli/bin/Release/net10.0/crampsense.dll']
        [--data ../shared/data/emg] [--work /tmp/real-recordings] [--full-scale-mv 8.25]

Exit status 0 when no recording produced a cramp_started, 1 otherwise (the table is printed either way).
"""

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
from collections import Counter, defaultdict

# (folder, file, importer, site for single-channel sources, what it is)
RECORDINGS = [
    ("biosppy-examples", "emg.txt", "biosppy", "emg", "1-ch sEMG, quiet baseline (faint activity at 38 s, 50-58 s)"),
    ("biosppy-examples", "emg_1.txt", "biosppy", "emg", "1-ch sEMG, rest with bursts at 1, 15-17, 25-27, 36-41 s; 288 duplicated 20-sample blocks"),
    ("physionet-emgdb", "emg_healthy.csv", "physionet", "tibialis", "needle EMG, tibialis anterior, healthy; gentle dorsiflexion then relax"),
    ("physionet-emgdb", "emg_myopathy.csv", "physionet", "tibialis", "needle EMG, tibialis anterior, myopathy; gentle dorsiflexion then relax"),
    ("physionet-emgdb", "emg_neuropathy.csv", "physionet", "tibialis", "needle EMG, tibialis anterior, neuropathy; large sparse discharges"),
    ("plux-biosignalsnotebooks", "emg_fatigue_biceps.csv", "plux", "biceps", "1-ch sEMG, biceps, ~30 cyclic flexion/extension cycles of ~4 s (fatigue run), rest at the end"),
    ("plux-biosignalsnotebooks", "emg_bursts_biceps.csv", "plux", "biceps", "1-ch sEMG, biceps, ~9 bursts of 1-2 s"),
    ("plux-biosignalsnotebooks", "emg_adductor_pollicis.csv", "plux", "adductor", "1-ch sEMG, adductor pollicis, ~20 contractions of 1-2 s with 2-4 s rest"),
    ("uci-emg-gestures-myo", "01/1_raw_data_13-12_22.03.16.txt", "uci-myo", None, "8-ch forearm sEMG (MYO, int8), held gestures ~3 s with ~3 s pauses"),
    ("uci-emg-gestures-myo", "01/2_raw_data_13-13_22.03.16.txt", "uci-myo", None, "as above, subject 01 series 2"),
    ("uci-emg-gestures-myo", "05/1_raw_data_10-28_30.03.16.txt", "uci-myo", None, "as above, subject 05 series 1"),
    ("uci-emg-lower-limb", "N_TXT/1Nsen.txt", "uci-lower-limb", None, "4-ch thigh sEMG + knee angle, normal, sitting knee extensions (~3 s cycles)"),
    ("uci-emg-lower-limb", "N_TXT/1Npie.txt", "uci-lower-limb", None, "as above, standing knee flexions"),
    ("uci-emg-lower-limb", "A_TXT/5Asen.txt", "uci-lower-limb", None, "4-ch thigh sEMG + knee angle, knee-abnormal, sitting"),
    ("uci-emg-lower-limb", "A_TXT/5Apie.txt", "uci-lower-limb", None, "as above, standing"),
]

# SignalFaults bits (src/CrampSense.Detection/SignalFaults.cs) and their event names.
FAULTS = [(1, "railed"), (2, "flat"), (4, "nan"), (8, "dropped_samples"), (16, "clipped"), (32, "lead_off"), (64, "spike_train"), (128, "hum_burst")]
HOP_SECONDS = 0.05


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result


def header(path):
    """Sample rate and sites from a CrampSense recording's comment line and column header."""
    with open(path, encoding="utf-8") as f:
        first = f.readline()
        columns = f.readline().strip().split(",")
    rate = next(float(p.split("=")[1]) for p in shlex.split(first[1:]) if p.startswith("sample_rate_hz="))
    return rate, [c[len("emg."):] for c in columns if c.startswith("emg.")]


def longest_active_run(rows):
    """Longest run of consecutive active windows of one site, as (seconds, start_s, end_s)."""
    best = (0.0, None, None)
    start = None
    previous = None
    for row in rows:
        t = float(row["t_s"])
        if row["active"] == "1":
            start = t if start is None else start
            previous = t
            if previous - start + HOP_SECONDS > best[0]:
                best = (previous - start + HOP_SECONDS, start, previous)
        else:
            start = None
    return best


def summarise(crampsense, data, work, folder, name, importer, site, full_scale):
    source = os.path.join(data, folder, name)
    stem = os.path.join(work, f"{folder}__{name.replace('/', '_')}")
    recording = stem + ".csv"
    command = crampsense + ["import", importer, source, "--out", recording] + (["--site", site] if site else [])
    imported = run(command).stdout.strip().splitlines()
    replay = crampsense + ["replay", recording, "--windows", stem + ".windows.csv"] + (["--full-scale-mv", full_scale] if full_scale else [])
    replayed = run(replay)
    events = [json.loads(line) for line in replayed.stdout.splitlines() if line.startswith("{")]
    warnings = [line for line in replayed.stderr.splitlines() if line.strip() and not line.startswith(os.path.basename(recording) + ":")]
    rate, sites = header(recording)
    windows = defaultdict(list)
    with open(stem + ".windows.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            windows[row["site"]].append(row)
    duration = max((float(r["t_s"]) for rows in windows.values() for r in rows), default=0.0)
    per_site = {}
    for s in sites:
        rows = windows.get(s, [])
        flags = Counter()
        for row in rows:
            bits = int(row["faults"])
            for bit, flag in FAULTS:
                if bits & bit:
                    flags[flag] += 1
        kinds = Counter(e["type"] for e in events if e["site"] == s)
        cramps = [(e["onset_s"], e.get("end_s")) for e in events if e["site"] == s and e["type"] == "cramp_ended"]
        cramps += [(e["onset_s"], None) for e in events if e["site"] == s and e["type"] == "cramp_started" and not any(c[0] == e["onset_s"] for c in cramps)]
        per_site[s] = {"windows": len(rows), "flags": flags, "events": kinds, "cramps": cramps, "longest": longest_active_run(rows)}
    return {"rate": rate, "sites": sites, "duration": duration, "per_site": per_site, "warnings": warnings, "import": imported}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crampsense", default="dotnet src/CrampSense.Cli/bin/Release/net10.0/crampsense.dll")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "emg"))
    parser.add_argument("--work", default="/tmp/real-recordings")
    parser.add_argument("--full-scale-mv", default=None, help="passed to replay; default none (the recordings' front ends are not ours: clipping inferred)")
    args = parser.parse_args()
    crampsense = shlex.split(args.crampsense)
    data = os.path.abspath(args.data) if os.path.isdir(args.data) else "/work/shared/data/emg"
    os.makedirs(args.work, exist_ok=True)

    print("| recording | what it is | sites | rate | duration | events (kind × site) | flagged windows (flag: windows of site-windows) | longest activation |")
    print("|---|---|---|---|---|---|---|---|")
    total_cramps = 0
    for folder, name, importer, site, what in RECORDINGS:
        r = summarise(crampsense, data, args.work, folder, name, importer, site, args.full_scale_mv)
        site_windows = sum(p["windows"] for p in r["per_site"].values())
        events = []
        flags = Counter()
        longest = (0.0, None, None, None)
        for s, p in r["per_site"].items():
            events += [f"{k} {n} × {s}" for k, n in sorted(p["events"].items())]
            events += [f"(cramp {on:.1f}–{end:.1f} s)" if end is not None else f"(cramp from {on:.1f} s)" for on, end in p["cramps"]]
            flags.update(p["flags"])
            if p["longest"][0] > longest[0]:
                longest = (*p["longest"], s)
            total_cramps += p["events"].get("cramp_started", 0)
        flag_text = ", ".join(f"{f}: {n}" for f, n in sorted(flags.items())) or "none"
        longest_text = f"{longest[0]:.1f} s ({longest[3]}, {longest[1]:.1f}–{longest[2]:.1f} s)" if longest[3] else "none"
        print(f"| {folder}/{name} | {what} | {len(r['sites'])} | {r['rate']:g} Hz | {r['duration']:.1f} s | {'; '.join(events) or 'none'} | {flag_text} (of {site_windows}) | {longest_text} |")
        for w in r["warnings"]:
            print(f"|  | warning: {w} | | | | | | |")
    print()
    print(f"cramp_started events over {len(RECORDINGS)} recordings: {total_cramps}")
    return 0 if total_cramps == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

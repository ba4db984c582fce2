#!/usr/bin/python3
"""Writes perturbed copies of recordings (docs/recording-format.md v1, with their `.truth.json` sidecars) for the
detector's perturbation audit (docs/detector.md, "Perturbation audit"): other gains, noise floors, mains, DC and
baseline wander, sample rates, ADC resolutions, and recordings with less context (no accelerometer, no skin
temperature, one site).

Needs numpy and scipy from Debian (no pip): `apt-get install -y python3-numpy python3-scipy`, and Debian's own
interpreter (`/usr/bin/python3`; a pyenv `python3` earlier on the PATH does not see Debian's packages).

    /usr/bin/python3 tests/tools/perturb_recordings.py IN... --out DIR [perturbations] [--seed N]
    /usr/bin/python3 tests/tools/perturb_recordings.py --self-test [--crampsense 'dotnet .../crampsense.dll']

IN is a recording or a folder of them (*.csv, not recursive; --only NAME writes one file of them as the whole run
would, its log in perturbation-only.json). Each output keeps its file name, gets its sidecar
(adjusted, below) and a line in DIR/perturbation.json (what was done, the floor measured, the share of samples at
the rails). Perturbations, applied in the order of a front end (every one optional; several may be combined):

  --rate HZ            resample the EMG to 500/1000/2000/4000 Hz (scipy resample_poly, its anti-alias filter); the
                       temperature and IMU samples move to the nearest new row; truth times are unchanged
  --floor-x K          add white or pink (--noise pink) noise so that the in-band (20-450 Hz) rest floor rises K times
                       (K 2-5; the floor is measured on the file: the 10th percentile of 250-ms RMS, 50/60-Hz lines
                       notched out; the noise level is set so that the same estimator gives K times the floor afterwards)
  --mains-hz 50|60 --mains-uv A [--mains-drift-hz D] [--mains-drift-period-s P] [--mains-harmonics 2:0.1,3:0.3,5:0.15]
                       add mains hum: fundamental peak A uV (10-200) drifting within +-D Hz (default 0.3) over a period
                       P (default 60-600 s, drawn per file) and harmonics (relative amplitudes); common to all sites in
                       phase, amplitude 0.7-1.3 x A per site. It is added to every sample, also where the recording's
                       own channel is flat or railed (a fault the hum then hides)
  --dc-offset-mv X     add a DC offset; --wander-mv A [--wander-hz F]: add a slow baseline wander up to +-A mV below F Hz
  --gain K             multiply everything by K (0.05-20), as a front end with another gain: the rails stay where the
                       ADC has them, so large gains clip
  --adc-bits B         re-quantise to B bits (10 or 12) over the ADC's range
  --drop acc|temp      remove the accelerometer or the skin-temperature columns (repeatable)
  --single-site SITE|auto   keep one EMG site only (auto: the site with the most cramp time, else with the most
                       voluntary time, else the first)

The ADC's range: --full-scale-mv FS (+-FS mV at the electrodes), else the recording's `full_scale_mv` metadata (per
site `full_scale_mv.<site>`), else `adc.full_scale_mV` of a `<name>.generator.json` beside it (foreign-emg-dev).
The ADC's resolution: --adc-bits, else `front_end.adc_bits`, else the generator's `adc.bits`. Every output sample goes
through the ADC (clip to the rails, round to the code) when the range is known; without a range the signal is
neither clipped nor quantised, and --gain above 1 is refused.

Sidecar: intervals of removed sites are dropped. Removing context can turn a voluntary hold into what the rule calls
a cramp (a sustained >= 5 s contraction without evidence of intent): where a `<name>.generator.json` gives an
interval's context flags (imu_motion, posture_change, coactivation, rhythmic), a voluntary interval of >= 5 s whose
remaining context is empty is relabelled `cramp` (dropping the accelerometer removes motion and posture change, a
single site removes co-activation; a rhythm stays in the EMG). Without context flags nothing is relabelled, and the
voluntary intervals of >= 5 s that lost possible context are listed in perturbation.json as `context_unknown`.

Measurement tool only: it fits nothing to the recordings it reads.
"""

import argparse
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy import signal
except ImportError:  # pragma: no cover
    sys.exit("perturb_recordings.py needs numpy and scipy: apt-get install -y python3-numpy python3-scipy, "
             "and run it with /usr/bin/python3")

RATES = (500, 1000, 2000, 4000)
MINIMUM_CRAMP_SECONDS = 5.0  # the rule's minimum (CrampEventTrackerOptions.MinimumCrampSeconds)
BAND_HZ = (20.0, 450.0)      # the detector's band-pass (docs/signal-pipeline.md, the filter table)
FLOOR_WINDOW_S = 0.25        # the detector's window
FLOOR_PERCENTILE = 10        # as PersonalProfileBuilder's rest floor: twitches during rest do not raise it


class Recording:
    """One recording in memory: metadata, column names and the parsed columns."""

    def __init__(self):
        self.comment = None       # the comment line as read (its metadata parsed below), or None
        self.metadata = {}        # free metadata (sample_rate_hz excluded)
        self.rate = None
        self.header = []
        self.t_text = []          # original t_s strings (kept when the rate is unchanged)
        self.t = None             # float64 seconds
        self.emg = {}             # site -> float64 mV
        self.sparse = {}          # column -> (row indices, float64 values) for temp.skin, acc.*

    @property
    def sites(self):
        return [c[4:] for c in self.header if c.startswith("emg.")]


_META_TOKEN = re.compile(r'\s*([A-Za-z][A-Za-z0-9_.\-]*)=("(?:[^"\\]|\\.)*"|\S*)')


def parse_comment(line, source):
    body = line[1:].strip()
    parts = body.split(None, 2)
    if len(parts) < 2 or parts[0] != "crampsense-recording" or parts[1] != "v1":
        raise ValueError(f"{source} line 1: not a crampsense-recording v1 comment line")
    rest = parts[2] if len(parts) > 2 else ""
    metadata = {}
    pos = 0
    while pos < len(rest):
        m = _META_TOKEN.match(rest, pos)
        if not m:
            if rest[pos:].strip() == "":
                break
            raise ValueError(f"{source} line 1: cannot parse metadata at '{rest[pos:pos + 40]}'")
        key, value = m.group(1), m.group(2)
        if value.startswith('"'):
            value = re.sub(r'\\(.)', r'\1', value[1:-1])
        metadata[key] = value
        pos = m.end()
    return metadata


def format_meta_value(value):
    if value == "" or re.search(r'[\s"\\]', value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def read_recording(path):
    rec = Recording()
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if lines[i].startswith("#"):
        rec.comment = lines[i]
        rec.metadata = parse_comment(lines[i], path)
        rec.rate = float(rec.metadata.pop("sample_rate_hz"))
        i += 1
    while not lines[i].strip():
        i += 1
    rec.header = [c.strip() for c in lines[i].split(",")]
    if rec.header[0] != "t_s":
        raise ValueError(f"{path}: the first column must be t_s")
    rows = [ln.split(",") for ln in lines[i + 1:] if ln.strip()]
    columns = list(zip(*rows))
    rec.t_text = [s.strip() for s in columns[0]]
    rec.t = np.array(rec.t_text, dtype=np.float64)
    for name, cells in zip(rec.header[1:], columns[1:]):
        if name.startswith("emg."):
            rec.emg[name[4:]] = np.array(cells, dtype=np.float64)
        else:
            idx = [k for k, c in enumerate(cells) if c.strip()]
            rec.sparse[name] = (np.array(idx, dtype=np.int64), np.array([cells[k] for k in idx], dtype=np.float64))
    if rec.rate is None:
        # docs/recording-format.md §2: 1 / median positive spacing of the first 11 rows, 6 significant digits
        d = np.diff(rec.t[:11])
        rec.rate = float(f"{1.0 / np.median(d[d > 0]):.6g}")
    return rec


def time_decimals(rate):
    """Fewest decimals (at most 9) that give every multiple of the sample period exactly (recording-format §3)."""
    for d in range(0, 10):
        if abs(10 ** d / rate - round(10 ** d / rate)) < 1e-9:
            return d
    return 9


def write_recording(rec, path, time_strings):
    columns = [time_strings]
    n = len(time_strings)
    for name in rec.header[1:]:
        if name.startswith("emg."):
            v = rec.emg[name[4:]].astype(np.float32).astype(np.float64)
            columns.append(list(map("{:.7g}".format, v.tolist())))
        else:
            idx, vals = rec.sparse[name]
            cells = [""] * n
            for k, val in zip(idx.tolist(), vals.tolist()):
                cells[k] = "{:.7g}".format(val)
            columns.append(cells)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if rec.comment is not None:
            meta = " ".join(f"{k}={format_meta_value(v)}" for k, v in sorted(rec.metadata.items()))
            f.write(f"# crampsense-recording v1 sample_rate_hz={rec.rate:g}" + (f" {meta}" if meta else "") + "\n")
        f.write(",".join(rec.header) + "\n")
        f.write("\n".join(map(",".join, zip(*columns))))
        f.write("\n")


def generator_json(path):
    g = os.path.splitext(path)[0] + ".generator.json"
    if os.path.exists(g):
        with open(g) as f:
            return json.load(f)
    return None


def full_scales(rec, gen, override):
    """± mV per site, or None per site when the range is unknown."""
    result = {}
    for site in rec.sites:
        value = override
        if value is None:
            text = rec.metadata.get(f"full_scale_mv.{site}") or rec.metadata.get("full_scale_mv") \
                or rec.metadata.get(f"subject.{site}.full_scale_mv")
            if text is not None:
                if ":" in text:
                    lo, hi = (float(x) for x in text.split(":"))
                    value = (lo, hi)
                else:
                    value = float(text)
        if value is None and gen is not None and gen.get("adc", {}).get("full_scale_mV"):
            value = float(gen["adc"]["full_scale_mV"])
        if isinstance(value, float):
            value = (-value, value)
        result[site] = value
    return result


def adc_bits(rec, gen, override):
    if override is not None:
        return override
    if "front_end.adc_bits" in rec.metadata:
        return int(rec.metadata["front_end.adc_bits"])
    if gen is not None and gen.get("adc", {}).get("bits"):
        return int(gen["adc"]["bits"])
    return None


def band_pass(x, rate):
    high = min(BAND_HZ[1], 0.45 * rate)
    sos = signal.butter(4, [BAND_HZ[0], high], btype="bandpass", fs=rate, output="sos")
    return signal.sosfiltfilt(sos, x)


def without_mains(y, rate):
    """Notches (Q 30) at 50 and 60 Hz and their harmonics below 0.45·fs: the floor is the muscle's and the
    electrodes', not the hum the detector's canceller removes (a file's hum can be several times its floor)."""
    for f0 in (50.0, 60.0):
        for h in range(1, 40):
            if h * f0 >= 0.45 * rate:
                break
            b, a = signal.iirnotch(h * f0, 30.0, fs=rate)
            y = signal.filtfilt(b, a, y)
    return y


def rest_floor(x, rate):
    """In-band rest floor, mV RMS: the 10th percentile of the 250-ms window RMS of the band-passed signal without
    the mains lines."""
    y = without_mains(band_pass(x - np.mean(x), rate), rate)
    w = int(round(FLOOR_WINDOW_S * rate))
    k = len(y) // w
    rms = np.sqrt(np.mean(y[:k * w].reshape(k, w) ** 2, axis=1))
    return float(np.percentile(rms, FLOOR_PERCENTILE))


def pink_noise(n, rate, rng):
    """1/f noise from 0.5 Hz up (spectral shaping of white noise), unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / rate)
    shape = np.zeros_like(f)
    shape[f >= 0.5] = 1.0 / np.sqrt(f[f >= 0.5])
    y = np.fft.irfft(spectrum * shape, n)
    return y / np.std(y)


def mains_hum(n, rate, f0, peak_uv, drift_hz, period_s, harmonics, rng):
    """Hum in mV: fundamental peak `peak_uv` µV; its frequency wanders within ±drift_hz: a sinusoid of period
    `period_s` (default drawn from 60-600 s; grids move by mHz/s, EN 50160 allows ±1 % over a week) plus a bounded,
    smoothed random walk. A short period (e.g. 10 s) is a stress test, not a grid."""
    t = np.arange(n) / rate
    if period_s is None:
        period_s = rng.uniform(60, 600)
    walk = np.cumsum(rng.standard_normal(n)) / math.sqrt(rate * period_s)
    if n > 30:
        walk = signal.sosfiltfilt(signal.butter(1, min(0.2, 2.0 / period_s), fs=rate, output="sos"), walk)
    raw = 0.8 * np.sin(2 * np.pi * t / period_s + rng.uniform(0, 2 * np.pi)) + 0.2 * np.tanh(walk)
    drift = drift_hz * np.clip(raw, -1.0, 1.0)
    phase = 2 * np.pi * np.cumsum(f0 + drift) / rate
    hum = np.sin(phase)
    for h, rel in harmonics:
        if h * (f0 + drift_hz) < 0.5 * rate - 5.0:
            hum = hum + rel * np.sin(h * phase + rng.uniform(0, 2 * np.pi))
    return hum * peak_uv * 1e-3, period_s


def baseline_wander(n, rate, peak_mv, max_hz, rng):
    t = np.arange(n) / rate
    w = np.zeros(n)
    for _ in range(3):
        w += rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * rng.uniform(0.2, 1.0) * max_hz * t + rng.uniform(0, 2 * np.pi))
    return w * peak_mv / max(np.max(np.abs(w)), 1e-12)


def adc(x, scale, bits):
    """Clip to the rails and round to the ADC's code (codes 0 .. 2^bits − 1 over [low, high])."""
    low, high = scale
    if bits is None:
        return np.clip(x, low, high)
    lsb = (high - low) / (2 ** bits)
    codes = np.clip(np.round((x - low) / lsb), 0, 2 ** bits - 1)
    return low + codes * lsb


def choose_site(rec, truth, wanted):
    sites = rec.sites
    if wanted != "auto":
        if wanted not in sites:
            raise ValueError(f"no site '{wanted}' (sites: {', '.join(sites)})")
        return wanted
    for kind in ("cramp", "voluntary"):
        time = {s: 0.0 for s in sites}
        for iv in truth.get("intervals", []):
            if iv["kind"] == kind and iv["site"] in time:
                time[iv["site"]] += iv["end_s"] - iv["start_s"]
        best = max(sites, key=lambda s: (time[s], -sites.index(s)))
        if time[best] > 0:
            return best
    return sites[0]


def adjust_truth(truth, gen, kept_sites, removed_context, log):
    """Drops intervals of removed sites; relabels voluntary intervals >= the minimum that lost all context."""
    context_by_interval = {}
    if gen is not None:
        for iv in gen.get("intervals", []):
            if "context" in iv and iv.get("context") is not None:
                context_by_interval[(iv["site"], round(iv["start_s"], 3))] = iv["context"]
    out = []
    for iv in truth.get("intervals", []):
        if kept_sites is not None and iv["site"] not in kept_sites:
            continue
        iv = dict(iv)
        long_enough = iv["end_s"] - iv["start_s"] >= MINIMUM_CRAMP_SECONDS
        if iv["kind"] == "voluntary" and long_enough and removed_context:
            context = context_by_interval.get((iv["site"], round(iv["start_s"], 3)))
            if context is None:
                log.setdefault("context_unknown", []).append([iv["site"], iv["start_s"], iv["end_s"]])
            else:
                remaining = [k for k, v in context.items() if v and k not in removed_context]
                if not remaining:
                    iv["kind"] = "cramp"
                    log.setdefault("relabelled_cramp", []).append([iv["site"], iv["start_s"], iv["end_s"]])
        out.append(iv)
    return {"version": truth.get("version", 1), "intervals": out}


def perturb(path, out_dir, a, rng):
    rec = read_recording(path)
    gen = generator_json(path)
    sidecar = os.path.splitext(path)[0] + ".truth.json"
    truth = json.load(open(sidecar)) if os.path.exists(sidecar) else None
    log = {"file": os.path.basename(path), "rate_in": rec.rate}
    n = len(rec.t)
    nominal = np.arange(n) / rec.rate + rec.t[0]
    if np.max(np.abs(rec.t - nominal)) > 0.5 / rec.rate and a.rate is not None:
        raise ValueError(f"{path}: t_s is not uniform (gaps or jitter); resampling needs a uniform clock")

    scales = full_scales(rec, gen, a.full_scale_mv)
    bits = adc_bits(rec, gen, a.adc_bits)
    if a.gain is not None and a.gain > 1 and any(s is None for s in scales.values()):
        raise ValueError(f"{path}: the ADC's range is unknown (no full_scale_mv metadata, no generator.json): "
                         "give --full-scale-mv so that the gain clips where the front end would")
    log.update(full_scale_mv={s: (None if v is None else list(v)) for s, v in scales.items()}, adc_bits=bits)

    # 1. sample rate
    rate = rec.rate
    if a.rate is not None and a.rate != rec.rate:
        from fractions import Fraction
        ratio = Fraction(int(a.rate), int(round(rec.rate)))
        for site in rec.sites:
            rec.emg[site] = signal.resample_poly(rec.emg[site], ratio.numerator, ratio.denominator)
        rate = float(a.rate)
        n = len(next(iter(rec.emg.values())))
        for name, (idx, vals) in rec.sparse.items():
            new_idx = np.clip(np.round((rec.t[idx] - rec.t[0]) * rate).astype(np.int64), 0, n - 1)
            keep = np.concatenate(([True], np.diff(new_idx) > 0)) if len(new_idx) else new_idx.astype(bool)
            rec.sparse[name] = (new_idx[keep], vals[keep])
        d = time_decimals(rate)
        step = round(10 ** d / rate)
        t0 = round(rec.t[0] * 10 ** d)
        ticks = t0 + step * np.arange(n, dtype=np.int64)
        time_strings = [f"{q}.{r:0{d}d}" if d else str(q) for q, r in zip((ticks // 10 ** d).tolist(), (ticks % 10 ** d).tolist())]
        rec.rate = rate
    else:
        time_strings = rec.t_text
    log["rate_out"] = rate

    # 2. analogue nuisances at the electrodes, per site
    harmonics = []
    if a.mains_harmonics:
        for part in a.mains_harmonics.split(","):
            h, rel = part.split(":")
            harmonics.append((int(h), float(rel)))
    hum = None
    if a.mains_uv:
        hum, period = mains_hum(n, rate, a.mains_hz, a.mains_uv, a.mains_drift_hz, a.mains_drift_period_s, harmonics, rng)
        log["mains_drift_period_s"] = round(period, 1)
    log["sites"] = {}
    for site in rec.sites:
        x = rec.emg[site]
        info = {}
        if a.floor_x is not None:
            floor = rest_floor(x, rate)
            noise = pink_noise(n, rate, rng) if a.noise == "pink" else rng.standard_normal(n)
            in_band = np.std(band_pass(noise, rate))
            added = floor * math.sqrt(a.floor_x ** 2 - 1.0)
            # The percentile of a sum is not the root sum of squares of the percentiles (the rest RMS fluctuates):
            # two secant steps on floor² = f0² + c·added² make the floor the same estimator measures K times the old.
            for _ in range(2):
                got = rest_floor(x + noise * (added / in_band), rate)
                added *= math.sqrt(max((a.floor_x ** 2 - 1.0) * floor ** 2, 1e-30) / max(got ** 2 - floor ** 2, 1e-30))
            x = x + noise * (added / in_band)
            info.update(floor_uv=round(floor * 1e3, 3), added_in_band_uv=round(added * 1e3, 3),
                        floor_after_uv=round(rest_floor(x, rate) * 1e3, 3))
        if hum is not None:
            factor = rng.uniform(0.7, 1.3)
            x = x + factor * hum
            info["mains_peak_uv"] = round(factor * a.mains_uv, 2)
        if a.dc_offset_mv:
            x = x + a.dc_offset_mv
        if a.wander_mv:
            x = x + baseline_wander(n, rate, a.wander_mv, a.wander_hz, rng)
        if a.gain is not None:
            x = x * a.gain
        # 3. the ADC
        if scales[site] is not None:
            x = adc(x, scales[site], bits)
            low, high = scales[site]
            lsb = (high - low) / 2 ** bits if bits else 0.0
            info["at_rails"] = round(float(np.mean((x <= low + lsb * 0.5) | (x >= high - lsb * 1.5))), 5)
        rec.emg[site] = x
        log["sites"][site] = info

    # 4. context and columns
    removed_context = set()
    kept_sites = None
    drops = set(a.drop or [])
    if "acc" in drops and "acc.x" in rec.sparse:
        for c in ("acc.x", "acc.y", "acc.z"):
            rec.sparse.pop(c)
        rec.header = [c for c in rec.header if not c.startswith("acc.")]
        removed_context |= {"imu_motion", "posture_change"}
    if "temp" in drops and "temp.skin" in rec.sparse:
        rec.sparse.pop("temp.skin")
        rec.header = [c for c in rec.header if c != "temp.skin"]
    if a.single_site:
        site = choose_site(rec, truth or {}, a.single_site)
        if len(rec.sites) > 1:
            removed_context.add("coactivation")
        rec.header = [c for c in rec.header if not c.startswith("emg.") or c == f"emg.{site}"]
        rec.emg = {site: rec.emg[site]}
        log["sites"] = {site: log["sites"][site]}
        kept_sites = {site}
    if rec.comment is not None:
        rec.metadata["perturbation"] = a.description
        for k in [k for k in rec.metadata if k.startswith("full_scale_mv.") and k[14:] not in rec.emg]:
            rec.metadata.pop(k)

    out_csv = os.path.join(out_dir, os.path.basename(path))
    write_recording(rec, out_csv, time_strings)
    if truth is not None:
        adjusted = adjust_truth(truth, gen, kept_sites, removed_context, log)
        with open(os.path.splitext(out_csv)[0] + ".truth.json", "w") as f:
            json.dump(adjusted, f, indent=1)
            f.write("\n")
    return log


def describe(a):
    parts = []
    for name in ("rate", "floor_x", "mains_uv", "mains_drift_period_s", "dc_offset_mv", "wander_mv", "gain", "adc_bits", "single_site"):
        v = getattr(a, name)
        if v is not None and v != 0:
            parts.append(f"{name}:{v:g}" if isinstance(v, (int, float)) else f"{name}:{v}")
    if a.floor_x is not None:
        parts.append(f"noise:{a.noise}")
    if a.mains_uv:
        parts.append(f"mains_hz:{a.mains_hz:g}")
    for d in a.drop or []:
        parts.append(f"drop:{d}")
    return ";".join(parts) or "none"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="*")
    p.add_argument("--out")
    p.add_argument("--seed", type=int, default=20261203)
    p.add_argument("--rate", type=float, choices=RATES)
    p.add_argument("--floor-x", type=float)
    p.add_argument("--noise", choices=("white", "pink"), default="white")
    p.add_argument("--mains-hz", type=float, choices=(50.0, 60.0), default=50.0)
    p.add_argument("--mains-uv", type=float)
    p.add_argument("--mains-drift-hz", type=float, default=0.3)
    p.add_argument("--mains-drift-period-s", type=float)
    p.add_argument("--mains-harmonics", default="2:0.1,3:0.3,5:0.15")
    p.add_argument("--dc-offset-mv", type=float)
    p.add_argument("--wander-mv", type=float)
    p.add_argument("--wander-hz", type=float, default=0.3)
    p.add_argument("--gain", type=float)
    p.add_argument("--adc-bits", type=int, choices=(10, 12))
    p.add_argument("--full-scale-mv", type=float)
    p.add_argument("--drop", action="append", choices=("acc", "temp"))
    p.add_argument("--single-site")
    p.add_argument("--only", action="append", help="write only this file name of the inputs (repeatable)")
    p.add_argument("--self-test", action="store_true")
    p.add_argument("--crampsense", help="with --self-test: also check that `crampsense replay` reads every output")
    a = p.parse_args(argv)
    if a.self_test:
        return a
    if not a.inputs or not a.out:
        p.error("give recordings or folders and --out DIR")
    if a.gain is not None and not 0.05 <= a.gain <= 20:
        p.error("--gain must lie in 0.05-20")
    if a.floor_x is not None and not 1 < a.floor_x <= 10:
        p.error("--floor-x must lie in (1, 10]")
    if a.mains_uv is not None and not 0 < a.mains_uv <= 1000:
        p.error("--mains-uv must lie in (0, 1000]")
    a.description = describe(a)
    return a


def main(argv):
    a = parse_args(argv)
    if a.self_test:
        return self_test(a.crampsense)
    files = []
    for path in a.inputs:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".csv"))
        else:
            files.append(path)
    os.makedirs(a.out, exist_ok=True)
    logs = []
    for i, path in enumerate(files):
        # one generator per file from (seed, index in the sorted inputs): the same command gives the same files, and
        # --only NAME writes just that one of them, as the whole run would
        if a.only and os.path.basename(path) not in a.only:
            continue
        logs.append(perturb(path, a.out, a, np.random.default_rng([a.seed, i])))
    with open(os.path.join(a.out, "perturbation-only.json" if a.only else "perturbation.json"), "w") as f:
        json.dump({"perturbation": a.description, "argv": argv, "files": logs}, f, indent=1)
        f.write("\n")
    print(f"{len(files)} recordings -> {a.out} ({a.description})")
    return 0


def self_test(crampsense):
    """Makes a synthetic 2-site recording (rest, a 10-s burst), runs each perturbation and checks the result."""
    rng = np.random.default_rng(1)
    rate = 1000
    n = 30 * rate
    t = np.arange(n) / rate
    emg = {s: rng.standard_normal(n) * 0.005 for s in ("calf", "shin")}
    emg["calf"][10 * rate:20 * rate] *= 20
    shin_floor = rest_floor(emg["shin"], rate)
    emg["shin"] += 0.03 * np.sin(2 * np.pi * 50.0 * t)  # 30 µV of hum, 4× the floor: not floor
    failures = []
    checks = [0]

    def check(cond, what):
        checks[0] += 1
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        path = os.path.join(src, "syn.csv")
        rec = Recording()
        rec.comment = "#"
        rec.metadata = {"full_scale_mv": "1.0", "front_end.adc_bits": "12", "scenario": "night-cramp"}
        rec.rate = rate
        rec.header = ["t_s", "emg.calf", "emg.shin", "temp.skin", "acc.x", "acc.y", "acc.z"]
        for s in emg:
            rec.emg[s] = adc(emg[s], (-1.0, 1.0), 12)
        acc_idx = np.arange(0, n, 10)
        rec.sparse = {"temp.skin": (np.arange(0, n, 1000), np.full(n // 1000, 31.5)),
                      "acc.x": (acc_idx, np.zeros(len(acc_idx))), "acc.y": (acc_idx, np.zeros(len(acc_idx))),
                      "acc.z": (acc_idx, np.ones(len(acc_idx)))}
        write_recording(rec, path, [f"{k / rate:.3f}" for k in range(n)])
        with open(os.path.join(src, "syn.truth.json"), "w") as f:
            json.dump({"version": 1, "intervals": [{"kind": "cramp", "site": "calf", "start_s": 10.0, "end_s": 20.0},
                                                   {"kind": "voluntary", "site": "shin", "start_s": 2.0, "end_s": 8.0}]}, f)
        with open(os.path.join(src, "syn.generator.json"), "w") as f:
            json.dump({"intervals": [{"site": "shin", "start_s": 2.0, "context": {"imu_motion": True, "coactivation": False}}]}, f)
        base = read_recording(path)
        cases = {
            "gain": ["--gain", "20"], "gain_small": ["--gain", "0.05"], "floor": ["--floor-x", "3"],
            "pink": ["--floor-x", "3", "--noise", "pink"], "mains": ["--mains-hz", "60", "--mains-uv", "100"],
            "dc": ["--dc-offset-mv", "0.3", "--wander-mv", "0.2"], "r500": ["--rate", "500"], "r4000": ["--rate", "4000"],
            "bits10": ["--adc-bits", "10"], "drop": ["--drop", "acc", "--drop", "temp"], "single": ["--single-site", "auto"],
            "context_free": ["--drop", "acc", "--single-site", "shin"],
        }
        for name, args in cases.items():
            out = os.path.join(tmp, name)
            check(main([path, "--out", out] + args) == 0, f"{name}: exit status")
            got = read_recording(os.path.join(out, "syn.csv"))
            truth = json.load(open(os.path.join(out, "syn.truth.json")))
            if name == "gain":
                check(np.max(got.emg["calf"]) <= 1.0 and np.mean(np.abs(got.emg["calf"][10000:20000]) >= 0.999) > 0.5,
                      "gain 20: a 0.1-mV burst must clip at the 1-mV rails")
                check(abs(np.std(got.emg["calf"][:10000]) / np.std(base.emg["calf"][:10000]) - 20) < 0.5,
                      "gain 20: the rest must scale by 20")
            if name == "gain_small":
                lsb = 2.0 / 4096
                check(np.allclose(np.round((got.emg["calf"] + 1.0) / lsb) * lsb - 1.0, got.emg["calf"], atol=1e-6),
                      "gain 0.05: samples must lie on the 12-bit code")
            if name in ("floor", "pink"):
                log = json.load(open(os.path.join(out, "perturbation.json")))["files"][0]["sites"]["shin"]
                check(abs(log["floor_uv"] / (shin_floor * 1e3) - 1) < 0.1,
                      f"{name}: floor {log['floor_uv']} uV measured under hum, {shin_floor * 1e3:.3f} without")
                ratio = rest_floor(got.emg["shin"], rate) / rest_floor(base.emg["shin"], rate)
                check(2.94 < ratio < 3.06, f"{name}: floor ratio {ratio:.3f}, expected 3")
            if name == "mains":
                f, p = signal.welch(got.emg["shin"] - base.emg["shin"], fs=rate, nperseg=4096)
                check(abs(f[np.argmax(p)] - 60) < 1.0, "mains: the added power must peak at 60 Hz")
            if name == "dc":
                check(abs(np.mean(got.emg["shin"] - base.emg["shin"]) - 0.3) < 0.1, "dc: the mean must move by 0.3 mV")
            if name in ("r500", "r4000"):
                r = int(args[1])
                check(got.rate == r and len(got.t) == 30 * r, f"{name}: {len(got.t)} rows at {got.rate} Hz")
                check(np.allclose(np.diff(got.t), 1.0 / r), f"{name}: t_s must step 1/{r} s")
                check(len(got.sparse["acc.x"][0]) == len(acc_idx), f"{name}: the IMU samples must all be kept")
                check(truth["intervals"][0]["start_s"] == 10.0, f"{name}: truth times unchanged")
            if name == "bits10":
                lsb = 2.0 / 1024
                check(np.allclose(np.round((got.emg["calf"] + 1.0) / lsb) * lsb - 1.0, got.emg["calf"], atol=1e-6),
                      "bits 10: samples must lie on the 10-bit code")
            if name == "drop":
                check(got.header == ["t_s", "emg.calf", "emg.shin"], f"drop: header {got.header}")
            if name == "single":
                check(got.sites == ["calf"], "single auto: keeps the cramp's site")
                check([iv["site"] for iv in truth["intervals"]] == ["calf"], "single: the other site's truth is dropped")
            if name == "context_free":
                check(truth["intervals"] == [{"kind": "cramp", "site": "shin", "start_s": 2.0, "end_s": 8.0}],
                      f"context-free: the 6-s voluntary hold whose only context was motion becomes a cramp: {truth}")
            if crampsense:
                res = subprocess.run(shlex.split(crampsense) + ["replay", os.path.join(out, "syn.csv")], capture_output=True, text=True)
                check(res.returncode == 0, f"{name}: crampsense replay failed: {res.stderr.strip()[:300]}")
    for fmsg in failures:
        print("FAIL", fmsg)
    print(f"self-test: {checks[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""Golden vectors for the CrampSense signal pipeline, from an independent implementation (scipy/numpy).

Run ONCE (Debian's python3-scipy: /usr/bin/python3 tests/tools/make_golden_vectors.py) and commit the output,
tests/CrampSense.Signals.Tests/golden/golden_vectors.json. The C# tests compare against that file; they never
run python.

- Filters: scipy.signal.butter(N, [lo, hi], btype='bandpass', fs=fs, output='sos') + sosfilt (zero initial
  state), scipy.signal.iirnotch + lfilter, on a fixed test signal.
- Spectral features: numpy rfft of a periodic-Hann-windowed, zero-padded window, with the definitions written
  in src/CrampSense.Signals/Features/SpectralAnalyzer.cs (mean frequency, interpolated median frequency,
  band ratios over the bins inside the pass band).
"""
import json
import os

import numpy as np
import scipy
from scipy import signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CrampSense.Signals.Tests", "golden", "golden_vectors.json")
N = 600


def test_signal(fs, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(N) / fs
    x = (1.0 + 0.5 * np.sin(2 * np.pi * 5 * t) + np.sin(2 * np.pi * 0.16 * fs * t)
         + 0.3 * np.sin(2 * np.pi * 0.3 * fs * t) + 0.2 * rng.standard_normal(N))
    return x.astype(np.float32)


def rounded(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64)]


def bandpass_case(fs, lo, hi, order, seed):
    x = test_signal(fs, seed)
    sos = signal.butter(order, [lo, hi], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfilt(sos, x.astype(np.float64))
    freqs = np.array([5, 10, lo, 0.5 * (lo + hi), np.sqrt(lo * hi), hi, min(0.49 * fs, hi * 1.1)])
    _, h = signal.sosfreqz(sos, worN=freqs, fs=fs)
    return {"fs": fs, "low_hz": lo, "high_hz": hi, "order": order, "sos": [rounded(r) for r in sos],
            "input": rounded(x), "output": rounded(y),
            "response_hz": rounded(freqs), "response_magnitude": rounded(np.abs(h))}


def notch_case(fs, f0, q, seed):
    x = test_signal(fs, seed)
    b, a = signal.iirnotch(f0, q, fs=fs)
    y = signal.lfilter(b, a, x.astype(np.float64))
    return {"fs": fs, "notch_hz": f0, "q": q, "b": rounded(b), "a": rounded(a), "input": rounded(x), "output": rounded(y)}


def spectral(x, fs, lo, hi, e1, e2):
    n = len(x)
    nfft = 1 << (n - 1).bit_length()
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)  # periodic Hann
    frame = np.zeros(nfft)
    frame[:n] = x.astype(np.float64) * w
    spec = np.fft.rfft(frame)
    p = np.abs(spec) ** 2
    df = fs / nfft
    k0 = int(np.ceil(lo / df))
    k1 = min(nfft // 2, int(np.floor(hi / df)))
    k = np.arange(k0, k1 + 1)
    f = k * df
    pb = p[k0:k1 + 1]
    total = pb.sum()
    mean = (pb * f).sum() / total
    half = total / 2
    cum = np.concatenate(([0.0], np.cumsum(pb)))
    j = int(np.argmax(cum[1:] >= half))
    median = (k[j] - 0.5) * df + df * (half - cum[j]) / pb[j]
    return {"mean_hz": float(mean), "median_hz": float(median),
            "low_ratio": float(pb[f < e1].sum() / total),
            "mid_ratio": float(pb[(f >= e1) & (f < e2)].sum() / total),
            "high_ratio": float(pb[f >= e2].sum() / total)}


def spectral_cases():
    fs, n = 1000.0, 250
    rng = np.random.default_rng(11)
    t = np.arange(n) / fs
    sos = signal.butter(4, [20, 450], btype="bandpass", fs=fs, output="sos")
    cases = []
    inputs = {
        "tone_97hz": np.sin(2 * np.pi * 97 * t),
        "two_tones": np.sin(2 * np.pi * 45 * t) + 0.5 * np.sin(2 * np.pi * 210 * t),
        "bandpassed_noise": signal.sosfilt(sos, rng.standard_normal(n + 500))[500:],
        "lowpassed_noise": signal.sosfilt(signal.butter(4, 120, fs=fs, output="sos"),
                                          signal.sosfilt(sos, rng.standard_normal(n + 500)))[500:],
    }
    for name, x in inputs.items():
        x = np.asarray(x, dtype=np.float32)
        case = {"name": name, "fs": fs, "band_low_hz": 20.0, "band_high_hz": 450.0, "low_mid_edge_hz": 60.0,
                "mid_high_edge_hz": 150.0, "input": rounded(x)}
        case.update(spectral(x, fs, 20.0, 450.0, 60.0, 150.0))
        cases.append(case)
    return cases


def main():
    doc = {
        "generator": "tests/tools/make_golden_vectors.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "bandpass": [bandpass_case(1000.0, 20.0, 450.0, 4, 1), bandpass_case(200.0, 20.0, 90.0, 4, 2)],
        "notch": [notch_case(1000.0, 50.0, 30.0, 3), notch_case(1000.0, 60.0, 30.0, 4)],
        "spectral": spectral_cases(),
    }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()

using System.Globalization;
using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class MainsInterferenceCancellerTests
{
    // Hum of the tests: the fundamental drifts ±0.5 Hz around nominal (one sine sweep per 60 s), with a 3rd
    // harmonic at 30 % and a 5th at 10 % of the fundamental wherever they lie below Nyquist.
    private const double SweepHz = 0.5;
    private const double SweepPeriodSeconds = 60;

    public static TheoryData<double, double, double, double, bool> DriftingHum => new()
    {
        // fs, mains, fundamental amplitude (mV), noise RMS (mV), coloured noise
        { 500, 50, 0.03, 0.002, false },
        { 500, 60, 1.0, 0.02, true },
        { 1000, 50, 0.3, 0.01, false },
        { 1000, 60, 0.03, 0.02, true },
        { 1000, 50, 1.0, 0.02, false },
        { 2000, 50, 0.03, 0.02, false },
        { 2000, 60, 1.0, 0.002, true },
    };

    [Theory]
    [MemberData(nameof(DriftingHum))]
    public void Process_DriftingHumWithHarmonics_RemovesTheFundamentalByAtLeast40DecibelsWithin5Seconds(double fs, double mains, double amplitude, double noiseRms, bool coloured)
    {
        const double seconds = 40;
        var hum = Hum(fs, mains, amplitude, seconds);
        var noise = coloured ? ColouredNoise((int)(fs * seconds), noiseRms, seed: 11) : TestSignals.WhiteNoise((int)(fs * seconds), noiseRms, seed: 11);
        var canceller = new MainsInterferenceCanceller(fs);
        var residual = new double[hum.Signal.Length];
        double engagedAt = double.NaN;
        for (int n = 0; n < residual.Length; n++)
        {
            residual[n] = canceller.ProcessDouble(hum.Signal[n] + noise[n]) - noise[n];
            if (double.IsNaN(engagedAt) && canceller.HumPresent)
            {
                engagedAt = n / fs;
            }
        }

        // Residual at the fundamental: coherent with the true (drifting) phase over 5 s to the end.
        int from = (int)(5 * fs);
        double fundamental = CoherentAmplitude(residual, hum.Phase, from, residual.Length);
        double suppressionDb = TestSignals.Decibels(amplitude / fundamental);
        // Measured: engaged at 3.0 s in every case (2 s window to fill, then 3 decisions 0.5 s apart); 49.8–57.4 dB.
        Assert.True(engagedAt <= 3.5, $"engaged at {engagedAt} s");
        Assert.True(suppressionDb >= 40, $"fundamental suppressed by {suppressionDb:0.0} dB");
        Assert.True(canceller.HumPresent);
        Assert.Equal(mains, canceller.MainsFrequencyHz, tolerance: SweepHz + 0.1);
        Assert.Equal(MainsInterferenceCanceller.HarmonicsBelowNyquist(mains, fs), canceller.HarmonicCount);

        // The reported level is the RMS of everything being removed (fundamental and harmonics).
        double humRms = TestSignals.Rms(Array.ConvertAll(hum.Signal[from..], v => (float)v));
        Assert.Equal(humRms, canceller.HumRms, tolerance: (0.05 * humRms) + (2 * noiseRms * 0.1));
    }

    [Theory]
    [InlineData(1000, 50, 5, 45)]
    [InlineData(2000, 60, 5, 45)]
    public void Process_DriftingHum_TracksTheMainsFrequencyAndRemovesAllHarmonics(double fs, double mains, double maxErrorMilliHz, double minTotalSuppressionDb)
    {
        // Slow sweep only: the tracked frequency follows it within a few mHz and every harmonic goes
        // (measured: 1.4 mHz and 57.9 dB in both cases).
        const double seconds = 40;
        var hum = Hum(fs, mains, 0.5, seconds, sweepPeriodSeconds: 120);
        var canceller = new MainsInterferenceCanceller(fs);
        double worstErrorHz = 0;
        double residualPower = 0;
        double humPower = 0;
        for (int n = 0; n < hum.Signal.Length; n++)
        {
            double r = canceller.ProcessDouble(hum.Signal[n]);
            if (n >= 10 * fs)
            {
                worstErrorHz = Math.Max(worstErrorHz, Math.Abs(canceller.MainsFrequencyHz - hum.Frequency[n]));
                residualPower += r * r;
                humPower += hum.Signal[n] * hum.Signal[n];
            }
        }

        Assert.True(worstErrorHz * 1000 <= maxErrorMilliHz, $"frequency error up to {worstErrorHz * 1000:0.0} mHz");
        double totalDb = 10 * Math.Log10(humPower / residualPower);
        Assert.True(totalDb >= minTotalSuppressionDb, $"all harmonics suppressed by {totalDb:0.0} dB");
    }

    [Fact]
    public void Process_HumBursts_EngagesDuringEachBurstAndReleasesBetween()
    {
        const double fs = 1000;
        var hum = Hum(fs, 50, 0.3, 36);
        var noise = TestSignals.WhiteNoise(hum.Signal.Length, 0.01, seed: 5);
        var canceller = new MainsInterferenceCanceller(fs);
        var present = new bool[hum.Signal.Length];
        for (int n = 0; n < hum.Signal.Length; n++)
        {
            double t = n / fs;
            bool on = t < 10 || (t >= 20 && t < 30);
            double x = (on ? hum.Signal[n] : 0) + noise[n];
            double y = canceller.ProcessDouble(x);
            present[n] = canceller.HumPresent;
            if (!canceller.HumPresent)
            {
                Assert.Equal(x, y);
            }
        }

        // Engages within 3 s of each burst's start and stays on to its end; releases within 5 s of the end
        // (the 2 s analysis window must empty, then 2 s below the release ratio).
        double First(double from, bool value) => (Array.FindIndex(present, (int)(from * fs), p => p == value) / fs) - from;
        Assert.InRange(First(0, true), 0, 3);
        Assert.InRange(First(20, true), 0, 3);
        Assert.True(present[(int)(9.99 * fs)] && present[(int)(29.99 * fs)]);
        Assert.InRange(First(10, false), 0, 5);
        Assert.InRange(First(30, false), 0, 5);
        Assert.False(present[(int)(19.99 * fs)]);
    }

    [Theory]
    [InlineData(1000, 50, 0.040, 0.005, 100, 3.0)]
    [InlineData(1000, 60, 0.047, 0.005, 150, 4.5)]
    [InlineData(2000, 50, 0.020, 0.003, 100, 4.5)]
    [InlineData(500, 50, 0.030, 0.010, 60, 3.0)]
    public void Process_StrongBroadbandBurst_ResidualHumWithin10DecibelsOfSteadyStateWithin2Seconds(double fs, double mains, double amplitude, double noiseRms, double timesNoise, double burstSeconds)
    {
        // Hum (drifting, with harmonics) over white rest noise; from 20 s a burst of white noise at 60–150× the rest
        // (a strong contraction: broadband, so its energy inside the canceller's narrow bands pulls the weights and the
        // frequency loop), then rest again. Residual hum = output − noise − burst, per 100-ms block.
        const double seconds = 35, burstStart = 20;
        var hum = Hum(fs, mains, amplitude, seconds);
        var noise = TestSignals.WhiteNoise(hum.Signal.Length, noiseRms, seed: 31);
        var burst = TestSignals.WhiteNoise(hum.Signal.Length, noiseRms * timesNoise, seed: 32);
        double burstEnd = burstStart + burstSeconds;
        var canceller = new MainsInterferenceCanceller(fs);
        int block = (int)(fs / 10);
        var residualPower = new double[hum.Signal.Length / block];
        for (int n = 0; n < residualPower.Length * block; n++)
        {
            double t = n / fs;
            double broadband = noise[n] + (t >= burstStart && t < burstEnd ? burst[n] : 0);
            double residual = canceller.ProcessDouble(hum.Signal[n] + broadband) - broadband;
            residualPower[n / block] += residual * residual / block;
        }

        // Steady state: 10–19.5 s (engaged at 3 s; 26–35 dB below the hum). Recovered: the first 0.5 s after the burst
        // whose mean residual power is within 10 dB of it (0.9–3.2 uV, below the rest noise). Measured, in the order of
        // the cases (docs/signal-pipeline.md): 0.6, 1.4, 1.4, 0 s; before the fix 0.9, 8.6, 6.7, 8.2 s (the burst's first
        // block dragged the weights and the frequency loop off, the harmonic gates switched off for seconds).
        double steady = Enumerable.Range(100, 95).Average(b => residualPower[b]);
        int first = (int)Math.Round(burstEnd * 10);
        int recovered = Enumerable.Range(first, residualPower.Length - first - 5).FirstOrDefault(b => Enumerable.Range(b, 5).Average(i => residualPower[i]) <= 10 * steady, -1);
        double recoveredMs = recovered < 0 ? double.PositiveInfinity : (recovered - first) * 100;
        Assert.True(canceller.HumPresent);
        Assert.True(TestSignals.Decibels(amplitude / Math.Sqrt(2 * steady)) >= 15, $"steady residual {Math.Sqrt(steady) * 1000:0.00} uV");
        Assert.True(recoveredMs <= 2000, string.Create(CultureInfo.InvariantCulture, $"residual hum back within 10 dB of steady state ({Math.Sqrt(steady) * 1000:0.00} uV) {recoveredMs} ms after the burst"));
    }

    [Theory]
    [InlineData(500, 60, 0.040, 0.004, 60, 4.5)]
    [InlineData(1000, 60, 0.043, 0.0055, 700, 4.7)]
    [InlineData(2000, 50, 0.030, 0.003, 100, 4.5)]
    public void Process_StrongBurstWhileTheMainsSweeps_ResidualHumWithin10DecibelsOfSteadyStateWithinHalfASecond(double fs, double mains, double amplitude, double noiseRms, double timesNoise, double burstSeconds)
    {
        // As above, but the mains sweeps ±0.5 Hz over 20 s (0.16 Hz/s at its fastest, as the detector's property tests) and
        // the burst starts where the sweep is steepest, so the frequency at the burst's end lies ≈ 0.5 Hz from where it
        // started. The envelope must be back at rest within the 0.5 s a contraction just under the 5-s cramp minimum
        // leaves (property cases #112 and #954): the residual hum, per 100-ms block, is within 10 dB of steady state from
        // 0.5 s after the burst on (over the next 0.5 s). Before re-acquisition used a faster step it took 1–2 s.
        const double seconds = 35, burstStart = 20;
        var hum = Hum(fs, mains, amplitude, seconds, sweepPeriodSeconds: 20);
        var noise = TestSignals.WhiteNoise(hum.Signal.Length, noiseRms, seed: 41);
        var burst = TestSignals.WhiteNoise(hum.Signal.Length, noiseRms * timesNoise, seed: 42);
        double burstEnd = burstStart + burstSeconds;
        var canceller = new MainsInterferenceCanceller(fs);
        int block = (int)(fs / 10);
        var residualPower = new double[hum.Signal.Length / block];
        for (int n = 0; n < residualPower.Length * block; n++)
        {
            double t = n / fs;
            double broadband = noise[n] + (t >= burstStart && t < burstEnd ? burst[n] : 0);
            double residual = canceller.ProcessDouble(hum.Signal[n] + broadband) - broadband;
            residualPower[n / block] += residual * residual / block;
        }

        double steady = Enumerable.Range(100, 95).Average(b => residualPower[b]);
        int first = (int)Math.Round((burstEnd + 0.5) * 10);
        double after = Enumerable.Range(first, 5).Average(b => residualPower[b]);
        Assert.True(canceller.HumPresent);
        Assert.True(after <= 10 * steady, string.Create(CultureInfo.InvariantCulture, $"residual hum 0.5-1 s after the burst {Math.Sqrt(after) * 1000:0.00} uV, steady state {Math.Sqrt(steady) * 1000:0.00} uV"));
    }

    [Theory]
    [InlineData(0.002, false)]
    [InlineData(0.02, false)]
    [InlineData(0.002, true)]
    [InlineData(0.02, true)]
    public void Process_RestNoise_NeverDetectsHumAndPassesTheSignalUnchanged(double noiseRms, bool coloured)
    {
        // 120 s of seeded noise at 1 kHz: 240 detection decisions per candidate frequency.
        const double fs = 1000;
        int count = (int)(120 * fs);
        var noise = coloured ? ColouredNoise(count, noiseRms, seed: 21) : TestSignals.WhiteNoise(count, noiseRms, seed: 21);
        var canceller = new MainsInterferenceCanceller(fs);
        for (int n = 0; n < count; n++)
        {
            Assert.Equal(noise[n], canceller.ProcessDouble(noise[n]));
            Assert.False(canceller.HumPresent);
        }

        Assert.Equal(0, canceller.HumRms);
        Assert.Equal(0, canceller.MainsFrequencyHz);
    }

    [Fact]
    public void Process_RealEmgWithoutHum_NeverEngagesSoTheEnvelopeIsUnchanged()
    {
        var emg = RealEmg();
        var with = Envelope(Filtered(emg, MainsFrequency.Auto, out bool engaged));
        var without = Envelope(Filtered(emg, MainsFrequency.Off, out _));
        Assert.False(engaged);
        Assert.Equal(without, with);
    }

    [Fact]
    public void Process_RealEmgUnderDriftingHum_EnvelopeStaysCloseToTheCleanEnvelope()
    {
        // 10 s of biceps EMG (0.1–0.45 mV RMS) plus 0.3 mV 50 Hz hum with harmonics, through the whole chain.
        var emg = RealEmg();
        var hum = Hum(1000, 50, 0.3, emg.Length / 1000.0);
        var noisy = emg.Select((v, n) => (float)(v + hum.Signal[n])).ToArray();
        var clean = Envelope(Filtered(emg, MainsFrequency.Off, out _));
        var cancelled = Envelope(Filtered(noisy, MainsFrequency.Auto, out bool engaged));
        var uncancelled = Envelope(Filtered(noisy, MainsFrequency.Off, out _));
        var notched = Envelope(Filtered(noisy, MainsFrequency.Off, out _, notchHz: 50));

        int from = 4000;
        double errorCancelled = RelativeError(cancelled, clean, from);
        double errorUncancelled = RelativeError(uncancelled, clean, from);
        double errorNotched = RelativeError(notched, clean, from);
        Assert.True(engaged);
        // Measured: 6.0 % (mostly the EMG inside the 1.3 Hz bands the canceller removes), 81.6 % without it, 30.7 % with
        // a fixed Q = 30 notch at 50 Hz (the hum drifts off it and the harmonics pass); docs/signal-pipeline.md.
        Assert.True(errorCancelled < 0.08, $"envelope error with the canceller {errorCancelled:P2}, without {errorUncancelled:P2}, notch {errorNotched:P2}");
        Assert.True(errorUncancelled > 0.3, $"envelope error without it {errorUncancelled:P1}");
        Assert.True(errorCancelled * 3 < errorNotched, $"canceller {errorCancelled:P1}, fixed 50 Hz notch {errorNotched:P1}");
    }

    [Fact]
    public void Process_RealEmgUnderHum_KeepsTheEmgPowerAround50Hz()
    {
        var emg = RealEmg();
        var hum = Hum(1000, 50, 0.3, emg.Length / 1000.0);
        var noisy = emg.Select((v, n) => (float)(v + hum.Signal[n])).ToArray();
        var clean = Filtered(emg, MainsFrequency.Off, out _);
        var cancelled = Filtered(noisy, MainsFrequency.Auto, out _);

        // 40–60 Hz power over the last 6 s: EMG there is not a line and must survive the canceller.
        double ratio = BandPower(cancelled, 4000, 40, 60) / BandPower(clean, 4000, 40, 60);
        // Measured: 0.998 (docs/signal-pipeline.md).
        Assert.InRange(ratio, 0.9, 1.1);
    }

    [Fact]
    public void Process_ForcedTo60Hz_IgnoresA50HzHum()
    {
        var hum = Hum(1000, 50, 0.5, 10);
        var canceller = new MainsInterferenceCanceller(1000, MainsFrequency.Hz60);
        foreach (var x in hum.Signal)
        {
            Assert.Equal(x, canceller.ProcessDouble(x));
        }

        Assert.False(canceller.HumPresent);
    }

    [Fact]
    public void Process_Off_PassesHumUnchanged()
    {
        var hum = Hum(1000, 50, 0.5, 5);
        var canceller = new MainsInterferenceCanceller(1000, MainsFrequency.Off);
        Assert.All(hum.Signal, x => Assert.Equal(x, canceller.ProcessDouble(x)));
        Assert.False(canceller.HumPresent);
    }

    [Theory]
    [InlineData(50, 500, 4)]
    [InlineData(60, 500, 4)]
    [InlineData(50, 1000, 5)]
    [InlineData(60, 2000, 5)]
    [InlineData(60, 250, 2)]
    [InlineData(50, 100, 0)]
    public void HarmonicsBelowNyquist_CountsHarmonicsUpToTheFifthBelowNyquist(double mains, double fs, int expected)
    {
        Assert.Equal(expected, MainsInterferenceCanceller.HarmonicsBelowNyquist(mains, fs));
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = HumOverNoise(1000, 8, seed: 3);
        var streamed = new MainsInterferenceCanceller(1000);
        var blocked = new MainsInterferenceCanceller(1000);
        var expected = input.Select(streamed.Process).ToArray();
        var actual = new float[input.Length];
        blocked.Process(input.AsSpan(0, 1234), actual.AsSpan(0, 1234));
        blocked.Process(input.AsSpan(1234), actual.AsSpan(1234));
        Assert.True(streamed.HumPresent);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Reset_AfterHum_RestoresTheInitialState()
    {
        var input = HumOverNoise(1000, 8, seed: 4);
        var canceller = new MainsInterferenceCanceller(1000);
        var first = new float[input.Length];
        canceller.Process(input, first);
        Assert.True(canceller.HumPresent);
        canceller.Reset();
        Assert.False(canceller.HumPresent);
        Assert.Equal(0, canceller.HumRms);
        var second = new float[input.Length];
        canceller.Process(input, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var input = HumOverNoise(1000, 8, seed: 6);
        var output = new float[input.Length];
        MainsInterferenceCanceller? canceller = null;

        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var fresh = new MainsInterferenceCanceller(1000);
            fresh.Process(input, output);
            fresh.Reset();
            canceller = fresh;
            return () =>
            {
                fresh.Process(input, output);
                for (int n = 0; n < input.Length; n++)
                {
                    output[n] = fresh.Process(input[n]);
                }

                _ = fresh.HumRms + fresh.MainsFrequencyHz;
            };
        });

        Assert.Equal(0, bytes);
        Assert.True(canceller!.HumPresent);
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheParameter()
    {
        Assert.Equal("sampleRateHz", Assert.Throws<ArgumentOutOfRangeException>(() => new MainsInterferenceCanceller(0)).ParamName);
        Assert.Equal("mains", Assert.Throws<ArgumentOutOfRangeException>(() => new MainsInterferenceCanceller(1000, (MainsFrequency)9)).ParamName);
        Assert.Equal("timeConstantSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => new MainsInterferenceCanceller(1000, MainsFrequency.Auto, 0.001)).ParamName);
    }

    internal sealed record HumSignal(double[] Signal, double[] Phase, double[] Frequency);

    /// <summary>Drifting hum (±0.5 Hz sine sweep) with 3rd (30 %) and 5th (10 %) harmonics below Nyquist; phase of the fundamental kept.</summary>
    internal static HumSignal Hum(double fs, double mains, double amplitude, double seconds, double sweepPeriodSeconds = SweepPeriodSeconds)
    {
        int count = (int)Math.Round(fs * seconds);
        var signal = new double[count];
        var phase = new double[count];
        var frequency = new double[count];
        double theta = 0.4;
        for (int n = 0; n < count; n++)
        {
            double f = mains + (SweepHz * Math.Sin(2 * Math.PI * n / fs / sweepPeriodSeconds));
            double x = amplitude * Math.Cos(theta);
            if (3 * (mains + SweepHz) < fs / 2)
            {
                x += 0.3 * amplitude * Math.Cos((3 * theta) + 1);
            }

            if (5 * (mains + SweepHz) < fs / 2)
            {
                x += 0.1 * amplitude * Math.Cos((5 * theta) + 2);
            }

            signal[n] = x;
            phase[n] = theta;
            frequency[n] = f;
            theta += 2 * Math.PI * f / fs;
        }

        return new HumSignal(signal, phase, frequency);
    }

    /// <summary>Amplitude of the component of <paramref name="x"/> that follows cos(phase) over [from, to).</summary>
    internal static double CoherentAmplitude(double[] x, double[] phase, int from, int to)
    {
        double re = 0;
        double im = 0;
        for (int n = from; n < to; n++)
        {
            re += x[n] * Math.Cos(phase[n]);
            im -= x[n] * Math.Sin(phase[n]);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / (to - from);
    }

    /// <summary>Seeded noise with a falling spectrum (white noise through a one-pole low-pass at 100 Hz), scaled to <paramref name="rms"/>.</summary>
    private static float[] ColouredNoise(int count, double rms, int seed)
    {
        var white = TestSignals.WhiteNoise(count, 1, seed);
        var coloured = new float[count];
        double pole = Math.Exp(-2 * Math.PI * 100 / 1000.0);
        double y = 0;
        for (int n = 0; n < count; n++)
        {
            y = (pole * y) + ((1 - pole) * white[n]);
            coloured[n] = (float)y;
        }

        double scale = rms / TestSignals.Rms(coloured);
        return Array.ConvertAll(coloured, v => (float)(v * scale));
    }

    private static float[] HumOverNoise(double fs, double seconds, int seed)
    {
        var hum = Hum(fs, 50, 0.3, seconds);
        var noise = TestSignals.WhiteNoise(hum.Signal.Length, 0.01, seed);
        return hum.Signal.Select((v, n) => (float)(v + noise[n])).ToArray();
    }

    /// <summary>The 10 s PLUX biceps slice (tests/data/emg-long), in mV at 1 kHz.</summary>
    internal static float[] RealEmg()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "emg-long", "plux-biosignalsnotebooks", "emg_fatigue_biceps.csv");
        return File.ReadLines(path).Skip(1).Select(line => float.Parse(line.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
    }

    private static float[] Filtered(float[] raw, MainsFrequency mains, out bool engaged, double? notchHz = null)
    {
        var filter = new EmgChannelFilter(1000, new EmgFilterOptions { Mains = mains, NotchHz = notchHz });
        var output = new float[raw.Length];
        engaged = false;
        for (int n = 0; n < raw.Length; n++)
        {
            output[n] = filter.Process(raw[n]);
            engaged |= filter.Mains?.HumPresent == true;
        }

        return output;
    }

    private static float[] Envelope(float[] filtered)
    {
        var envelope = new LinearEnvelope(1000);
        var output = new float[filtered.Length];
        envelope.Process(filtered, output);
        return output;
    }

    /// <summary>RMS of the difference over RMS of the reference, from sample <paramref name="from"/> on.</summary>
    private static double RelativeError(float[] actual, float[] reference, int from)
    {
        double error = 0;
        double power = 0;
        for (int n = from; n < actual.Length; n++)
        {
            double d = actual[n] - reference[n];
            error += d * d;
            power += (double)reference[n] * reference[n];
        }

        return Math.Sqrt(error / power);
    }

    /// <summary>Power between <paramref name="lowHz"/> and <paramref name="highHz"/> of x[from..] by a plain DFT (1 kHz).</summary>
    private static double BandPower(float[] x, int from, double lowHz, double highHz)
    {
        int length = x.Length - from;
        double power = 0;
        for (int k = (int)Math.Ceiling(lowHz * length / 1000); k <= (int)Math.Floor(highHz * length / 1000); k++)
        {
            double re = 0;
            double im = 0;
            double step = 2 * Math.PI * k / length;
            for (int n = 0; n < length; n++)
            {
                re += x[from + n] * Math.Cos(step * n);
                im -= x[from + n] * Math.Sin(step * n);
            }

            power += (re * re) + (im * im);
        }

        return power;
    }
}

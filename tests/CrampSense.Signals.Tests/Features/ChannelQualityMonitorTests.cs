using System.Globalization;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public sealed class ChannelQualityMonitorTests
{
    private const double Fs = 1000;
    private const int Window = 250;
    private const int Hop = 50;

    /// <summary>The documented front end: MCP3008 at 3.3 V, mid-scale bias, gain 200.</summary>
    private static readonly FullScaleRange s_frontEnd = new(-8.25, 8.25 - Step);

    /// <summary>One step of that 10-bit ADC at the electrodes, mV.</summary>
    private const double Step = 3.3 / 1024 / 200 * 1000;

    [Fact]
    public void Evaluate_RestNoise_FlagsNothing()
    {
        var random = new Random(1);

        var flags = Run(s_frontEnd, 30, t => Rest(random));

        Assert.Equal(SignalQuality.None, flags.Union);
    }

    [Fact]
    public void Evaluate_HumBurstOnRest_FlagsHumBurstWhileItLasts()
    {
        var random = new Random(2);

        var flags = Run(s_frontEnd, 60, t => Rest(random) + (t is >= 20 and < 40 ? Hum(t, 50, 0.3) + Hum(t, 150, 0.1) + Hum(t, 250, 0.05) : 0));

        Assert.Equal(SignalQuality.HumBurst, flags.Union);
        Assert.InRange(flags.First(SignalQuality.HumBurst), 20, 20.8);
        Assert.InRange(flags.Last(SignalQuality.HumBurst), 39.5, 40.5);
        Assert.True(flags.Fraction(SignalQuality.HumBurst, 21, 40) == 1, "every window inside the burst is flagged");
    }

    [Fact]
    public void Evaluate_SixtyHertzHumBurst_FlagsHumBurstAndFindsTheMains()
    {
        var random = new Random(3);
        var monitor = Monitor(s_frontEnd);

        var flags = Run(monitor, 40, t => Rest(random) + (t >= 20 ? Hum(t, 60.4, 1.0) : 0));

        Assert.Equal(SignalQuality.HumBurst, flags.Union);
        Assert.Equal(60, monitor.MainsHz);
        Assert.Equal(1 / Math.Sqrt(2), monitor.HumMillivolts, 0.05);
    }

    [Fact]
    public void Evaluate_SteadyHumFromTheStart_IsNoFault()
    {
        var random = new Random(4);
        var monitor = Monitor(s_frontEnd);

        var flags = Run(monitor, 60, t => Rest(random) + Hum(t, 50, 1.0) + Hum(t, 150, 0.3));

        Assert.Equal(SignalQuality.None, flags.Union);
        Assert.Equal(Math.Sqrt(0.5 + 0.045), monitor.UsualHumMillivolts, 0.05);
    }

    [Fact]
    public void Evaluate_HumThatStays_BecomesUsualWithinTwoMinutes()
    {
        var random = new Random(5);

        var flags = Run(s_frontEnd, 180, t => Rest(random) + (t >= 20 ? Hum(t, 50, 0.5) : 0));

        Assert.True(flags.Fraction(SignalQuality.HumBurst, 21, 50) == 1, "a new hum is a burst at first");
        Assert.Equal(0, flags.Fraction(SignalQuality.HumBurst, 140, 180));
    }

    [Fact]
    public void Evaluate_NoiseClippedAtTheKnownFullScale_FlagsClipped()
    {
        var random = new Random(6);

        var flags = Run(s_frontEnd, 5, t => Clip(10 * Gaussian(random), s_frontEnd));

        Assert.True(flags.Fraction(SignalQuality.Clipped, 0, 5) == 1);
        Assert.Equal(0, flags.Fraction(SignalQuality.Railed, 0, 5));
    }

    [Fact]
    public void Evaluate_ClippedNoiseWithoutAFullScale_InfersClippingFromThePileUp()
    {
        var random = new Random(7);
        var rail = FullScaleRange.Symmetric(1.65);

        var flags = Run(fullScale: null, 10, t => t < 5 ? Rest(random) : Clip(3 * Gaussian(random), rail));

        Assert.Equal(0, flags.Fraction(SignalQuality.Clipped, 0, 5));
        Assert.True(flags.Fraction(SignalQuality.Clipped, 5.3, 10) == 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_LargePeaksBelowFullScale_AreNotClipped(bool knownFullScale)
    {
        // Laplacian noise of 2 mV RMS (EMG is heavier-tailed than Gaussian): peaks of 6–10 mV, none at full scale.
        var random = new Random(8);
        var below = FullScaleRange.Symmetric(20);

        var flags = Run(knownFullScale ? below : null, 30, t => Laplace(random, 2 / Math.Sqrt(2)));

        Assert.Equal(SignalQuality.None, flags.Union);
    }

    [Fact]
    public void Evaluate_FullScaleWithOneStepJitter_FlagsRailedAndClipped()
    {
        var random = new Random(9);

        var flags = Run(s_frontEnd, 10, t => t < 5 ? Rest(random) : s_frontEnd.HighMillivolts - (random.Next(2) * Step));

        Assert.True(flags.Fraction(SignalQuality.Railed | SignalQuality.Clipped, 5.3, 10) == 1);
    }

    [Fact]
    public void Evaluate_RailToRailSquareWave_FlagsClippedAndLeadOff()
    {
        var random = new Random(10);

        var flags = Run(s_frontEnd, 10, t => t < 5 ? Rest(random) : Math.Sin(2 * Math.PI * 50 * t) >= 0 ? s_frontEnd.HighMillivolts : s_frontEnd.LowMillivolts);

        Assert.True(flags.Fraction(SignalQuality.Clipped, 5.3, 10) == 1);
        Assert.True(flags.Fraction(SignalQuality.LeadOff, 6, 10) == 1);
    }

    /// <summary>
    /// 12 seeded (4100) band-limited contractions per case (RMS from full scale / 2.2 to / 1.5, so 2Q(FS/σ) = 3–13 % of
    /// the samples clip, DC offset ±0.5 mV, 12 bits over ±8.25 mV) after 2 s of rest: every window is clean or saturated,
    /// never clipped or otherwise faulty, and at least a quarter of the plateau's windows are saturated. The median
    /// frequency is 40–150 Hz with the generator's band (median / 1.7 to median × 1.7) below a quarter of the sample
    /// rate, the condition the monitor's band-limit evidence states (at 1 kHz: up to 147 Hz).
    /// </summary>
    [Theory]
    [InlineData(1000, true)]
    [InlineData(1000, false)]
    [InlineData(2000, true)]
    [InlineData(2000, false)]
    public void Evaluate_ContractionSaturatingTheFullScale_IsSaturatedNotClipped(double fs, bool knownFullScale)
    {
        var random = new Random(4100);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = new SyntheticEmg.FrontEnd(fs, 0.005, DcOffsetMillivolts: (random.NextDouble() - 0.5), Bits: 12);
            double rms = SyntheticEmg.FullScaleMillivolts / SyntheticEmg.LogUniform(random, 1.5, 2.2);
            double highestMedian = Math.Min(150, fs / 4 / 1.7);
            var contraction = new SyntheticEmg.Contraction(2, 0.3, false, 6, rms / frontEnd.FloorRmsMillivolts, 40 + ((highestMedian - 40) * random.NextDouble()));
            var samples = SyntheticEmg.Generate(frontEnd, 9, contraction, 4100 + i);
            var fullScale = knownFullScale ? new FullScaleRange(-SyntheticEmg.FullScaleMillivolts, SyntheticEmg.FullScaleMillivolts - frontEnd.LsbMillivolts) : (FullScaleRange?)null;

            var flags = Run(new ChannelQualityMonitor(fs, (int)(0.25 * fs), (int)(0.05 * fs), FeatureExtractorOptions.Default, fullScale), samples);

            if (flags.Union.IsFaulty() || flags.Fraction(SignalQuality.Saturated, 3, 8) < 0.25)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{i} rms {rms:0.00} mV, fmed {contraction.MedianFrequencyHz:0} Hz: flags {flags.Union}, saturated {flags.Fraction(SignalQuality.Saturated, 3, 8):0.00} of the plateau"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_WhiteNoiseClippedOnAFifthOfItsSamples_IsClippedNotSaturated(bool knownFullScale)
    {
        // Independent samples at RMS FS / 1.28: 2Q(1.28) = 20 % at the rails, under the 32 % a contraction may reach,
        // so only the unclipped samples' independence tells it from muscle.
        var random = new Random(12);

        var flags = Run(knownFullScale ? s_frontEnd : null, 10, t => t < 5 ? Rest(random) : Clip(8.25 / 1.28 * Gaussian(random), s_frontEnd));

        Assert.True(flags.Fraction(SignalQuality.Clipped, 5.3, 10) == 1);
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 5.3, 10));
    }

    [Fact]
    public void Evaluate_BandLimitedSignalFarBeyondFullScale_IsClippedNotSaturated()
    {
        // RMS 1.4 × full scale: 2Q(0.7) = 48 % at the rails, more than a signal the ADC still measures.
        var frontEnd = new SyntheticEmg.FrontEnd(Fs, 0.005, Bits: 12);
        var samples = SyntheticEmg.Generate(frontEnd, 9, new SyntheticEmg.Contraction(2, 0.3, false, 6, 1.4 * SyntheticEmg.FullScaleMillivolts / frontEnd.FloorRmsMillivolts, 90), 13);

        var flags = Run(Monitor(new FullScaleRange(-8.25, 8.25 - frontEnd.LsbMillivolts)), samples);

        // The fraction is judged over the last second's windows: from a second after the ramp on it is all clipped.
        Assert.True(flags.Fraction(SignalQuality.Clipped, 3.3, 8) == 1);
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 3.3, 8));
    }

    /// <summary>
    /// 12 seeded (4200) band-limited contractions per rate at RMS 1.4–1.7 × full scale (2Q(FS/σ) = 48–56 % at the rails,
    /// 60 % in the windows of the envelope's peaks, beyond the 2Q(1) a measured signal reaches; 12 bits over ±8.25 mV)
    /// after 2 s of rest: from a second after the ramp
    /// every window is clipped and none saturated on its own, but the pooled runs between the clips make at least 90 % of
    /// them overdriven — the evidence the extractor needs to carry on an activation that rose clean. The median is 40–150 Hz
    /// at 2 kHz but 40–95 Hz at 1 kHz: driven that far, a contraction with its median above 100 Hz crosses between the
    /// rails in one or two samples at 1 kHz, and the few runs left pool to a ratio of 2.3–2.9, as noise does (measured).
    /// </summary>
    [Theory]
    [InlineData(1000)]
    [InlineData(2000)]
    public void Evaluate_ContractionDrivenBeyondFullScale_IsClippedAndOverdriven(double fs)
    {
        var random = new Random(4200);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = new SyntheticEmg.FrontEnd(fs, 0.005, DcOffsetMillivolts: random.NextDouble() - 0.5, Bits: 12);
            double rms = SyntheticEmg.FullScaleMillivolts * (1.4 + (0.3 * random.NextDouble()));
            double highestMedian = fs >= 2000 ? 150 : 95;
            var contraction = new SyntheticEmg.Contraction(2, 0.3, false, 6, rms / frontEnd.FloorRmsMillivolts, 40 + ((highestMedian - 40) * random.NextDouble()));
            var samples = SyntheticEmg.Generate(frontEnd, 9, contraction, 4200 + i);
            var fullScale = new FullScaleRange(-SyntheticEmg.FullScaleMillivolts, SyntheticEmg.FullScaleMillivolts - frontEnd.LsbMillivolts);

            var flags = Run(new ChannelQualityMonitor(fs, (int)(0.25 * fs), (int)(0.05 * fs), FeatureExtractorOptions.Default, fullScale), samples);

            double overdriven = flags.Fraction(SignalQuality.Clipped | SignalQuality.Overdriven, 3.3, 8);
            if (flags.Fraction(SignalQuality.Clipped, 3.3, 8) < 1 || flags.Fraction(SignalQuality.Saturated, 3.3, 8) > 0 || overdriven < 0.9)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{i} rms {rms:0.00} mV, fmed {contraction.MedianFrequencyHz:0} Hz: flags {flags.Union}, overdriven {overdriven:0.00} of the plateau"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// A minute of independent Gaussian samples clipped on 20–60 % of them (RMS = full scale / <paramref name="fullScaleOverRms"/>),
    /// at 500 and 1000 Hz, after 5 s of rest: once the noise fills the last second no window is saturated or overdriven.
    /// The band-limit evidence pooled over a second must not turn broadband noise into muscle at any clipped fraction, nor
    /// at the rate whose windows hold only 125 samples.
    /// </summary>
    [Theory]
    [InlineData(1000, 1.28)]
    [InlineData(1000, 0.825)]
    [InlineData(1000, 0.674)]
    [InlineData(1000, 0.524)]
    [InlineData(500, 1.28)]
    [InlineData(500, 1.0)]
    [InlineData(500, 0.674)]
    public void Evaluate_WhiteNoiseClippedOnAnyFraction_IsNeverSaturatedNorOverdriven(double fs, double fullScaleOverRms)
    {
        var flags = RunRestThenClippedNoise(fs, 65, fullScaleOverRms, 4400);

        Assert.True(flags.Fraction(SignalQuality.Clipped, 6.3, 65) == 1);
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 6.3, 65));
        Assert.Equal(0, flags.Fraction(SignalQuality.Overdriven, 6.3, 65));
    }

    /// <summary>
    /// The same clipped white noise (20–50 % at the rails) is band-unresolved at 500 Hz, where the EMG band fills the Nyquist
    /// band and the band-limit test cannot judge (still a clipped fault: only an activation that rose clean may go on
    /// through it), and never at 1000 Hz, where the test judges and noise fails it: there it is clipped with broadband runs
    /// (also a fault; only an activation that had lasted a window and a hop before may go on through it).
    /// </summary>
    [Theory]
    [InlineData(500, 1.28, true)]
    [InlineData(500, 0.674, true)]
    [InlineData(1000, 1.28, false)]
    [InlineData(1000, 0.674, false)]
    public void Evaluate_WhiteNoiseClipped_IsBandUnresolvedOnlyWhereTheEmgBandFillsTheNyquistBand(double fs, double fullScaleOverRms, bool unresolved)
    {
        var flags = RunRestThenClippedNoise(fs, 25, fullScaleOverRms, 4450);

        Assert.True(flags.Fraction(SignalQuality.Clipped, 6.3, 25) == 1);
        Assert.Equal(unresolved ? 1 : 0, flags.Fraction(SignalQuality.BandUnresolved, 6.3, 25));
        Assert.Equal(unresolved ? 0 : 1, flags.Fraction(SignalQuality.BroadbandRuns, 6.3, 25));
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 6.3, 25));
    }

    /// <summary>5 s of rest, then independent Gaussian samples of RMS full scale / <paramref name="fullScaleOverRms"/>, clipped, to <paramref name="seconds"/>, through a monitor of 250-ms windows and 50-ms hops.</summary>
    private static Flags RunRestThenClippedNoise(double fs, double seconds, double fullScaleOverRms, int seed)
    {
        var random = new Random(seed);
        int count = (int)(seconds * fs);
        var samples = new float[count];
        for (int n = 0; n < count; n++)
        {
            samples[n] = (float)(n < 5 * fs ? Rest(random) : Clip(8.25 / fullScaleOverRms * Gaussian(random), s_frontEnd));
        }

        return Run(new ChannelQualityMonitor(fs, (int)(0.25 * fs), (int)(0.05 * fs), FeatureExtractorOptions.Default, s_frontEnd), samples);
    }

    /// <summary>
    /// A 50 Hz line of 1.5 × full scale (54 % of its samples at the rails) is as smooth between the clips as a contraction
    /// driven beyond full scale; the hum measurement keeps it from being overdriven once it has measured it.
    /// </summary>
    [Fact]
    public void Evaluate_MainsPickUpDrivenBeyondFullScale_IsNeverOverdrivenOnceTheHumIsMeasured()
    {
        var random = new Random(15);

        var flags = Run(s_frontEnd, 10, t => Clip(Rest(random) + (t >= 5 ? 1.5 * Hum(t, 50, 8.25) : 0), s_frontEnd));

        Assert.True(flags.Fraction(SignalQuality.Clipped, 5.6, 10) == 1);
        Assert.Equal(0, flags.Fraction(SignalQuality.Overdriven, 5.6, 10));
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 5.6, 10));
    }

    /// <summary>
    /// 12 seeded (4300) contractions sampled at 500 Hz with their median at 60–105 Hz (their power reaches fs/4, so one
    /// window's 125 samples often do not tell them from noise: window ratio 2.0–2.5), at RMS full scale / 2.6 to / 2.0
    /// (1–5 % at the rails, on the envelope's peaks): from a second into the plateau no window is clipped or otherwise
    /// faulty, as the night cramp 60102 of the fresh sets needs. Above a median of about 110 Hz the pooled ratio reaches
    /// 2.5–2.8 and such a contraction still clips (measured; the bound stays at 2.5).
    /// </summary>
    [Fact]
    public void Evaluate_FiveHundredHertzContractionClippingIntermittently_IsSaturatedNeverClipped()
    {
        const double Rate = 500;
        var random = new Random(4300);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = new SyntheticEmg.FrontEnd(Rate, 0.005, DcOffsetMillivolts: random.NextDouble() - 0.5, Bits: 12);
            double rms = SyntheticEmg.FullScaleMillivolts / (2.0 + (0.6 * random.NextDouble()));
            var contraction = new SyntheticEmg.Contraction(2, 0.3, false, 8, rms / frontEnd.FloorRmsMillivolts, 60 + (45 * random.NextDouble()));
            var samples = SyntheticEmg.Generate(frontEnd, 11, contraction, 4300 + i);
            var fullScale = new FullScaleRange(-SyntheticEmg.FullScaleMillivolts, SyntheticEmg.FullScaleMillivolts - frontEnd.LsbMillivolts);

            var flags = Run(new ChannelQualityMonitor(Rate, (int)(0.25 * Rate), (int)(0.05 * Rate), FeatureExtractorOptions.Default, fullScale), samples);

            if (flags.Range(3.3, 10).IsFaulty() || flags.Fraction(SignalQuality.Saturated, 3.3, 10) == 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{i} rms {rms:0.00} mV, fmed {contraction.MedianFrequencyHz:0} Hz: flags {flags.Range(3.3, 10)}, clipped {flags.Fraction(SignalQuality.Clipped, 3.3, 10):0.00}, saturated {flags.Fraction(SignalQuality.Saturated, 3.3, 10):0.00} of the plateau"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Evaluate_MainsPickUpClippedOnAQuarterOfItsSamples_IsClippedOnceTheHumIsMeasured()
    {
        // A 50 Hz line of 1.1 × full scale clips 27 % of its samples and is smooth between the clips, like EMG; only the
        // hum measurement (every window length) tells it apart, so at most the first measurement's windows pass.
        var random = new Random(14);

        var flags = Run(s_frontEnd, 10, t => Clip(Rest(random) + (t >= 5 ? 1.1 * Hum(t, 50, 8.25) : 0), s_frontEnd));

        Assert.True(flags.Fraction(SignalQuality.Clipped, 5.6, 10) == 1, $"saturated at {flags.Times(SignalQuality.Saturated, 5, 10)}; {flags.At(7)}");
        Assert.Equal(0, flags.Fraction(SignalQuality.Saturated, 5.6, 10));
    }

    [Fact]
    public void Evaluate_SamplesBeyondTheDeclaredFullScale_InferClippingFromPileUpsInstead()
    {
        // Declared ±1 mV (a key meant for another gain); the ADC's real rails are ±8.25 mV and a contraction at RMS 8.25 / 2
        // clips on them. Judged against ±1 mV, 80 % of its samples would be "at the rails".
        var frontEnd = new SyntheticEmg.FrontEnd(Fs, 0.005, Bits: 12);
        var samples = SyntheticEmg.Generate(frontEnd, 9, new SyntheticEmg.Contraction(2, 0.3, false, 6, SyntheticEmg.FullScaleMillivolts / 2 / frontEnd.FloorRmsMillivolts, 90), 15);
        var monitor = Monitor(FullScaleRange.Symmetric(1));

        var flags = Run(monitor, samples);

        Assert.False(monitor.IsFullScaleBelieved);
        Assert.False(flags.Union.IsFaulty(), flags.Union.ToString());
        Assert.True(flags.Fraction(SignalQuality.Saturated, 3, 8) >= 0.5);
    }

    /// <summary>
    /// Issue 12, perturbation audit cause 2: a front end whose range lies beyond 20 mV (a gain several times the nominal
    /// one) carries a contraction of RMS 6–14 mV, whose peaks pass 20 mV at 1.4–3.3 σ, and nothing clips. 12 seeded (4600)
    /// band-limited contractions per case (1 or 2 kHz, median 50–140 Hz, DC offset ±0.5 mV, rest 10–40 µV), full scale
    /// unknown or declared ±60 mV: no window is railed or otherwise faulty.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluate_LargeContractionBeyondTwentyMillivoltsWithoutRails_IsNeverRailed(bool knownFullScale)
    {
        var random = new Random(4600 + (knownFullScale ? 1 : 0));
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            double fs = i % 2 == 0 ? 1000 : 2000;
            var frontEnd = new SyntheticEmg.FrontEnd(fs, SyntheticEmg.LogUniform(random, 0.01, 0.04), DcOffsetMillivolts: random.NextDouble() - 0.5);
            double rms = 6 + (8 * random.NextDouble());
            var contraction = new SyntheticEmg.Contraction(2, 0.3, false, 6, rms / frontEnd.FloorRmsMillivolts, 50 + (90 * random.NextDouble()));
            var samples = SyntheticEmg.Generate(frontEnd, 9, contraction, 4600 + i);
            var fullScale = knownFullScale ? FullScaleRange.Symmetric(60) : (FullScaleRange?)null;

            var flags = Run(new ChannelQualityMonitor(fs, (int)(0.25 * fs), (int)(0.05 * fs), FeatureExtractorOptions.Default, fullScale), samples);

            double peak = samples.Max(x => Math.Abs(x));
            if (flags.Union.IsFaulty() || peak < 20)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{i} {fs} Hz, rms {rms:0.0} mV, peak {peak:0.0} mV: flags {flags.Union}, railed at {flags.Times(SignalQuality.Railed, 0, 9)}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Issue 12, perturbation audit cause 4: without a known full scale, a contraction clipping on rails of ±0.8–4 mV lets
    /// the pile-up rule find them; after 20–40 s of quiet rest, baseline wander pins the channel at the upper rail with rest
    /// noise of 0.1–0.3 × the rail below it (55–85 % of the samples at the rail; the wander rises and falls over half a second). The window's mean then sits within
    /// 0.5 mV of the rail and the rail is visited once in a long run, so only the rail found before tells: every window
    /// of the pinned stretch is clipped, and none of the quiet rest. 12 seeded (4700; 12 bits over the rails, 1 or 2 kHz).
    /// </summary>
    [Fact]
    public void Evaluate_RailsInferredOnceThenAQuietStretch_PinnedWindowsAreClipped()
    {
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var random = new Random(4700 + i);
            double fs = i % 2 == 0 ? 1000 : 2000;
            double rail = SyntheticEmg.LogUniform(random, 0.8, 4);
            double step = 2 * rail / 4096;
            double restRms = 0.005 + (0.01 * random.NextDouble());
            double pinnedRms = rail * (0.1 + (0.2 * random.NextDouble()));
            double overRail = pinnedRms * (0.15 + (0.9 * random.NextDouble())); // 55–85 % of the samples above the rail
            double pinFrom = 8 + 20 + (20 * random.NextDouble()), pinTo = pinFrom + 3, end = pinTo + 2;
            var rails = new FullScaleRange(-rail, rail);
            var monitor = new ChannelQualityMonitor(fs, (int)(0.25 * fs), (int)(0.05 * fs), FeatureExtractorOptions.Default, null);
            var samples = new float[(int)(end * fs)];
            for (int n = 0; n < samples.Length; n++)
            {
                double t = n / fs;
                double x = t is >= 3 and < 8 ? rail / 1.5 * Gaussian(random) // clipped on 18 % of its samples: the rails are found
                    : t >= pinFrom - 0.5 && t < pinTo + 0.5 ? (rail + overRail) * Wander(t) + (pinnedRms * Gaussian(random))
                    : restRms * Gaussian(random);
                samples[n] = (float)(Math.Round(Clip(x, rails) / step) * step);
            }

            // Baseline wander is slow: a half-second raised-cosine rise to the level over the rail, and the same fall.
            double Wander(double t) => t < pinFrom ? 0.5 - (0.5 * Math.Cos(Math.PI * (t - pinFrom + 0.5) / 0.5)) : t < pinTo ? 1 : 0.5 + (0.5 * Math.Cos(Math.PI * (t - pinTo) / 0.5));

            var flags = Run(monitor, samples);

            double pinned = flags.Fraction(SignalQuality.Clipped, pinFrom + 0.25, pinTo);
            var rest = flags.Range(9.5, pinFrom - 0.5);
            if (pinned < 1 || rest.IsFaulty())
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{i} {fs} Hz, rails ±{rail:0.00} mV, pinned noise {pinnedRms:0.000} mV {overRail:0.000} mV over the rail: clipped {pinned:0.00} of the pinned windows, rest flags {rest}; unclipped {string.Join(" ", flags.Unflagged(SignalQuality.Clipped, pinFrom + 0.25, pinTo))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Evaluate_FloatingInputWithoutAFullScale_FlagsLeadOff()
    {
        var random = new Random(11);

        var flags = Run(fullScale: null, 20, t => Rest(random) + (t >= 5 ? Hum(t, 49.7, 6) + (3 * Math.Sin(2 * Math.PI * 0.2 * t)) : 0));

        Assert.True(flags.Fraction(SignalQuality.LeadOff, 6, 20) == 1);
    }

    [Fact]
    public void Evaluate_ThreeSampleSpikesEvery100Milliseconds_FlagsSpikeTrain()
    {
        var random = new Random(12);

        var flags = Run(s_frontEnd, 20, t => Rest(random) + (t >= 5 && t % 0.1 < 0.003 ? ((long)(t * 10) % 2 == 0 ? 5 : -5) : 0));

        Assert.Equal(0, flags.Fraction(SignalQuality.SpikeTrain, 0, 5));
        Assert.True(flags.Fraction(SignalQuality.SpikeTrain, 5.5, 20) == 1);
    }

    [Fact]
    public void Evaluate_SpikesOnTwoPercentOfSamples_FlagsSpikeTrain()
    {
        var random = new Random(13);

        var flags = Run(s_frontEnd, 20, t => Rest(random) + (t >= 5 && random.NextDouble() < 0.02 ? (random.Next(2) == 0 ? 5 : -5) : 0));

        Assert.True(flags.Fraction(SignalQuality.SpikeTrain, 5.5, 20) == 1);
    }

    [Fact]
    public void Evaluate_ConstantNaNAndSaturatedSamples_FlagFlatNonFiniteAndRailed()
    {
        var random = new Random(14);

        var flags = Run(fullScale: null, 10, t => t is >= 2 and < 3 ? 0.4 : t is >= 5 and < 5.001 ? double.NaN : t is >= 7 and < 7.001 ? 25 : Rest(random));

        Assert.True(flags.Fraction(SignalQuality.Flat, 2.3, 3) == 1);
        Assert.True(flags.Fraction(SignalQuality.NonFinite, 5.01, 5.2) == 1);
        Assert.True(flags.Fraction(SignalQuality.Railed, 7.01, 7.2) == 1);
        Assert.Equal(SignalQuality.None, flags.At(9.5));
    }

    /// <summary>
    /// Issue 11: a 10-bit front end whose rest noise (2.7 µV) lies below one step (16.1 µV) holds one code for tenths of
    /// a second, but the code still moves to a neighbour now and then: alive, not flat (60 s, seeded; the rest level at
    /// the middle of a code and a quarter step off it; nearer a code boundary the code changes too often to look flat).
    /// </summary>
    [Theory]
    [InlineData(0.0, 17)]
    [InlineData(0.25, 18)]
    public void Evaluate_RestBelowOneStepThatStillToggles_IsNotFlat(double offsetSteps, int seed)
    {
        var random = new Random(seed);
        var samples = Enumerable.Range(0, 60_000).Select(_ => SubStepRest(random, offsetSteps)).ToArray();

        var flags = Run(s_frontEnd, 60, t => samples[(int)Math.Round(t * Fs)]);

        Assert.True(LongestRunSeconds(samples) >= 0.1, "the case must hold one code longer than FlatSeconds");
        Assert.True(flags.Fraction(SignalQuality.Flat, 5, 60) == 0, $"flat in windows ending at {flags.Times(SignalQuality.Flat, 5, 60)} s");
    }

    [Fact]
    public void ResolutionFloorMillivolts_RestBelowOneStep_IsAQuarterOfTheStep()
    {
        var random = new Random(22);
        var monitor = Monitor(s_frontEnd);

        Run(monitor, 10, t => SubStepRest(random, 0.25));

        Assert.Equal(Step, monitor.QuantumMillivolts, 1e-6);
        Assert.Equal(Step / 4, monitor.ResolutionFloorMillivolts, 1e-6);
    }

    [Fact]
    public void ResolutionFloorMillivolts_UnquantisedRest_IsUnknown()
    {
        var random = new Random(23);
        var monitor = Monitor(s_frontEnd);

        Run(monitor, 10, t => Rest(random));

        Assert.True(double.IsNaN(monitor.ResolutionFloorMillivolts));
    }

    /// <summary>Hum and noise written with four decimals (0.1-µV steps) repeat values and steps now and then, but never hold a code: no step is inferred.</summary>
    [Fact]
    public void ResolutionFloorMillivolts_BusySignalRoundedToATenthOfAMicrovolt_IsUnknown()
    {
        var random = new Random(24);
        var monitor = Monitor(s_frontEnd);

        Run(monitor, 30, t => Math.Round(Hum(t, 50, 1) + Rest(random), 4));

        Assert.True(double.IsNaN(monitor.ResolutionFloorMillivolts));
    }

    /// <summary>Rest of about two steps RMS moves the code by single steps: the smallest change is the ADC's step, known within seconds.</summary>
    [Fact]
    public void StepMillivolts_QuantisedRestOfAFewSteps_IsTheAdcStep()
    {
        var random = new Random(25);
        var monitor = Monitor(s_frontEnd);

        Run(monitor, 2, t => Math.Round((0.2 + (0.03 * Gaussian(random))) / Step) * Step);

        Assert.Equal(Step, monitor.StepMillivolts, 1e-6);
    }

    /// <summary>Unquantised rest has no step: the smallest change lies far below any EMG front end's (10 bits: 16 µV, 12 bits: 4 µV).</summary>
    [Fact]
    public void StepMillivolts_UnquantisedRest_IsFarBelowAnAdcStep()
    {
        var random = new Random(26);
        var monitor = Monitor(s_frontEnd);

        Run(monitor, 2, t => Rest(random));

        Assert.True(monitor.StepMillivolts < 1e-4, $"smallest change {monitor.StepMillivolts} mV");
    }

    /// <summary>Sub-step rest, then the ADC sticks at the code the rest sat on: flat once the dither allowance (5 s) has passed, clean again after.</summary>
    [Fact]
    public void Evaluate_StuckAtTheRestCodeAfterSubStepRest_FlagsFlatAfterTheDitherAllowance()
    {
        var random = new Random(20);
        double stuck = Math.Round(0.2 / Step) * Step;

        var flags = Run(s_frontEnd, 60, t => t is >= 20 and < 40 ? stuck : SubStepRest(random, 0));

        Assert.True(flags.Fraction(SignalQuality.Flat, 10, 20) == 0);
        Assert.True(flags.Fraction(SignalQuality.Flat, 25.2, 40) == 1);
        Assert.True(flags.Fraction(SignalQuality.Flat, 45, 60) == 0);
    }

    /// <summary>Sub-step rest, then a constant ten steps away (a disconnected amplifier's output): flat within FlatSeconds and a window, as before.</summary>
    [Fact]
    public void Evaluate_ConstantAwayFromTheRestCodeAfterSubStepRest_FlagsFlatAtOnce()
    {
        var random = new Random(21);
        double constant = (Math.Round(0.2 / Step) + 10) * Step;

        var flags = Run(s_frontEnd, 40, t => t is >= 20 and < 30 ? constant : SubStepRest(random, 0));

        Assert.True(flags.Fraction(SignalQuality.Flat, 20.2, 30) == 1);
    }

    /// <summary>A held value that switches between two levels 0.2 mV apart every 0.5 s repeats its step, but no ADC step is that coarse: flat.</summary>
    [Fact]
    public void Evaluate_HeldValueSwitchingBetweenDistantLevels_IsFlat()
    {
        var flags = Run(s_frontEnd, 20, t => (int)(t * 2) % 2 == 0 ? 0.2 : 0.4);

        Assert.True(flags.Fraction(SignalQuality.Flat, 2, 20) == 1);
    }

    [Theory]
    [InlineData("night-cramp", 7001)]
    [InlineData("voluntary-holds", 7021)]
    public void Evaluate_SimulatedContractions_FlagNothing(string scenario, int seed)
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = TimeSpan.FromMinutes(3), Sites = ["calf"], Nuisances = NuisanceOptions.None });
        var frame = recording.Layout.CreateFrame();
        var monitor = Monitor(s_frontEnd);
        var flags = new Flags();
        long n = 0;
        while (recording.TryReadFrame(frame))
        {
            // 12-bit quantisation over ±8.25 mV (4 µV steps).
            monitor.Add((float)(Math.Round(frame.EmgMillivolts[0] / (Step / 4)) * (Step / 4)));
            if (++n >= Window && (n - Window) % Hop == 0)
            {
                flags.Add(frame.TimeSeconds, monitor.Evaluate());
            }
        }

        Assert.Contains(recording.Truth, t => t.Kind is TruthKind.Cramp or TruthKind.Voluntary);
        Assert.Equal(SignalQuality.None, flags.Union);
    }

    [Fact]
    public void Evaluate_RealBicepsContractionSlice_FlagsNothing()
    {
        // tests/data/emg/plux-biosignalsnotebooks/emg_fatigue_biceps.csv: 2 s of a real biceps contraction (PLUX, 12 bit, mV).
        var samples = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "emg_fatigue_biceps.csv"))
            .Skip(1)
            .Select(line => float.Parse(line.Split(',')[3], CultureInfo.InvariantCulture))
            .ToArray();
        var monitor = Monitor(FullScaleRange.Symmetric(1.5));
        var seen = SignalQuality.None;
        int windows = 0;
        for (int n = 0; n < samples.Length; n++)
        {
            monitor.Add(samples[n]);
            if (n + 1 >= Window && (n + 1 - Window) % Hop == 0)
            {
                seen |= monitor.Evaluate();
                windows++;
            }
        }

        Assert.Equal(36, windows);
        Assert.Equal(SignalQuality.None, seen);
    }

    [Fact]
    public void Add_SteadyState_AllocatesNothing()
    {
        var random = new Random(15);
        var samples = Enumerable.Range(0, 20_000).Select(i => (float)(Rest(random) + Hum(i / Fs, 50, i > 10_000 ? 1 : 0))).ToArray();

        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var monitor = Monitor(s_frontEnd);

            void Feed(int from, int to)
            {
                for (int n = from; n < to; n++)
                {
                    monitor.Add(samples[n]);
                    if (n % Hop == 0)
                    {
                        monitor.Evaluate();
                    }
                }
            }

            Feed(0, 5_000);
            return () => Feed(5_000, samples.Length);
        });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Reset_AfterAHumBurst_ForgetsTheUsualHumLevel()
    {
        var random = new Random(16);
        var monitor = Monitor(s_frontEnd);
        Run(monitor, 10, t => Rest(random) + Hum(t, 50, 1));

        monitor.Reset();

        Assert.True(double.IsNaN(monitor.UsualHumMillivolts));
        Assert.Equal(SignalQuality.None, Run(monitor, 10, t => Rest(random) + Hum(t, 50, 1)).Union);
    }

    private static ChannelQualityMonitor Monitor(FullScaleRange? fullScale) => new(Fs, Window, Hop, FeatureExtractorOptions.Default, fullScale);

    private static Flags Run(FullScaleRange? fullScale, double seconds, Func<double, double> signal) => Run(Monitor(fullScale), seconds, signal);

    /// <summary>Feeds <paramref name="seconds"/> of <paramref name="signal"/> and records the flags of every window (time = its newest sample).</summary>
    private static Flags Run(ChannelQualityMonitor monitor, double seconds, Func<double, double> signal)
    {
        var flags = new Flags();
        int count = (int)(seconds * Fs);
        for (int n = 0; n < count; n++)
        {
            double t = n / Fs;
            monitor.Add((float)signal(t));
            if (n + 1 >= Window && (n + 1 - Window) % Hop == 0)
            {
                flags.Add(t, monitor.Evaluate());
            }
        }

        return flags;
    }

    /// <summary>Feeds <paramref name="samples"/> at the monitor's rate and records the flags of every window.</summary>
    private static Flags Run(ChannelQualityMonitor monitor, float[] samples)
    {
        var flags = new Flags();
        int window = (int)Math.Round(0.25 * monitor.SampleRateHz), hop = (int)Math.Round(0.05 * monitor.SampleRateHz);
        for (int n = 0; n < samples.Length; n++)
        {
            monitor.Add(samples[n]);
            if (n + 1 >= window && (n + 1 - window) % hop == 0)
            {
                flags.Add(n / monitor.SampleRateHz, monitor.Evaluate());
            }
        }

        return flags;
    }

    /// <summary>Electrode and amplifier noise at rest, 5 µV RMS, with a 0.2 mV offset.</summary>
    private static double Rest(Random random) => 0.2 + (0.005 * Gaussian(random));

    /// <summary>Rest noise of 2.7 µV RMS at a level <paramref name="offsetSteps"/> steps off the middle of a code near 0.2 mV, quantised to 10 bits.</summary>
    private static double SubStepRest(Random random, double offsetSteps) =>
        Math.Round(((Math.Round(0.2 / Step) + offsetSteps) * Step + (0.0027 * Gaussian(random))) / Step) * Step;

    private static double LongestRunSeconds(double[] samples)
    {
        int longest = 0, run = 0;
        for (int n = 1; n < samples.Length; n++)
        {
            run = samples[n] == samples[n - 1] ? run + 1 : 0;
            longest = Math.Max(longest, run + 1);
        }

        return longest / Fs;
    }

    private static double Hum(double t, double hz, double amplitude) => amplitude * Math.Sin(2 * Math.PI * hz * t);

    private static double Clip(double x, FullScaleRange range) => Math.Clamp(x, range.LowMillivolts, range.HighMillivolts);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Laplace(Random random, double scale)
    {
        double u = random.NextDouble() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));
    }

    private sealed class Flags
    {
        private readonly List<(double Time, SignalQuality Quality)> _windows = [];

        public SignalQuality Union { get; private set; }

        public void Add(double time, SignalQuality quality)
        {
            _windows.Add((time, quality));
            Union |= quality;
        }

        public SignalQuality At(double time) => _windows.Last(w => w.Time <= time).Quality;

        /// <summary>The union of the flags of the windows ending in [from, to).</summary>
        public SignalQuality Range(double from, double to) =>
            _windows.Where(w => w.Time >= from && w.Time < to).Aggregate(SignalQuality.None, (union, w) => union | w.Quality);

        public double First(SignalQuality flag) => _windows.First(w => (w.Quality & flag) != 0).Time;

        public string Times(SignalQuality flag, double from, double to) =>
            string.Join(", ", _windows.Where(w => w.Time >= from && w.Time < to && (w.Quality & flag) != 0).Select(w => w.Time.ToString("0.00", CultureInfo.InvariantCulture)));

        public IEnumerable<string> Unflagged(SignalQuality flag, double from, double to) =>
            _windows.Where(w => w.Time >= from && w.Time < to && (w.Quality & flag) != flag).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Time:0.00}:{w.Quality}"));

        public double Last(SignalQuality flag) => _windows.Last(w => (w.Quality & flag) != 0).Time;

        /// <summary>Fraction of the windows ending in [from, to) that carry every flag of <paramref name="flag"/>.</summary>
        public double Fraction(SignalQuality flag, double from, double to)
        {
            var inside = _windows.Where(w => w.Time >= from && w.Time < to).ToList();
            Assert.NotEmpty(inside);
            return (double)inside.Count(w => (w.Quality & flag) == flag) / inside.Count;
        }
    }
}

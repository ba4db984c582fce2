using System.Globalization;
using CrampSense.Detection.Model;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using Xunit;
using static CrampSense.Testing.Signals.SyntheticEmg;

namespace CrampSense.Detection.Tests.Model;

/// <summary>
/// Property tests of the whole detector (<see cref="CrampDetector"/> with the shipped model) over randomised front ends
/// from the test-side generator (<see cref="SyntheticEmg"/>): the rule of issue 12 (sustained, clean, context-free
/// activity of at least the minimum is a cramp; shorter or with context is not) and the front end of issue 11
/// (a recording that starts inside a cramp, a prodrome before a cramp, hum on rest). Every case is seeded; counts are
/// in the test summaries; failure messages list each failing case with its front end.
/// </summary>
public sealed class CrampDetectorPropertyTests
{
    private const double RestBeforeSeconds = 20;
    private const double RestAfterSeconds = 10;

    private enum Context
    {
        None,
        Motion,
        PostureChange,
        Coactivation,
    }

    /// <summary>A randomised case: the front end, the contraction on the first site, and the accelerometer's presence.</summary>
    private sealed record Case(int Index, FrontEnd FrontEnd, Contraction Contraction, bool StillAccelerometer, Context Context, double ContextOffsetSeconds)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"#{Index} [{FrontEnd}] {Contraction.DurationSeconds:0.0} s at {Contraction.TimesFloor:0.#}x floor ({Contraction.TimesFloor * FrontEnd.FloorRmsMillivolts:0.000} mV), ramp {Contraction.RampSeconds:0.00}{(Contraction.Exponential ? " exp" : "")}, fmed {Contraction.MedianFrequencyHz:0} Hz, {(StillAccelerometer ? "still acc" : "no acc")}{(Context == Context.None ? "" : $", {Context} at {ContextOffsetSeconds:+0.00;-0.00} s")}");
    }

    /// <summary>
    /// A contraction of <paramref name="minSeconds"/>–<paramref name="maxSeconds"/> after 20 s of rest: median frequency
    /// 40–150 Hz, plateau ≥ 3× the floor (3–300×, log-uniform) with an RMS of 0.03–3 mV, ramp 0.05–1 s linear or
    /// exponential, any front end of <see cref="SyntheticEmg.RandomFrontEnd"/>; with <paramref name="hum"/> false, no mains hum.
    /// The "× floor" is against the true floor (rest noise and quantisation): hum on top lowers the ratio the detector sees
    /// unless the front end removes it (issue 11, item 1), which is why each property runs with and without hum.
    /// </summary>
    private static Case RandomCase(Random random, int index, double minSeconds, double maxSeconds, bool hum, Context context = Context.None)
    {
        var frontEnd = RandomFrontEnd(random, hum);
        double ratio;
        do
        {
            ratio = LogUniform(random, 3, 300);
        }
        while (ratio * frontEnd.FloorRmsMillivolts is < 0.03 or > 3);

        var contraction = new Contraction(
            RestBeforeSeconds + random.NextDouble(),
            LogUniform(random, 0.05, 1.0),
            random.Next(2) == 0,
            minSeconds + (random.NextDouble() * (maxSeconds - minSeconds)),
            ratio,
            40 + (random.NextDouble() * 110));
        bool accelerometer = context is Context.Motion or Context.PostureChange || random.Next(2) == 0;
        return new Case(index, frontEnd, contraction, accelerometer, context, (random.NextDouble() * 2) - 1);
    }

    private sealed record Outcome(IReadOnlyList<CrampEvent> Events, int ActiveWindows, int Windows, int SaturatedWindows);

    private static Outcome Run(Case c, double totalSeconds, Func<double, double>? muscleTimesFloor = null, Action<float[]>? alterCalf = null, IWindowScorer? scorer = null, CrampDetectorOptions? options = null)
    {
        var fe = c.FrontEnd;
        bool twoSites = c.Context == Context.Coactivation;
        var layout = new RecordingLayout(fe.SampleRateHz, twoSites ? ["calf", "shin"] : ["calf"], false, c.StillAccelerometer);
        var calf = muscleTimesFloor is null
            ? Generate(fe, totalSeconds, c.Contraction, 9000 + c.Index)
            : Generate(fe, totalSeconds, muscleTimesFloor, c.Contraction.MedianFrequencyHz, 9000 + c.Index);
        alterCalf?.Invoke(calf);

        // The co-activated synergist: the same kind of contraction at ≥ 3× its floor, onset within ±1 s of the calf's.
        var shin = twoSites
            ? Generate(fe, totalSeconds, c.Contraction with { OnsetSeconds = c.Contraction.OnsetSeconds + c.ContextOffsetSeconds, TimesFloor = Math.Max(3, c.Contraction.TimesFloor / 3) }, 19000 + c.Index)
            : null;

        var model = scorer ?? ShippedModel.Load();
        var sink = new ListSink();
        var detector = new CrampDetector(layout, model, sink, options);
        var frame = layout.CreateFrame();
        var accelerometerNoise = new Random(29000 + c.Index);
        int accelerometerEvery = (int)(fe.SampleRateHz / 100);
        double contextAt = c.Contraction.OnsetSeconds + c.ContextOffsetSeconds;
        int active = 0, windows = 0, saturated = 0;
        for (int n = 0; n < calf.Length; n++)
        {
            double t = n / fe.SampleRateHz;
            frame.TimeSeconds = t;
            frame.EmgMillivolts[0] = calf[n];
            if (shin is not null)
            {
                frame.EmgMillivolts[1] = shin[n];
            }

            frame.HasAcceleration = c.StillAccelerometer && n % accelerometerEvery == 0;
            if (frame.HasAcceleration)
            {
                // At rest: gravity on z and 0.01 g of MEMS noise. Motion: a 2-Hz, 0.3-g swing (forward and up) for 1 s
                // centred on the context time. Posture change: the limb turns 60° over the 0.5 s centred on it.
                double x = 0.01 * Gaussian(accelerometerNoise), y = 0.01 * Gaussian(accelerometerNoise), z = 0.01 * Gaussian(accelerometerNoise);
                double tilt = c.Context == Context.PostureChange ? Math.Clamp((t - contextAt + 0.25) / 0.5, 0, 1) * Math.PI / 3 : 0;
                y += Math.Sin(tilt);
                z += Math.Cos(tilt);
                if (c.Context == Context.Motion && Math.Abs(t - contextAt) <= 0.5)
                {
                    double swing = 0.3 * Math.Sin(2 * Math.PI * 2 * t);
                    x += swing;
                    z += swing;
                }

                frame.AccelerationXG = (float)x;
                frame.AccelerationYG = (float)y;
                frame.AccelerationZG = (float)z;
            }

            if (detector.Process(frame))
            {
                windows++;
                active += detector.Features.Activity(0).IsActive ? 1 : 0;
                saturated += detector.Assessments[0].Saturated ? 1 : 0;
            }
        }

        detector.Flush(totalSeconds);
        return new Outcome(sink.Events, active, windows, saturated);
    }

    /// <summary>Runs <paramref name="count"/> cases made by <paramref name="make"/> (index 0…), each with 10 s of rest after the contraction; describes those that reported a cramp.</summary>
    private static List<string> CasesReportingACramp(int count, Func<int, Case> make)
    {
        var failures = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var c = make(i);
            var started = Started(Run(c, c.Contraction.EndSeconds + RestAfterSeconds));
            if (started.Count > 0)
            {
                failures.Add($"{c}: cramp at {started[0].OnsetSeconds:0.00} s");
            }
        }

        return failures;
    }

    /// <summary>
    /// Runs <paramref name="count"/> cases from <paramref name="make"/> and describes each that did not give exactly one
    /// cramp with saturated windows and no signal fault.
    /// </summary>
    private static List<string> CasesNotOneSaturatedCramp(int count, Func<int, Case> make)
    {
        var failures = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var c = make(i);
            var outcome = Run(c, c.Contraction.EndSeconds + RestAfterSeconds);
            var started = Started(outcome);
            if (started.Count != 1 || outcome.SaturatedWindows == 0 || outcome.Events.Any(e => e.Type == CrampEventKind.SignalFault))
            {
                failures.Add($"{c}: {started.Count} cramps, {outcome.SaturatedWindows} saturated windows, events {string.Join(",", outcome.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}{(e.Faults is null ? "" : ":" + string.Join("+", e.Faults))}"))}");
            }
        }

        return failures;
    }

    private static List<CrampEvent> Started(Outcome o) => o.Events.Where(e => e.Type == CrampEventKind.CrampStarted && e.Site == "calf").ToList();

    /// <summary>Issue 12 item 1: 36 seeded (3100) context-free sustained contractions of 5.5–30 s → exactly one cramp each.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_ContextFreeSustainedContractions_ReportExactlyOneCrampEach(bool hum)
    {
        var random = new Random(3100);
        var failures = new List<string>();
        var onsetErrors = new List<double>();
        for (int i = 0; i < 36; i++)
        {
            var c = RandomCase(random, i, 5.5, 30, hum);
            var outcome = Run(c, c.Contraction.EndSeconds + RestAfterSeconds);
            var started = Started(outcome);
            if (started.Count == 1)
            {
                onsetErrors.Add(started[0].OnsetSeconds - c.Contraction.OnsetSeconds);
            }
            else
            {
                failures.Add($"{c}: {started.Count} cramps, {outcome.ActiveWindows} active windows, events {string.Join(",", outcome.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}"))}");
            }
        }

        var absolute = onsetErrors.Select(Math.Abs).ToList();
        string onset = string.Create(CultureInfo.InvariantCulture, $"|onset error| median {Quantile(absolute, 0.5) * 1000:0} ms, p90 {Quantile(absolute, 0.9) * 1000:0} ms, signed median {Quantile(onsetErrors, 0.5) * 1000:0} ms over {onsetErrors.Count}");
        Assert.True(failures.Count == 0, $"{failures.Count} of 36 not exactly one cramp (hum {hum}); {onset}:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// A contraction strong enough to saturate the front end: a randomised case as above at 1000 or 2000 Hz whose RMS is
    /// full scale / 1.5 to / 2.2 (3–13 % of the samples at the rails, ±8.25 mV, 10 or 12 bits).
    /// </summary>
    private static Case SaturatingCase(Random random, int index, double minSeconds, double maxSeconds, bool hum = true)
    {
        Case c;
        do
        {
            c = RandomCase(random, index, minSeconds, maxSeconds, hum);
        }
        while (c.FrontEnd.SampleRateHz < 1000);

        double rms = FullScaleMillivolts / LogUniform(random, 1.5, 2.2);
        return c with { Contraction = c.Contraction with { TimesFloor = rms / c.FrontEnd.FloorRmsMillivolts } };
    }

    /// <summary>
    /// Issue 11 §4 / issue 12: 12 seeded (3900) context-free contractions of 5.5–20 s that clip the front end on 3–13 % of
    /// their samples (see <see cref="SaturatingCase"/>) are each one cramp, with saturated windows and no clipped fault.
    /// </summary>
    [Fact]
    public void Process_SaturatingContextFreeSustainedContractions_ReportOneCrampEachFlaggedSaturated()
    {
        var random = new Random(3900);

        var failures = CasesNotOneSaturatedCramp(12, i => SaturatingCase(random, 900 + i, 5.5, 20));

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12: 12 seeded (3960) context-free contractions of 5.5–20 s driven beyond full scale — RMS 1.4–1.7 × full scale
    /// (±8.25 mV, 10 or 12 bits), so 48–56 % of their samples sit at the rails, more than the 2Q(1) a measured signal
    /// reaches — at 1000 Hz (median 40–95 Hz) or 2000 Hz (40–150 Hz), any ramp of 0.05–1 s, with hum: each is one cramp,
    /// with saturated windows and no fault. Their windows are clipped, but the activation rose clean and what lies between
    /// the clips is band-limited (<see cref="CrampSense.Signals.Features.SignalQuality.Overdriven"/>).
    /// </summary>
    [Fact]
    public void Process_ContextFreeContractionsDrivenBeyondFullScale_ReportOneCrampEachFlaggedSaturated()
    {
        var random = new Random(3960);

        var failures = CasesNotOneSaturatedCramp(12, i =>
        {
            Case c;
            do
            {
                c = RandomCase(random, 960 + i, 5.5, 20, hum: true);
            }
            while (c.FrontEnd.SampleRateHz < 1000);

            double rms = FullScaleMillivolts * (1.4 + (0.3 * random.NextDouble()));
            double median = c.FrontEnd.SampleRateHz >= 2000 ? c.Contraction.MedianFrequencyHz : 40 + (55 * random.NextDouble());
            return c with { Contraction = c.Contraction with { TimesFloor = rms / c.FrontEnd.FloorRmsMillivolts, MedianFrequencyHz = median } };
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12 (foreign v02, v05, v10 at gain ×10): 12 seeded (3965) context-free contractions of 5.5–20 s at 1000 Hz whose
    /// median is 110–150 Hz, linear ramp 0.6–1 s, driven to an RMS of 1.1–1.7 × full scale (about 24–56 % of their samples at
    /// the rails), with hum: each is one cramp with saturated windows and no fault. Between the clips such a contraction
    /// crosses from rail to rail in one or two samples, so its runs are not band-limited beyond chance
    /// (<see cref="CrampSense.Signals.Features.SignalQuality.BroadbandRuns"/>); the evidence is the activation that had been
    /// active on clean or saturated windows for longer than a window and a hop before. Without that carry, 6 of these 12
    /// end in a clipped fault.
    /// </summary>
    [Fact]
    public void Process_ThousandHertzContractionsBeyondFullScaleWithBroadbandRuns_ReportOneCrampEach()
    {
        var random = new Random(3965);

        var failures = CasesNotOneSaturatedCramp(12, i =>
        {
            Case c;
            do
            {
                c = RandomCase(random, 965 + i, 5.5, 20, hum: true);
            }
            // Rest below one ADC step reads as a flat channel first (a fault of its own, see Process_RestBelowOneStep…).
            while (c.FrontEnd.SampleRateHz != 1000 || c.FrontEnd.FloorRmsMillivolts < c.FrontEnd.LsbMillivolts);

            double rms = FullScaleMillivolts * (1.1 + (0.6 * random.NextDouble()));
            double ramp = 0.6 + (0.4 * random.NextDouble());
            return c with { Contraction = c.Contraction with { TimesFloor = rms / c.FrontEnd.FloorRmsMillivolts, MedianFrequencyHz = 110 + (40 * random.NextDouble()), RampSeconds = ramp, Exponential = false } };
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// The guard of the carry above: 12 seeded (3966) recordings at 1000 Hz, with hum and the rails declared, in which a
    /// contraction of RMS full scale / 6 to / 3 (below the rails) is, 1–2.5 s after its onset, replaced for 15 s by clipped
    /// Gaussian noise (5, 20 or 50 % of its samples at the rails): a signal fault and no cramp. The activation had lasted
    /// longer than a window and a hop, but it never reached the rails as a band-limited signal (no saturated window), so
    /// nothing says the broadband clipping is the same muscle.
    /// </summary>
    [Fact]
    public void Process_ContractionReplacedByClippedNoiseAt1000Hz_RaisesAFaultAndNoCramp()
    {
        var random = new Random(3966);
        double[] fullScaleOverRms = [1.96, 1.28, 0.674];
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            Case c;
            do
            {
                c = RandomCase(random, 966 + i, 4, 4, hum: true);
            }
            while (c.FrontEnd.SampleRateHz != 1000 || c.FrontEnd.FloorRmsMillivolts < c.FrontEnd.LsbMillivolts);

            var fe = c.FrontEnd;
            double rms = FullScaleMillivolts / (3 + (3 * random.NextDouble()));
            c = c with { Contraction = c.Contraction with { TimesFloor = rms / fe.FloorRmsMillivolts, RampSeconds = 0.3, Exponential = false } };
            double faultAt = c.Contraction.OnsetSeconds + 1 + (1.5 * random.NextDouble());
            double faultEnd = faultAt + 15;
            double noise = FullScaleMillivolts / fullScaleOverRms[i % 3];
            var noiseRandom = new Random(4966 + i);
            void Fault(float[] x)
            {
                for (int n = (int)(faultAt * fe.SampleRateHz); n < Math.Min(x.Length, (int)(faultEnd * fe.SampleRateHz)); n++)
                {
                    x[n] = AtTheAdc(fe, noise * Gaussian(noiseRandom));
                }
            }

            var outcome = Run(c, faultEnd + RestAfterSeconds, alterCalf: Fault, options: DeclaredRails(fe));

            bool faulted = outcome.Events.Any(e => e.Type == CrampEventKind.SignalFault && e.Site == "calf" && e.OnsetSeconds >= faultAt - 0.3 && e.OnsetSeconds <= faultEnd);
            if (Started(outcome).Count > 0 || !faulted)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{fe} contraction {rms:0.00} mV from {c.Contraction.OnsetSeconds:0.00} s, noise at full scale / {fullScaleOverRms[i % 3]} from {faultAt:0.00} s: {string.Join(",", outcome.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}{(e.Faults is null ? "" : ":" + string.Join("+", e.Faults))}"))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 not a fault without a cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12: 12 seeded (3970) context-free contractions of 5.5–20 s sampled at 500 Hz (median 60–105 Hz: their power
    /// reaches fs/4) at RMS full scale / 2.6 to / 2.0, so they clip on 1–5 % of their samples, in some windows and not
    /// others, with hum: each is one cramp with saturated windows and no fault (one window's band-limit evidence is too
    /// weak at 500 Hz; the last second's is not).
    /// </summary>
    [Fact]
    public void Process_FiveHundredHertzContractionsClippingIntermittently_ReportOneCrampEach()
    {
        var random = new Random(3970);

        var failures = CasesNotOneSaturatedCramp(12, i =>
        {
            Case c;
            do
            {
                c = RandomCase(random, 970 + i, 5.5, 20, hum: true);
            }
            while (c.FrontEnd.SampleRateHz != 500);

            double rms = FullScaleMillivolts / (2.0 + (0.6 * random.NextDouble()));
            return c with { Contraction = c.Contraction with { TimesFloor = rms / c.FrontEnd.FloorRmsMillivolts, MedianFrequencyHz = 60 + (45 * random.NextDouble()) } };
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12 (motor-unit night-cramp-60102): 12 seeded (3980) context-free contractions of 5.5–20 s sampled at 500 Hz
    /// whose spectrum fills the Nyquist band (median 120–150 Hz, band up to 225 Hz), linear ramp 0.6–1 s, at RMS full scale
    /// / 2.2 to / 1.1 (clipping on about 3–36 % of their samples), with hum: each is one cramp with saturated windows and
    /// no fault. Their unclipped runs are not band-limited beyond chance (what lies between the clips looks like noise at
    /// this rate); the evidence is the clean rise the activity detector saw before the clipping
    /// (<see cref="CrampSense.Signals.Features.SignalQuality.BandUnresolved"/>). Limit: a rise from rest that clips within
    /// 0.3 s of its activation (an exponential 0.5-s ramp to 0.7 × full scale) stays a clipped fault, as before (out of a
    /// prodrome it does not: <see cref="Process_CrampOutOfAProdromeAtTheRailsWithin300MsOfItsOnset_ReportsOneCramp"/>).
    /// </summary>
    [Fact]
    public void Process_FiveHundredHertzBroadbandContractionsClipping_ReportOneCrampEach()
    {
        var random = new Random(3980);

        var failures = CasesNotOneSaturatedCramp(12, i =>
        {
            Case c;
            do
            {
                c = RandomCase(random, 980 + i, 5.5, 20, hum: true);
            }
            while (c.FrontEnd.SampleRateHz != 500);

            double rms = FullScaleMillivolts / (1.1 + (1.1 * random.NextDouble()));
            double ramp = 0.6 + (0.4 * random.NextDouble());
            return c with { Contraction = c.Contraction with { TimesFloor = rms / c.FrontEnd.FloorRmsMillivolts, MedianFrequencyHz = 120 + (30 * random.NextDouble()), RampSeconds = ramp, Exponential = false } };
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of 12:\n{string.Join("\n", failures)}");
    }

    /// <summary>The front end's rails declared to the detector, as a service configured for its ADC would: the lowest and the highest code.</summary>
    private static CrampDetectorOptions DeclaredRails(FrontEnd frontEnd) =>
        new() { Features = new FeatureExtractorOptions { FullScale = new FullScaleRange(-FullScaleMillivolts, FullScaleMillivolts - frontEnd.LsbMillivolts) } };

    /// <summary>Clamps <paramref name="mv"/> to the rails of <paramref name="frontEnd"/> and rounds it to its step, as its ADC would.</summary>
    private static float AtTheAdc(FrontEnd frontEnd, double mv) =>
        (float)Math.Clamp(Math.Round(mv / frontEnd.LsbMillivolts) * frontEnd.LsbMillivolts, -FullScaleMillivolts, FullScaleMillivolts - frontEnd.LsbMillivolts);

    /// <summary>
    /// Issue 12 (night-cramp-92102, both engines: 500 Hz, at the rails within 0.05 s of its activation): 12 seeded (3990)
    /// cramps out of a prodrome, at 500 Hz (median 120–150 Hz: the band fills the Nyquist band) or 1000 Hz (40–150 Hz),
    /// with hum and the rails declared. After 20 s of rest the prodrome rises over 10 s to 2–3× the floor and holds 5–20 s;
    /// the cramp then ramps linearly to an RMS of full scale / 1.1 to / 2.2 (about 3–36 % of its samples at the rails)
    /// reaching the rails (3 × its RMS) 0.05–0.3 s after its onset, holds 15 s and is released: one cramp, its onset
    /// within 0.5 s of the ramp. On main 4 of 12 (500 Hz) stayed clipped faults: no activation had 0.3 s of clean windows.
    /// </summary>
    [Fact]
    public void Process_CrampOutOfAProdromeAtTheRailsWithin300MsOfItsOnset_ReportsOneCramp()
    {
        var random = new Random(3990);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            Case c;
            do
            {
                c = RandomCase(random, 990 + i, 15, 15, hum: true);
            }
            while (c.FrontEnd.SampleRateHz > 1000);

            var fe = c.FrontEnd with { RestNoiseMillivolts = Math.Min(c.FrontEnd.RestNoiseMillivolts, 0.010) };
            double prodrome = 2 + random.NextDouble();
            double rampAt = RestBeforeSeconds + 10 + 5 + (15 * random.NextDouble());
            double rms = FullScaleMillivolts / (1.1 + (1.1 * random.NextDouble()));
            double toRails = 0.05 + (0.25 * random.NextDouble());
            double median = fe.SampleRateHz == 500 ? 120 + (30 * random.NextDouble()) : 40 + (110 * random.NextDouble());
            // A linear ramp reaches a third of the plateau RMS, where the first samples reach the rails, at toRails.
            double ramp = toRails * 3 * rms / FullScaleMillivolts;
            var cramp = new Contraction(rampAt, ramp, false, 15, rms / fe.FloorRmsMillivolts, median);
            c = c with { FrontEnd = fe, Contraction = cramp };
            double Shape(double t) => t < RestBeforeSeconds ? 1 : t < RestBeforeSeconds + 10 ? 1 + ((prodrome - 1) * (t - RestBeforeSeconds) / 10)
                : t > cramp.EndSeconds + 0.1 ? 1 : prodrome + ((cramp.TimesFloor - prodrome) * cramp.Shape(t));

            var outcome = Run(c, cramp.EndSeconds + RestAfterSeconds, Shape, options: DeclaredRails(fe));

            var started = Started(outcome);
            if (started.Count != 1 || Math.Abs(started[0].OnsetSeconds - rampAt) > 0.5)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{c} after a {prodrome:0.0}x prodrome, rails at +{toRails:0.00} s (ramp at {rampAt:0.00} s): {string.Join(",", outcome.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}{(e.Faults is null ? "" : ":" + string.Join("+", e.Faults))}"))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 not one cramp at the ramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// The guard of the carry above: rails reached by no contraction. 12 seeded (3995) recordings at 500 Hz, with hum and
    /// the rails declared, rest or a prodrome (2–2.4× the floor, risen over 10 s and held 5–20 s: at the stay level the
    /// carry starts from) then, for 15 s, either a DC step (the electrode's offset jumps to 0.995–1.05 × full scale, where
    /// the signal rides on the rail) or a wander into the rails (1.2–2 × full scale at 0.1–0.4 Hz): a signal fault and no
    /// cramp. The prodrome stays below the activation level (2.5× the floor): one above it that resumes after a fault is
    /// activated against the floor alone (the fault erased the lookback), which gave a cramp on main as well (2 of 12 with
    /// 2–3× prodromes; docs/detector.md, "Clipping within 0.3 s of the activation").
    /// </summary>
    [Fact]
    public void Process_DcStepOrWanderIntoTheRailsAfterRestOrAProdromeAt500Hz_RaisesAFaultAndNoCramp()
    {
        var random = new Random(3995);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            Case c;
            do
            {
                c = RandomCase(random, 995 + i, 15, 15, hum: true);
            }
            while (c.FrontEnd.SampleRateHz != 500);

            var fe = c.FrontEnd with { RestNoiseMillivolts = Math.Min(c.FrontEnd.RestNoiseMillivolts, 0.010) };
            bool withProdrome = i % 2 == 0;
            bool step = i % 4 < 2;
            double prodrome = withProdrome ? 2 + (0.4 * random.NextDouble()) : 1;
            double faultAt = RestBeforeSeconds + 10 + 5 + (15 * random.NextDouble());
            double level = step ? FullScaleMillivolts * (0.995 + (0.055 * random.NextDouble())) : FullScaleMillivolts * (1.2 + (0.8 * random.NextDouble()));
            double hz = 0.1 + (0.3 * random.NextDouble());
            double faultEnd = faultAt + 15;
            c = c with { FrontEnd = fe, Contraction = c.Contraction with { OnsetSeconds = faultAt, DurationSeconds = 15 } };
            double Shape(double t) => t < RestBeforeSeconds ? 1 : t < RestBeforeSeconds + 10 ? 1 + ((prodrome - 1) * (t - RestBeforeSeconds) / 10) : prodrome;
            void Fault(float[] x)
            {
                for (int n = (int)(faultAt * fe.SampleRateHz); n < Math.Min(x.Length, (int)(faultEnd * fe.SampleRateHz)); n++)
                {
                    double t = (n / fe.SampleRateHz) - faultAt;
                    double shift = step ? level - fe.DcOffsetMillivolts : level * Math.Sin(2 * Math.PI * hz * t);
                    x[n] = AtTheAdc(fe, x[n] + shift);
                }
            }

            var outcome = Run(c, faultEnd + RestAfterSeconds, Shape, Fault, options: DeclaredRails(fe));

            bool faulted = outcome.Events.Any(e => e.Type == CrampEventKind.SignalFault && e.Site == "calf" && e.OnsetSeconds >= faultAt - 0.3 && e.OnsetSeconds <= faultEnd);
            if (Started(outcome).Count > 0 || !faulted)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{fe} {(withProdrome ? $"{prodrome:0.0}x prodrome" : "rest")}, {(step ? $"DC step to {level:0.000} mV" : $"wander {level:0.0} mV at {hz:0.00} Hz")} at {faultAt:0.00} s: {string.Join(",", outcome.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}{(e.Faults is null ? "" : ":" + string.Join("+", e.Faults))}"))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 not a fault without a cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// 12 seeded (3950) saturating contractions of 1–4.8 s (see <see cref="SaturatingCase"/>), with and without hum → no
    /// cramp. (#954, 4.7 s at 744× floor under 43-µV 60-Hz hum drifting ±0.49 Hz at 1 kHz, was the hard case: the hum the
    /// canceller left while re-acquiring the line after the contraction held the site active into the minimum.)
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_ShortSaturatingContractions_ReportNoCramp(bool hum)
    {
        var random = new Random(3950);

        var failures = CasesReportingACramp(12, i => SaturatingCase(random, 950 + i, 1, 4.8, hum));

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 gave a cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 11: a 10-bit front end whose rest lies below one step (2.7 µV under 16.1 µV) and whose ADC then sticks at
    /// the code the rest sat on, from 30 to 60 s (the case the dither allowance of Flat lets through longest): a flat
    /// fault within the allowance (5 s) and a window, and no cramp, neither while stuck nor when the rest returns.
    /// </summary>
    [Fact]
    public void Process_RestBelowOneStepThenStuckAtItsCode_RaisesAFlatFaultAndNoCramp()
    {
        var frontEnd = new FrontEnd(1000, 0.0027, DcOffsetMillivolts: 0.2, Bits: 10);
        var restOnly = new Case(700, frontEnd, new Contraction(1000, 0.1, false, 1, 1, 100), false, Context.None, 0);

        var outcome = Run(restOnly, 90, alterCalf: calf => Array.Fill(calf, calf[30_000], 30_000, 30_000));

        Assert.Empty(Started(outcome));
        Assert.Contains(outcome.Events, e => e.Type == CrampEventKind.SignalFault && e.Faults!.Contains("flat") && e.OnsetSeconds is >= 30 and <= 35.5);
    }

    /// <summary>
    /// Issue 12 item 1, by construction: 12 seeded (3700) context-free sustained contractions of 5.5–30 s (median frequency
    /// 40–150 Hz, ≥ 3× floor, any gain, 500/1000/2000 Hz, with hum) give the same single cramp (onset, confirmation, end)
    /// with the shipped scores and with scores pinned to either extreme (intent 1 and artifact 1; both 0): the decision
    /// reads neither score.
    /// </summary>
    [Fact]
    public void Process_ContextFreeSustainedContractions_DecisionIsTheSameWhateverTheScores()
    {
        var random = new Random(3700);
        var failures = new List<string>();
        IWindowScorer[] extremes = [new ConstantScorer(new WindowScores(1f, 1f)), new ConstantScorer(new WindowScores(0f, 0f))];
        for (int i = 0; i < 12; i++)
        {
            var c = RandomCase(random, 700 + i, 5.5, 30, hum: true);
            double total = c.Contraction.EndSeconds + RestAfterSeconds;
            var shipped = Decisions(Run(c, total));
            if (shipped.Count(d => d.Type == CrampEventKind.CrampStarted) != 1)
            {
                failures.Add($"{c}: {shipped.Count(d => d.Type == CrampEventKind.CrampStarted)} cramps with the shipped scores");
            }

            foreach (var scorer in extremes)
            {
                var pinned = Decisions(Run(c, total, scorer: scorer));
                if (!pinned.SequenceEqual(shipped))
                {
                    failures.Add($"{c}: scores {((ConstantScorer)scorer).Scores} give {string.Join(", ", pinned)}; shipped {string.Join(", ", shipped)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differences over 12 cases:\n{string.Join("\n", failures)}");
    }

    private static List<(CrampEventKind Type, string Site, double Onset, double? Confirmed, double? End)> Decisions(Outcome o) =>
        o.Events.Select(e => (e.Type, e.Site, e.OnsetSeconds, e.ConfirmedSeconds, e.EndSeconds)).ToList();

    /// <summary>24 seeded (3200) contractions of 1–4.8 s, otherwise as above → no cramp.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_ContractionsShorterThanTheMinimum_ReportNoCramp(bool hum)
    {
        var random = new Random(3200);
        var failures = CasesReportingACramp(24, i => RandomCase(random, 100 + i, 1, 4.8, hum));

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 short contractions became cramps:\n{string.Join("\n", failures)}");
    }

    /// <summary>24 seeded (3300) sustained contractions with context within ±1 s of the onset (8 each: motion, posture change, a co-activated second site) → no cramp.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_SustainedContractionsWithContext_ReportNoCramp(bool hum)
    {
        var random = new Random(3300);
        Context[] contexts = [Context.Motion, Context.PostureChange, Context.Coactivation];
        var failures = CasesReportingACramp(24, i => RandomCase(random, 200 + i, 5.5, 30, hum, contexts[i % 3]));

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 contractions with context became cramps:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12, "shorter than the minimum never is" (as motor-unit 94000 <c>short-contractions-94009</c>, a 3.9-s hold whose
    /// residual at about 2× the floor held it active into a "cramp"): 24 seeded (3560) voluntary holds of 3–4.5 s at
    /// 10–20× the floor, any front end of <see cref="SyntheticEmg.RandomFrontEnd"/> but unquantised, let go (0.1 s) to a
    /// residual tone for 4–8 s, then rest → no cramp. The residual is 1.55–2.15× the generator's floor, i.e. 1.7–2.4× the
    /// floor the detector measures (a low percentile of the window envelopes, about 0.9 × the rest envelope's mean), as in
    /// 94009 (1.7–2.3×). Quantised small rest noise (10 bit) is measured up to 1.7× below the generator's floor (rest noise
    /// plus LSB/√12): such a "residual" lies at 3–4× the floor the detector sees, above the activation level, a
    /// contraction of its own.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_HoldShorterThanTheMinimumThenResidualToneAbout2TimesFloor_ReportsNoCramp(bool hum)
    {
        var random = new Random(3560);
        var failures = new List<string>();
        for (int i = 0; i < 24; i++)
        {
            var drawn = RandomCase(random, 700 + i, 3, 4.5, hum);
            var c = drawn with { FrontEnd = drawn.FrontEnd with { Bits = 0 } };
            double onset = c.Contraction.OnsetSeconds, end = c.Contraction.EndSeconds;
            double ramp = 0.1 + (0.2 * random.NextDouble());
            double level = 10 + (10 * random.NextDouble());
            double residual = 1.55 + (0.6 * random.NextDouble());
            double residualEnd = end + 0.1 + 4 + (4 * random.NextDouble());
            double Shape(double t) => t < onset ? 1
                : t < onset + ramp ? 1 + ((level - 1) * (t - onset) / ramp)
                : t < end ? level
                : t < end + 0.1 ? level + ((residual - level) * (t - end) / 0.1)
                : t < residualEnd ? residual
                : 1;

            var outcome = Run(c, residualEnd + RestAfterSeconds, Shape);

            var started = Started(outcome);
            if (started.Count > 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{c.FrontEnd} hold {end - onset:0.00} s at {level:0.0}x, residual {residual:0.00}x for {residualEnd - end:0.0} s: cramp at {started[0].OnsetSeconds:0.00} s confirmed {started[0].ConfirmedSeconds:0.00} s"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 holds with a residual gave a cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Contractions just under the minimum (4.5 and 4.7 s, then a 0.1-s release) at 10–120× the floor, 1000 Hz, no hum: no
    /// cramp. (At high amplitude the 250-ms window keeps the site active after the release, which must not count.)
    /// </summary>
    [Theory]
    [InlineData(4.5, 10)]
    [InlineData(4.5, 120)]
    [InlineData(4.7, 10)]
    [InlineData(4.7, 45)]
    [InlineData(4.7, 120)]
    public void Process_ContractionJustUnderTheMinimumAtHighAmplitude_ReportsNoCramp(double seconds, double timesFloor)
    {
        var frontEnd = new FrontEnd(1000, 0.007, Bits: 12);
        var c = new Case(600, frontEnd, new Contraction(RestBeforeSeconds, 0.15, false, seconds, timesFloor, 100), false, Context.None, 0);
        var started = Started(Run(c, c.Contraction.EndSeconds + RestAfterSeconds));

        Assert.True(started.Count == 0, string.Join(", ", started.Select(e => $"cramp onset {e.OnsetSeconds:0.00} s confirmed {e.ConfirmedSeconds:0.00} s (contraction {c.Contraction.OnsetSeconds:0.00}-{c.Contraction.EndSeconds:0.00} s + 0.1 s release)")));
    }

    /// <summary>
    /// 12 seeded (3400) recordings that start inside a 20-s cramp (4–30× its floor) followed by 30 s of rest: one cramp with
    /// onset at the recording's start, reported at the latest when its end is known (its end, plus the floor's fast-fall
    /// time and one window, 1.5 s).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_RecordingStartsInsideACramp_ReportsItWithOnsetAtTheStart(bool hum)
    {
        var random = new Random(3400);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var c = RandomCase(random, 300 + i, 20, 20, hum);
            c = c with { Contraction = c.Contraction with { OnsetSeconds = -1, RampSeconds = 0, TimesFloor = LogUniform(random, 4, 30) } };
            var started = Started(Run(c, 50));
            double end = c.Contraction.EndSeconds;
            if (started.Count != 1 || started[0].OnsetSeconds > 0.1 || !(started[0].ConfirmedSeconds <= end + 1.5))
            {
                failures.Add($"{c}: {string.Join(", ", started.Select(e => $"cramp onset {e.OnsetSeconds:0.00} s confirmed {e.ConfirmedSeconds:0.00} s"))} (cramp ends at {end:0.00} s)");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 openings not reported as one cramp from the start:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// 8 seeded (3500) prodromes (after 20 s of rest, 30 s of slow rise to 4× the floor) followed by a cramp ramping in 0.5 s
    /// to 30× for 15 s: one cramp, its onset at the ramp (within 0.5 s: the ramp, not the prodrome's start 30 s earlier;
    /// onset accuracy itself is MuscleActivityDetectorTests' target), and any cramp_warning before it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_ProdromeThenCramp_ReportsOneCrampWithOnsetAtTheRamp(bool hum)
    {
        var random = new Random(3500);
        var failures = new List<string>();
        int warned = 0;
        var onsetErrors = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            var c = RandomCase(random, 400 + i, 15, 15, hum);
            double rampAt = RestBeforeSeconds + 30;
            var cramp = new Contraction(rampAt, 0.5, false, 15, 30, c.Contraction.MedianFrequencyHz);
            c = c with { FrontEnd = c.FrontEnd with { RestNoiseMillivolts = Math.Min(c.FrontEnd.RestNoiseMillivolts, 0.010) }, Contraction = cramp };
            double Shape(double t) => t < RestBeforeSeconds ? 1 : t < rampAt ? 1 + (3 * (t - RestBeforeSeconds) / 30) : 4 + (26 * cramp.Shape(t));
            var outcome = Run(c, cramp.EndSeconds + RestAfterSeconds, Shape);
            var started = Started(outcome);
            onsetErrors.AddRange(started.Select(e => e.OnsetSeconds - rampAt));
            var warnings = outcome.Events.Where(e => e.Type == CrampEventKind.CrampWarning).ToList();
            warned += warnings.Count > 0 ? 1 : 0;
            if (started.Count != 1 || Math.Abs(started[0].OnsetSeconds - rampAt) > 0.5
                || warnings.Any(w => w.ConfirmedSeconds > started[0].ConfirmedSeconds))
            {
                failures.Add($"{c}: {string.Join(", ", outcome.Events.Select(e => $"{e.Type} onset {e.OnsetSeconds:0.00} confirmed {e.ConfirmedSeconds:0.00}"))} (ramp at {rampAt:0.00} s)");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 8 prodrome+cramp cases wrong ({warned} warned; onset errors {string.Join(", ", onsetErrors.Select(e => (e * 1000).ToString("0", CultureInfo.InvariantCulture)))} ms):\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// 12 seeded (3700) slow cramps out of a prodrome, each after 20 s of rest: a smoothstep rise to 2–3× the floor over
    /// 25–35 s (flickering as in <see cref="Process_ProdromeAloneFlickeringOrWandering_ReportsNoCramp"/>), then a linear climb at
    /// 0.22–0.3 floor/s (the jump rule never sees it, and the floor follows it) to 12–15× the floor (hum the canceller leaves
    /// raises the floor the detector sees by up to a half), held 20 s, then back to
    /// rest over 0.5 s: one cramp, its onset in the climb (at or after its start, at most 2 s after it passed half the
    /// plateau: the held activation dates it to the last half-second below half the level held, which swings by a fifth
    /// at the lowest rates), confirmed within <see cref="MuscleActivityDetector.HeldSeconds"/> + 1 s
    /// of the plateau, ended within 2 s of the release.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_SlowClimbAfterAProdrome_ReportsOneCrampWithItsOnsetInTheClimb(bool hum)
    {
        var random = new Random(3700);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var c = RandomCase(random, 600 + i, 10, 10, hum);
            double prodrome = 2 + random.NextDouble();
            double prodromeSeconds = 25 + (10 * random.NextDouble());
            double level = 12 + (3 * random.NextDouble());
            double slope = 0.22 + (0.08 * random.NextDouble());
            double climb = RestBeforeSeconds + prodromeSeconds;
            double plateau = climb + ((level - prodrome) / slope);
            double halfAt = climb + (((level / 2) - prodrome) / slope);
            double release = plateau + 20;
            var flicker = Flicker(release + 10, 3750 + i);
            double Shape(double t)
            {
                double p = Math.Clamp((t - RestBeforeSeconds) / prodromeSeconds, 0, 1);
                double k = t < climb ? 1 + ((prodrome - 1) * p * p * (3 - (2 * p))) : Math.Min(level, prodrome + (slope * (t - climb)));
                return t < RestBeforeSeconds ? 1 : t < release ? Math.Max(1, k * flicker[(int)(t * 1000)]) : t < release + 0.5 ? 1 + ((level - 1) * (release + 0.5 - t) / 0.5) : 1;
            }

            var outcome = Run(c, release + RestAfterSeconds, Shape);
            var started = Started(outcome);
            var ended = outcome.Events.Where(e => e.Type == CrampEventKind.CrampEnded && e.Site == "calf").ToList();
            if (started.Count != 1 || !(started[0].OnsetSeconds >= climb && started[0].OnsetSeconds <= halfAt + 2)
                || started[0].ConfirmedSeconds > plateau + MuscleActivityDetector.HeldSeconds + 1
                || ended.Count != 1 || Math.Abs(ended[0].EndSeconds!.Value - (release + 0.5)) > 2)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"#{c.Index} {c.FrontEnd} prodrome {prodrome:0.0}x over {prodromeSeconds:0} s, climb from {climb:0.0} s at {slope:0.00} floor/s to {level:0.0}x (half the plateau at {halfAt:0.0} s, plateau {plateau:0.0}-{release:0.0} s): {string.Join(", ", outcome.Events.Select(e => $"{e.Type} onset {e.OnsetSeconds:0.00} confirmed {e.ConfirmedSeconds:0.00} end {e.EndSeconds:0.00}"))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 slow cramps out of a prodrome not reported as one cramp in the climb:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12 §2: 12 seeded (3520) slow prodromes alone, each after 20 s of rest: a linear rise to 2.5–5× the floor at
    /// most 0.08 floor/s (never a doubling within 4 s, so the site never activates), held 30 s, then back to rest over
    /// 2 s: no cramp. The floor learns the never-active raised level and falls back with it; that fall is not the end of
    /// activity the recording started inside (the opening rule), because the floor had been at rest before.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_SlowProdromeAloneThenRest_ReportsNoCramp(bool hum)
    {
        var random = new Random(3520);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var c = RandomCase(random, 420 + i, 10, 10, hum);
            double level = 2.5 + (2.5 * random.NextDouble());
            double rise = (level - 1) / (0.04 + (0.04 * random.NextDouble()));
            double held = RestBeforeSeconds + rise + 30;
            double Shape(double t) => t < RestBeforeSeconds ? 1 : t < RestBeforeSeconds + rise ? 1 + ((level - 1) * (t - RestBeforeSeconds) / rise) : t < held ? level : t < held + 2 ? 1 + ((level - 1) * (held + 2 - t) / 2) : 1;

            var outcome = Run(c, held + 10, Shape);

            var started = Started(outcome);
            if (started.Count > 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{c.FrontEnd} prodrome {level:0.0}x over {rise:0} s: cramp at {started[0].OnsetSeconds:0.00} s, {outcome.ActiveWindows} active windows"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 slow prodromes gave a cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12 §2, the open question of the activity detector's skipped prodrome tests (brief activations on a flickering
    /// or wandering prodrome): whether they chain into a cramp. 24 seeded (3550) prodromes alone, each after 20 s of rest:
    /// a smoothstep rise to 2–5× the floor over 25–45 s, its level flickering as a prodrome's irregular discharge
    /// (log-normal, σ = 0.1, AR(1) with τ = 0.3 s), in every other case also wandering by ±30 % (two sines of periods
    /// 2–10 s), held 60 s, then back to rest over 2 s: no cramp.
    /// </summary>
    [Theory(Skip = "Issue 12 §2 not built, measured 2026-12-03 (branch h-decision): 7 (no hum) and 5 (hum) of 24 give a cramp: each activated on the steep part of a fast rise (>= 0.1 floor/s, the jump rule plus flicker) or on a wander, and stayed active at the prodrome's level into the minimum. The 9-10 more that gave a cramp from 0 s (the opening rule on the floor's fall) no longer do. Branch h-prodrome2 (not kept, docs/detector.md): withdrawing raised jumps that fall back onto their trend leaves 4 and 2, all jumps from rest at the foot of a fast rise at 500 Hz; holding every jump 0.75-1 s leaves 1/0 and 0/0 but loses night-cramp-70101 and foreign v08")]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_ProdromeAloneFlickeringOrWandering_ReportsNoCramp(bool hum)
    {
        var random = new Random(3550);
        var failures = new List<string>();
        int warned = 0;
        for (int i = 0; i < 24; i++)
        {
            var c = RandomCase(random, 450 + i, 10, 10, hum);
            double level = 2 + (3 * random.NextDouble());
            double rise = 25 + (20 * random.NextDouble());
            bool wander = i % 2 == 1;
            double p1 = 2 + (8 * random.NextDouble()), p2 = 2 + (8 * random.NextDouble());
            double f1 = random.NextDouble() * 2 * Math.PI, f2 = random.NextDouble() * 2 * Math.PI;
            double held = RestBeforeSeconds + rise + 60;
            var flicker = Flicker(held + 10, 3650 + i);
            double Shape(double t)
            {
                double p = Math.Clamp((t - RestBeforeSeconds) / rise, 0, 1);
                double k = t < held ? 1 + ((level - 1) * p * p * (3 - (2 * p))) : t < held + 2 ? 1 + ((level - 1) * (held + 2 - t) / 2) : 1;
                double swing = wander && t >= RestBeforeSeconds + rise ? 1 + (0.15 * Math.Sin((2 * Math.PI * t / p1) + f1)) + (0.15 * Math.Sin((2 * Math.PI * t / p2) + f2)) : 1;
                return t < RestBeforeSeconds || t >= held + 2 ? 1 : Math.Max(1, k * swing * flicker[(int)(t * 1000)]);
            }

            var outcome = Run(c, held + 10, Shape);
            warned += outcome.Events.Any(e => e.Type == CrampEventKind.CrampWarning) ? 1 : 0;
            var started = Started(outcome);
            if (started.Count > 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{c.FrontEnd} prodrome {level:0.0}x over {rise:0} s{(wander ? $", wandering (periods {p1:0.0}, {p2:0.0} s)" : "")}: cramp at {started[0].OnsetSeconds:0.00} s, {outcome.ActiveWindows} active windows"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 prodromes gave a cramp ({warned} warned):\n{string.Join("\n", failures)}");
    }

    /// <summary>A prodrome's irregular discharge as a level factor per millisecond: log-normal, σ = 0.1, AR(1) with τ = 0.3 s, mean 1.</summary>
    private static double[] Flicker(double seconds, int seed)
    {
        var random = new Random(seed);
        double rho = Math.Exp(-1 / (0.3 * 1000));
        double state = 0;
        var flicker = new double[(int)Math.Ceiling(seconds * 1000) + 1];
        for (int n = 0; n < flicker.Length; n++)
        {
            state = (rho * state) + (Math.Sqrt(1 - (rho * rho)) * Gaussian(random));
            flicker[n] = Math.Exp((0.1 * state) - 0.005);
        }

        return flicker;
    }

    /// <summary>12 seeded (3600) minutes of rest with hum 5–60 µV (50/60 Hz, 3rd and 5th harmonics, drift ≤ ±0.5 Hz) → never active, no cramp.</summary>
    [Fact]
    public void Process_MainsHumOnRest_NeverActiveAndNoCramp()
    {
        var random = new Random(3600);
        var failures = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var c = RandomCase(random, 500 + i, 5, 5, hum: true);
            c = c with { FrontEnd = c.FrontEnd with { HumMillivolts = 0.005 * (i + 1) } };
            var outcome = Run(c, 60, _ => 1);
            if (outcome.ActiveWindows > 0 || Started(outcome).Count > 0)
            {
                failures.Add($"{c.FrontEnd}: {outcome.ActiveWindows} active windows of {outcome.Windows}, {Started(outcome).Count} cramps");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 hum cases active:\n{string.Join("\n", failures)}");
    }

    private sealed class ConstantScorer(WindowScores scores) : IWindowScorer
    {
        public WindowScores Scores => scores;

        public string Version => "constant@000000000000";

        public WindowScores Score(ReadOnlySpan<float> features) => scores;
    }

    private sealed class ListSink : ICrampEventSink
    {
        public List<CrampEvent> Events { get; } = [];

        public void OnEvent(CrampEvent cramp) => Events.Add(cramp);
    }
}

using System.Globalization;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using Xunit;
using static CrampSense.Testing.Signals.SyntheticEmg;

namespace CrampSense.Detection.Tests.Model;

/// <summary>
/// The whole detector (<see cref="CrampDetector"/>, shipped model) on repeated voluntary contractions of one site without
/// any other context (one channel, no accelerometer): a rhythmic burst pattern is evidence of intent
/// (<see cref="IntentEvidence.Rhythm"/>), so repetitions that the activity detector joins into a sustained activation
/// are not a cramp, while a cramp's own dips, and a sustained contraction after the rhythm lapsed, leave it a cramp.
/// </summary>
public sealed class CrampDetectorRhythmTests
{
    private const double RestBeforeSeconds = 20;

    private sealed record Outcome(IReadOnlyList<CrampEvent> Events, double LongestActivationSeconds, IReadOnlyList<(double Time, IntentEvidence Intent, bool Active)> Windows)
    {
        public List<CrampEvent> Cramps => Events.Where(e => e.Type == CrampEventKind.CrampStarted).ToList();
    }

    private static Outcome Run(double sampleRateHz, float[] samples, bool stillAccelerometer = false)
    {
        var layout = new RecordingLayout(sampleRateHz, ["biceps"], false, stillAccelerometer);
        var sink = new RecordingSink();
        var detector = new CrampDetector(layout, ShippedModel.Load(), sink);
        var frame = layout.CreateFrame();
        var windows = new List<(double, IntentEvidence, bool)>();
        double longest = 0, activeSince = double.NaN;
        for (int n = 0; n < samples.Length; n++)
        {
            frame.TimeSeconds = n / sampleRateHz;
            frame.EmgMillivolts[0] = samples[n];
            if (stillAccelerometer && n % (int)(sampleRateHz / 100) == 0)
            {
                // A limb lying still: gravity only, at the IMU's 100 Hz.
                frame.HasAcceleration = true;
                frame.AccelerationXG = 0;
                frame.AccelerationYG = 0;
                frame.AccelerationZG = 1;
            }
            else
            {
                frame.HasAcceleration = false;
            }

            if (detector.Process(frame))
            {
                var a = detector.Assessments[0];
                windows.Add((a.EndSeconds, a.Intent, a.IsActive));
                if (a.IsActive)
                {
                    activeSince = double.IsNaN(activeSince) ? a.EndSeconds : activeSince;
                    longest = Math.Max(longest, a.EndSeconds - activeSince);
                }
                else
                {
                    activeSince = double.NaN;
                }
            }
        }

        detector.Flush(samples.Length / sampleRateHz);
        return new Outcome(sink.Events.Select(e => e.Event).ToList(), longest, windows);
    }

    private static string Describe(Outcome o) =>
        string.Create(CultureInfo.InvariantCulture, $"longest activation {o.LongestActivationSeconds:0.0} s, events {string.Join(", ", o.Events.Select(e => $"{e.Type}@{e.OnsetSeconds:0.00}"))}");

    /// <summary>
    /// Case <paramref name="c"/> of the cadence tests: a seeded front end at the given rate (hum and all), 20 s of rest,
    /// then 30 s of strides or pedal strokes of 0.55–1 s whose bursts (20–150 × the floor, at most 1.5 mV RMS) fall between
    /// them to 1.5–4 × for less than 0.5 s, then 10 s of rest; run through the whole detector.
    /// </summary>
    private static (Outcome Outcome, string Description) RunCadence(Random random, double sampleRateHz, int c, bool stillAccelerometer)
    {
        var frontEnd = RandomFrontEnd(random) with { SampleRateHz = sampleRateHz };
        double high = Math.Min(150, 1.5 / frontEnd.FloorRmsMillivolts);
        double peak = LogUniform(random, Math.Min(20, high / 1.5), high);
        double period = 0.55 + (0.45 * random.NextDouble());
        double duty = NeverReleasedDuty(period, random.NextDouble());
        double trough = 1.5 + (2.5 * random.NextDouble());
        var envelope = Cadence(random, RestBeforeSeconds, RestBeforeSeconds + 30, period, duty, peak, trough);
        var outcome = Run(sampleRateHz, Generate(frontEnd, RestBeforeSeconds + 40, envelope, 40 + (110 * random.NextDouble()), 44000 + c), stillAccelerometer);
        return (outcome, string.Create(CultureInfo.InvariantCulture, $"#{c} [{frontEnd}] period {period:0.00} s duty {duty:0.00} {peak:0}x/{trough:0.0}x"));
    }

    /// <summary>A muscle envelope (× floor) made of <paramref name="segments"/>: (duration, level) one after another from t = 0, rest (1×) after them.</summary>
    private static Func<double, double> Piecewise(IReadOnlyList<(double Seconds, double TimesFloor)> segments)
    {
        var ends = new double[segments.Count];
        double t0 = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            t0 += segments[i].Seconds;
            ends[i] = t0;
        }

        return t =>
        {
            int i = Array.FindIndex(ends, e => t < e);
            return i < 0 ? 1 : segments[i].TimesFloor;
        };
    }

    /// <summary>
    /// tests/data/emg-long: the first 34 s of the PLUX fatigue run (biceps, eight flexion cycles of about 4 s, 12 bit, mV).
    /// The activity detector joins two of them into one 7.3-s activation (its release stays at 3–5 × the floor, above the
    /// stay level); the rhythm of the cycles before it is the context that makes it voluntary.
    /// </summary>
    [Fact]
    public void Process_RealFatigueRunOfEightFlexionCycles_NoCrampThoughTwoCyclesAreOneActivation()
    {
        var samples = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "emg_fatigue_biceps_34s.csv"))
            .Skip(1)
            .Select(line => float.Parse(line.Split(',')[3], CultureInfo.InvariantCulture))
            .ToArray();

        var outcome = Run(1000, samples);

        Assert.True(outcome.LongestActivationSeconds >= 5, Describe(outcome));
        Assert.Contains(outcome.Windows, w => w.Time is > 25.5 and < 27 && (w.Intent & IntentEvidence.Rhythm) != 0);
        Assert.True(outcome.Cramps.Count == 0, Describe(outcome));
    }

    /// <summary>
    /// 12 seeded (4100) series of ten holds of 3–3.5 s at 80–200 × the floor (any front end, with and without hum; at most 1.5 mV RMS,
    /// so down to 50 × on the noisiest front ends), each followed by a release: the first two to rest for 1–1.3 s (the real
    /// fatigue run's first two: 1.0–1.4 s), so that the periods stay within 4–4.8 s, the others for
    /// 0.8–1 s to 1–4 × the floor, which the activity detector bridges, so holds are joined into activations of 5 s and
    /// more (counted). No cramp: from the third hold on they are a rhythm. The first two holds must be told apart: joined
    /// from the very first, a series has no rhythm before it is 5 s long (docs/detector.md, "Rhythm").
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_RhythmicSeriesOf3To4SecondHolds_NoCramp(bool hum)
    {
        var random = new Random(4100);
        var failures = new List<string>();
        int joined = 0;
        for (int c = 0; c < 12; c++)
        {
            var frontEnd = RandomFrontEnd(random, hum);
            var segments = new List<(double, double)> { (RestBeforeSeconds, 1) };
            for (int hold = 0; hold < 10; hold++)
            {
                double high = Math.Min(200, 1.5 / frontEnd.FloorRmsMillivolts);
                double plateau = LogUniform(random, Math.Min(80, high / 1.5), high);

                segments.Add((3 + (0.5 * random.NextDouble()), plateau));
                segments.Add(hold < 2 ? (1.0 + (0.3 * random.NextDouble()), 1) : (0.8 + (0.2 * random.NextDouble()), 1 + (3 * random.NextDouble())));
            }

            double total = segments.Sum(s => s.Item1) + 10;
            var outcome = Run(frontEnd.SampleRateHz, Generate(frontEnd, total, Piecewise(segments), 40 + (110 * random.NextDouble()), 41000 + c));
            joined += outcome.LongestActivationSeconds >= 5 ? 1 : 0;
            if (outcome.Cramps.Count > 0)
            {
                failures.Add($"#{c} [{frontEnd}]: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 series reported a cramp (hum {hum}):\n{string.Join("\n", failures)}");
        Assert.True(joined > 0, "no series had an activation of 5 s or more: the case the rhythm must decide was not made");
    }

    /// <summary>
    /// 12 seeded (4200) context-free contractions of 12 s at 100–300 × the floor (any front end, with hum; at most
    /// 1.5 mV RMS, within the full scale, so 50–75 × on the noisiest front ends) whose envelope
    /// dips once, 4 s in, to 1/14 of the plateau for 0.3 s: one deep dip is not a rhythm, so each is exactly one cramp.
    /// </summary>
    [Fact]
    public void Process_CrampWithOneDeep0_3SecondDip_IsOneCramp()
    {
        var random = new Random(4200);
        var failures = new List<string>();
        for (int c = 0; c < 12; c++)
        {
            var frontEnd = RandomFrontEnd(random);
            double high = Math.Min(300, 1.5 / frontEnd.FloorRmsMillivolts);
            double plateau = LogUniform(random, Math.Min(100, high / 1.5), high);
            var segments = new List<(double, double)> { (RestBeforeSeconds, 1), (4, plateau), (0.3, plateau / 14), (7.7, plateau) };
            var outcome = Run(frontEnd.SampleRateHz, Generate(frontEnd, RestBeforeSeconds + 22, Piecewise(segments), 40 + (110 * random.NextDouble()), 42000 + c));
            if (outcome.Cramps.Count != 1)
            {
                failures.Add($"#{c} [{frontEnd}] {plateau:0}x: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 12 not exactly one cramp:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// The decision for a sustained contraction preceded by rhythmic bursts (docs/detector.md, "Rhythm"): four 3-s holds
    /// at 100 × the floor with 1-s releases to rest (period 4 s), then a 15-s contraction. Starting on the series'
    /// schedule (4 s after the last hold began) it is the next repetition, held: no cramp. Starting 12 s after it (the
    /// series lapsed 6 s after the last start) nothing around its onset shows intent: a cramp. 6 seeded (4300) front ends each.
    /// </summary>
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(8.0, 1)]
    public void Process_SustainedContractionAfterRhythmicHolds_VoluntaryOnTheirScheduleACrampOnceTheyLapsed(double pauseSeconds, int expectedCramps)
    {
        var random = new Random(4300);
        var failures = new List<string>();
        for (int c = 0; c < 6; c++)
        {
            var frontEnd = RandomFrontEnd(random);
            var segments = new List<(double, double)> { (RestBeforeSeconds, 1) };
            for (int hold = 0; hold < 4; hold++)
            {
                segments.Add((3, 100));
                segments.Add((1, 1));
            }

            segments.Add((pauseSeconds, 1));
            segments.Add((15, 100));
            double total = segments.Sum(s => s.Item1) + 10;
            var outcome = Run(frontEnd.SampleRateHz, Generate(frontEnd, total, Piecewise(segments), 40 + (110 * random.NextDouble()), 43000 + c));
            if (outcome.Cramps.Count != expectedCramps)
            {
                failures.Add($"#{c} [{frontEnd}]: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 6 not {expectedCramps} cramp(s) after a pause of {pauseSeconds} s:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// One site running or cycling without an accelerometer (docs/detector.md, "Rhythm": a cadence inside one
    /// activation): 8 seeded (4400 + rate) front ends at the given rate (hum and all), 20 s of rest, then 30 s of strides
    /// or pedal strokes of 0.55–1 s whose bursts (20–150 × the floor, at most 1.5 mV RMS) fall between them to 1.5–4 × for
    /// less than 0.5 s, so the activity detector holds them as one activation (counted). The cadence is the rhythm: no cramp.
    /// </summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2000)]
    public void Process_OneSiteRunningOrCyclingCadence_NoCramp(double sampleRateHz)
    {
        var random = new Random(4400 + (int)sampleRateHz);
        var failures = new List<string>();
        int joined = 0;
        for (int c = 0; c < 8; c++)
        {
            var (outcome, description) = RunCadence(random, sampleRateHz, c, stillAccelerometer: false);
            joined += outcome.LongestActivationSeconds >= 5 ? 1 : 0;
            if (outcome.Cramps.Count > 0)
            {
                failures.Add($"{description}: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 8 cadences reported a cramp:\n{string.Join("\n", failures)}");
        Assert.True(joined > 0, "no cadence was one activation of 5 s or more: the case the rhythm must decide was not made");
    }

    /// <summary>
    /// The same 8 seeded (4400 + rate) cadenced activations of 30 s as <see cref="Process_OneSiteRunningOrCyclingCadence_NoCramp"/>,
    /// but with an accelerometer that shows the limb lying still: where one is worn, gait is its evidence, so a cadence in
    /// the envelope alone (a cramp that waxes and wanes deeply) is not intent, and each activation that the activity
    /// detector holds for 5 s is a cramp by the rule.
    /// </summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2000)]
    public void Process_CadencedActivationWithStillAccelerometer_IsACramp(double sampleRateHz)
    {
        var random = new Random(4400 + (int)sampleRateHz);
        var failures = new List<string>();
        int joined = 0;
        for (int c = 0; c < 8; c++)
        {
            var (outcome, description) = RunCadence(random, sampleRateHz, c, stillAccelerometer: true);
            bool held = outcome.LongestActivationSeconds >= 6;
            joined += held ? 1 : 0;
            if (held && outcome.Cramps.Count == 0)
            {
                failures.Add($"{description}: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} cadenced activations held >= 6 s beside a still accelerometer gave no cramp:\n{string.Join("\n", failures)}");
        Assert.True(joined > 0, "no cadence was one activation of 6 s or more: the case was not made");
    }

    /// <summary>
    /// 8 seeded (4500 + rate) context-free cramps of 8–30 s at the given rate, 5–150 × the floor (at most 1.5 mV RMS), with
    /// irregular discharge (the level changes every 0.1–0.4 s by ± 25 %), the common drive's ± 10 % at 1–2 Hz and a
    /// ± 30 % wobble at 0.1–0.3 Hz: no window of the cramp is rhythmic, and each is exactly one cramp.
    /// </summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2000)]
    public void Process_OneSiteCrampWithIrregularEnvelope_OneCrampNeverRhythmic(double sampleRateHz)
    {
        var random = new Random(4500 + (int)sampleRateHz);
        var failures = new List<string>();
        for (int c = 0; c < 8; c++)
        {
            var frontEnd = RandomFrontEnd(random) with { SampleRateHz = sampleRateHz };
            double high = Math.Min(150, 1.5 / frontEnd.FloorRmsMillivolts / 1.6);
            double plateau = LogUniform(random, Math.Min(5, high / 1.5), high);
            double duration = 8 + (22 * random.NextDouble());
            var envelope = CrampEnvelope(random, RestBeforeSeconds, RestBeforeSeconds + duration, plateau);
            var outcome = Run(sampleRateHz, Generate(frontEnd, RestBeforeSeconds + duration + 10, envelope, 40 + (110 * random.NextDouble()), 45000 + c));
            bool rhythmic = outcome.Windows.Any(w => w.Active && (w.Intent & IntentEvidence.Rhythm) != 0);
            if (outcome.Cramps.Count != 1 || rhythmic)
            {
                failures.Add($"#{c} [{frontEnd}] {plateau:0}x {duration:0.0} s: rhythmic {rhythmic}, {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 8 cramps not exactly one cramp or rhythmic:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// An exercise-associated cramp on one site after a run (docs/detector.md, "A cadence inside one burst"): 6 seeded
    /// (4600) front ends, 20 s of 0.6–0.9-s strides at 30–100 × the floor, 2 s of rest, then a 12-s cramp at 30–100 ×. The
    /// run's cadence ends with its release; the cramp starts a burst of its own, whose window holds only the cramp: one
    /// cramp each, with its onset within 0.3 s of the truth.
    /// </summary>
    [Fact]
    public void Process_CrampTwoSecondsAfterARunOnOneSite_IsOneCramp()
    {
        var random = new Random(4600);
        var failures = new List<string>();
        for (int c = 0; c < 6; c++)
        {
            var frontEnd = RandomFrontEnd(random);
            double high = Math.Min(100, 1.5 / frontEnd.FloorRmsMillivolts / 1.6);
            double period = 0.6 + (0.3 * random.NextDouble());
            var run = Cadence(random, RestBeforeSeconds, RestBeforeSeconds + 20, period, NeverReleasedDuty(period, random.NextDouble()), LogUniform(random, Math.Min(30, high / 1.5), high), 2);
            double onset = RestBeforeSeconds + 22;
            var cramp = CrampEnvelope(random, onset, onset + 12, LogUniform(random, Math.Min(30, high / 1.5), high));
            var outcome = Run(frontEnd.SampleRateHz, Generate(frontEnd, onset + 20, t => t < onset ? run(t) : cramp(t), 40 + (110 * random.NextDouble()), 46000 + c));
            if (outcome.Cramps.Count != 1 || Math.Abs(outcome.Cramps[0].OnsetSeconds - onset) > 0.3)
            {
                failures.Add($"#{c} [{frontEnd}] period {period:0.00} s: {Describe(outcome)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 6 not one cramp at its onset:\n{string.Join("\n", failures)}");
    }
}

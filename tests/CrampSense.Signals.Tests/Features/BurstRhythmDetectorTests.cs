using CrampSense.Signals.Features;
using Xunit;
using static CrampSense.Testing.Signals.SyntheticEmg;

namespace CrampSense.Signals.Tests.Features;

/// <summary>
/// The rhythmic-burst detector on envelope-over-floor traces given hop by hop (50 ms): what makes a series (deep
/// releases at a regular period of 1–5 s, three bursts) or a cadence inside one burst (strides or pedal strokes of
/// 0.33–1.25 s) and what does not (a dip, shallow modulation, irregular or PLM-like periods, a lapse, a faulty window,
/// a cramp's irregular envelope).
/// </summary>
public sealed class BurstRhythmDetectorTests
{
    private const double HopSeconds = 0.05;

    /// <summary>
    /// A trace of <paramref name="seconds"/>: <paramref name="atTime"/>(t) gives the envelope over the floor at each hop's
    /// end (t = k·hop, k = 1…).
    /// </summary>
    private static float[] Trace(double seconds, Func<double, double> atTime)
    {
        int count = (int)Math.Round(seconds / HopSeconds);
        var x = new float[count];
        for (int k = 0; k < count; k++)
        {
            x[k] = (float)atTime((k + 1) * HopSeconds);
        }

        return x;
    }

    /// <summary>Bursts at <paramref name="plateau"/> × floor starting at each of <paramref name="starts"/>, each held <paramref name="holdSeconds"/>, rest (1×) in between.</summary>
    private static Func<double, double> Bursts(double[] starts, double holdSeconds, double plateau = 100) =>
        t => starts.Any(s => t >= s && t < s + holdSeconds) ? plateau : 1;

    private static bool[] Run(float[] trace)
    {
        var detector = new BurstRhythmDetector(HopSeconds);
        var rhythmic = new bool[trace.Length];
        detector.Process(trace, rhythmic);
        return rhythmic;
    }

    private static double FirstRhythmic(bool[] rhythmic)
    {
        int k = Array.IndexOf(rhythmic, true);
        return k < 0 ? double.NaN : (k + 1) * HopSeconds;
    }

    [Fact]
    public void Process_HoldsOf3SecondsWithReleasesToRestEvery4Seconds_RhythmicFromTheThirdBurstsStart()
    {
        var rhythmic = Run(Trace(40, Bursts([2, 6, 10, 14, 18, 22], 3)));

        Assert.Equal(10.0, FirstRhythmic(rhythmic), 3);
        Assert.All(Enumerable.Range(0, rhythmic.Length).Where(k => (k + 1) * HopSeconds is >= 10 and <= 25), k => Assert.True(rhythmic[k], $"not rhythmic at {(k + 1) * HopSeconds:0.00} s"));
    }

    [Fact]
    public void Process_SeriesStops_RhythmLapsesOneAndAHalfPeriodsAfterTheLastBurstsStart()
    {
        var rhythmic = Run(Trace(40, Bursts([2, 6, 10, 14], 3)));

        // Last start 14 s, period 4 s: the series lapses after 14 + 1.5 × 4 = 20 s.
        Assert.True(rhythmic[(int)Math.Round(19.9 / HopSeconds) - 1]);
        Assert.False(rhythmic[(int)Math.Round(20.1 / HopSeconds) - 1]);
    }

    [Fact]
    public void Process_SustainedContractionWithOneDeep0_3SecondDip_NeverRhythmic()
    {
        // 300× the floor with one dip to 1/14 of it (21×) for 0.3 s, as a loud cramp's envelope can do.
        var rhythmic = Run(Trace(40, t => t < 5 ? 1 : t < 12 ? 300 : t < 12.3 ? 21 : t < 30 ? 300 : 1));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_RepeatedDeepTroughsShorterThanTheMinimumRelease_NeverRhythmic()
    {
        // A sustained contraction whose envelope drops to 5 % every 2 s for 0.4 s: troughs, not releases.
        var rhythmic = Run(Trace(40, t => t < 5 ? 1 : t < 35 ? ((t - 5) % 2.0 < 0.4 ? 5 : 100) : 1));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_ShallowModulationAboveATenthOfThePlateau_NeverRhythmic()
    {
        // Bursts at 100× that fall only to 15× between them, every 4 s: modulated, never let go.
        var rhythmic = Run(Trace(40, t => t < 2 ? 1 : (t - 2) % 4.0 < 3 ? 100 : 15));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_IrregularPeriods_NeverRhythmic()
    {
        // Periods alternate 1.5 s and 4 s (ratio 2.7): bursts with releases, but no period.
        var rhythmic = Run(Trace(40, Bursts([2, 3.5, 7.5, 9, 13, 14.5, 18.5, 20], 0.8)));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_PeriodicBurstsEvery6Seconds_NeverRhythmic()
    {
        // A periodic-limb-movement-like series: 1.5-s bursts every 6 s (PLM intervals are ≥ 5 s, and not intent).
        var rhythmic = Run(Trace(60, Bursts([2, 8, 14, 20, 26, 32, 38], 1.5)));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_BurstsBelowTheActivationLevel_NeverRhythmic()
    {
        // 2× the floor is rest-level fluctuation, however regular.
        var rhythmic = Run(Trace(40, Bursts([2, 6, 10, 14, 18], 3, plateau: 2)));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_RunningOrCyclingCadenceOf0_55To1SecondNeverReleased_RhythmicWithin4SecondsOfItsStart()
    {
        // 24 seeded (5100) cadences: strides or pedal strokes of 0.55–1 s, bursts at 10–300 × the floor falling between
        // them to 1.5–4 × for less than 0.5 s (so one burst throughout, which a series of releases cannot see).
        var random = new Random(5100);
        var failures = new List<string>();
        for (int c = 0; c < 24; c++)
        {
            double period = 0.55 + (0.45 * random.NextDouble());
            double duty = NeverReleasedDuty(period, random.NextDouble());
            double peak = LogUniform(random, 10, 300), trough = 1.5 + (2.5 * random.NextDouble());
            var detector = new BurstRhythmDetector(HopSeconds);
            var trace = Trace(40, Cadence(random, 5, 35, period, duty, peak, trough));
            var rhythmic = trace.Select(x => detector.Process(x)).ToArray();
            double first = FirstRhythmic(rhythmic);
            bool heldToTheEnd = Enumerable.Range(0, rhythmic.Length).Where(k => (k + 1) * HopSeconds is >= 9 and < 35).All(k => rhythmic[k]);
            if (!(first < 5 + 4) || !heldToTheEnd || detector.SeriesBursts > 1)
            {
                failures.Add($"#{c} period {period:0.00} s duty {duty:0.00} {peak:0}x/{trough:0.0}x: first rhythmic {first:0.00} s, held {heldToTheEnd}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 cadences not rhythmic:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void Process_CrampEnvelopeWithIrregularDischargeAndWobble_NeverRhythmic()
    {
        // 24 seeded (5200) cramps of 10–60 s at 5–300 × the floor.
        var random = new Random(5200);
        var failures = new List<string>();
        for (int c = 0; c < 24; c++)
        {
            double duration = 10 + (50 * random.NextDouble());
            var rhythmic = Run(Trace(duration + 15, CrampEnvelope(random, 5, 5 + duration, LogUniform(random, 5, 300))));
            if (rhythmic.Contains(true))
            {
                failures.Add($"#{c}: rhythmic at {FirstRhythmic(rhythmic):0.00} s");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24 cramps rhythmic:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void Process_SustainedContractionWithShallowModulationAt1_4Hz_NeverRhythmic()
    {
        // The cramp's common drive as a pure tone (± 25 % at 1.4 Hz, deeper than the simulators' ± 8 %): periodic, but
        // the muscle never lets go within the cycle.
        var rhythmic = Run(Trace(40, t => t < 5 ? 1 : t < 35 ? 100 * (1 + (0.25 * Math.Sin(2 * Math.PI * 1.4 * t))) : 1));

        Assert.DoesNotContain(true, rhythmic);
    }

    [Fact]
    public void Process_CadenceThenReleaseToRest_RhythmicOnlyInsideTheBurst()
    {
        // Strides of 0.7 s from 5 to 25 s, then rest: the cadence belongs to that burst and ends with its release.
        var rhythmic = Run(Trace(40, Cadence(new Random(5300), 5, 25, 0.7, 0.5, 100, 3)));

        Assert.True(rhythmic[(int)Math.Round(20.0 / HopSeconds)]);
        Assert.DoesNotContain(true, rhythmic.Skip((int)Math.Round(26.0 / HopSeconds)));
    }

    [Fact]
    public void Process_FaultyWindowInsideTheSeries_BreaksIt()
    {
        var trace = Trace(40, Bursts([2, 6, 10, 14, 18, 22], 3));
        trace[(int)Math.Round(11.0 / HopSeconds)] = float.NaN;

        var rhythmic = Run(trace);

        // Broken at 11 s; the bursts at 14 and 18 s restart the count, the third (22 s) makes it rhythmic again.
        Assert.False(rhythmic[(int)Math.Round(12.0 / HopSeconds)]);
        Assert.False(rhythmic[(int)Math.Round(21.0 / HopSeconds)]);
        Assert.True(rhythmic[(int)Math.Round(22.5 / HopSeconds)]);
    }

    [Fact]
    public void Process_Block_SameAsOneHopAtATime()
    {
        var trace = Trace(30, Bursts([2, 6, 10, 14], 3));
        var one = new BurstRhythmDetector(HopSeconds);
        var single = trace.Select(x => one.Process(x)).ToArray();

        Assert.Equal(single, Run(trace));
    }

    [Fact]
    public void Reset_AfterASeries_ForgetsIt()
    {
        var detector = new BurstRhythmDetector(HopSeconds);
        foreach (float x in Trace(12, Bursts([2, 6, 10], 3)))
        {
            detector.Process(x);
        }

        Assert.True(detector.IsRhythmic);
        detector.Reset();

        Assert.False(detector.IsRhythmic);
        Assert.Equal(0, detector.SeriesBursts);
        Assert.True(double.IsNaN(detector.PeriodSeconds));
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var bursts = Bursts([2, 6, 10, 14, 18, 22], 3);
        var cadence = Cadence(new Random(5400), 30, 50, 0.7, 0.5, 100, 3);
        var trace = Trace(60, t => t < 28 ? bursts(t) : cadence(t));
        var rhythmic = new bool[trace.Length];
        long allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var detector = new BurstRhythmDetector(HopSeconds);
            detector.Process(trace, rhythmic);
            detector.Reset();
            return () => detector.Process(trace, rhythmic);
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Autocovariance_FourLagsInOnePass_SameBitsAsOneLagAtATime()
    {
        // Random deviations of every window length 4–120 (75 at the 50-ms hop), signs, scales and exact zeros mixed,
        // every block of four lags that fits: each lag must be the naive sum, bit for bit.
        var random = new Random(5500);
        var four = new double[4];
        for (int n = 4; n <= 120; n++)
        {
            for (int draw = 0; draw < 4; draw++)
            {
                double scale = Math.Pow(10, random.Next(-6, 7));
                var d = Enumerable.Range(0, n).Select(_ => random.Next(8) == 0 ? (random.Next(2) == 0 ? 0.0 : -0.0) : scale * ((2 * random.NextDouble()) - 1)).ToArray();
                for (int lag = 0; lag + 3 < n; lag++)
                {
                    BurstRhythmDetector.Autocovariance(d, lag, four);
                    for (int j = 0; j < 4; j++)
                    {
                        double expected = NaiveAutocovariance(d, lag + j);
                        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(four[j]), $"n {n}, lag {lag + j}: {expected:R} vs {four[j]:R}");
                        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(BurstRhythmDetector.Autocovariance(d, lag + j)), $"n {n}, lag {lag + j} (one lag)");
                    }
                }
            }
        }
    }

    [Fact]
    public void CycleBound_RandomAndExtremeWindows_NoLagsCycleExceedsItTimesTheVariance()
    {
        // The Cauchy–Schwarz bound on c(T) − c(T/2) for random windows and for the shapes that come closest to it: a
        // cycle of exactly the longest period, and energy packed into the middle of the window.
        var random = new Random(5600);
        const int n = 75, shortest = 7, longest = 25;
        double bound = BurstRhythmDetector.CycleBound(n, longest);
        double worst = 0;
        for (int draw = 0; draw < 4000; draw++)
        {
            var x = new double[n];
            int kind = draw % 4;
            int period = shortest + random.Next(longest - shortest + 1);
            double phase = 2 * Math.PI * random.NextDouble(), width = 2 + (30 * random.NextDouble());
            for (int i = 0; i < n; i++)
            {
                x[i] = kind switch
                {
                    0 => random.NextDouble(),
                    1 => Math.Cos((2 * Math.PI * i / period) + phase),
                    2 => i >= longest / 2 && i < n - (longest / 2) && random.Next(3) > 0 ? 1 : 0,
                    _ => Math.Exp(-Math.Pow((i - (n / 2.0)) / width, 2)) * Math.Cos((2 * Math.PI * i / period) + phase),
                };
            }

            double mean = x.Average();
            var d = x.Select(v => v - mean).ToArray();
            double variance = NaiveAutocovariance(d, 0);
            for (int lag = shortest; lag <= longest; lag++)
            {
                double cycle = NaiveAutocovariance(d, lag) - HalfLag(d, lag);
                Assert.True(cycle <= bound * variance, $"draw {draw} lag {lag}: cycle {cycle / variance:0.000} × c(0) over the bound {bound:0.000}");
                worst = Math.Max(worst, cycle / variance);
            }
        }

        Assert.True(worst > 1.9, $"the draws came no closer than {worst:0.000} × c(0)"); // the pure cycle reaches ≈ 2
    }

    [Fact]
    public void IsCadencedWindow_RandomWindowsNearTheThresholds_SameAnswerAsTheFullSearchAndTheDepthSkipNeverRejectsAWinner()
    {
        // 20 000 random 75-hop windows (the 50-ms hop): modulated envelopes of depth 0–1.2 at periods of 0.3–1.4 s with
        // noise, irregular ones, steady ones. The search with the depth skip and four-lag sums must answer as the search
        // over every lag did (main 451027d), the skip must fire only where that search fails, and it must fire on the
        // steady windows (a cramp's), or it saves nothing.
        var random = new Random(5700);
        const int n = 75, shortest = 7, longest = 25; // the lags of the 50-ms hop
        double bound = BurstRhythmDetector.CycleBound(n, longest);
        var window = new float[n];
        var deviations = new double[n];
        var autocovariance = new double[longest + 1];
        int cadenced = 0, skipped = 0, skippedSteady = 0, steady = 0;
        for (int draw = 0; draw < 20_000; draw++)
        {
            double level = LogUniform(random, 2, 300);
            double depth = 1.2 * random.NextDouble();
            double period = (0.3 + (1.1 * random.NextDouble())) / HopSeconds;
            double phase = 2 * Math.PI * random.NextDouble();
            double noise = 0.4 * random.NextDouble() * random.NextDouble();
            bool isSteady = draw % 5 == 0;
            for (int i = 0; i < n; i++)
            {
                double m = isSteady ? 0.1 * depth * Math.Sin((2 * Math.PI * i / period) + phase) : depth * Math.Sin((2 * Math.PI * i / period) + phase);
                double v = level * (1 + m + (noise * ((2 * random.NextDouble()) - 1)));
                window[i] = (float)Math.Max(0.01, !isSteady && draw % 7 == 0 ? level * random.NextDouble() : v);
            }

            bool expected = FullSearch(window, shortest, longest);
            bool actual = BurstRhythmDetector.IsCadencedWindow(window, shortest, longest, bound, deviations, autocovariance);
            Assert.True(expected == actual, $"draw {draw}: full search {expected}");

            double mean = window.Select(v => (double)v).Sum() / n;
            var d = window.Select(v => v - mean).ToArray();
            bool skip = BurstRhythmDetector.CannotReachDepth(NaiveAutocovariance(d, 0), mean, bound);
            Assert.False(skip && expected, $"draw {draw}: skipped a cadenced window");
            cadenced += expected ? 1 : 0;
            skipped += skip ? 1 : 0;
            steady += isSteady ? 1 : 0;
            skippedSteady += skip && isSteady ? 1 : 0;
        }

        Assert.True(cadenced > 2000, $"only {cadenced} cadenced windows");
        Assert.True(skipped > 4000, $"only {skipped} skipped");
        Assert.Equal(steady, skippedSteady);
    }

    private static double NaiveAutocovariance(double[] d, int lag)
    {
        double sum = 0;
        for (int i = lag; i < d.Length; i++)
        {
            sum += d[i] * d[i - lag];
        }

        return sum / (d.Length - lag);
    }

    private static double HalfLag(double[] d, int lag) =>
        (lag & 1) == 0 ? NaiveAutocovariance(d, lag / 2) : 0.5 * (NaiveAutocovariance(d, lag / 2) + NaiveAutocovariance(d, (lag / 2) + 1));

    /// <summary>The window's cadence search over every lag, as BurstRhythmDetector did it before the depth skip (main 451027d).</summary>
    private static bool FullSearch(float[] ordered, int shortestLag, int longestLag)
    {
        int n = ordered.Length;
        var autocovariance = new double[longestLag + 1];
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += ordered[i];
        }

        mean /= n;
        for (int lag = 0; lag <= longestLag; lag++)
        {
            double sum = 0;
            for (int i = lag; i < n; i++)
            {
                sum += (ordered[i] - mean) * (ordered[i - lag] - mean);
            }

            autocovariance[lag] = sum / (n - lag);
        }

        double variance = autocovariance[0];
        if (!(variance > 0) || !(mean > 0))
        {
            return false;
        }

        for (int lag = shortestLag; lag <= longestLag; lag++)
        {
            int half = lag / 2;
            double halfCovariance = (lag & 1) == 0 ? autocovariance[half] : 0.5 * (autocovariance[half] + autocovariance[half + 1]);
            double cycle = autocovariance[lag] - halfCovariance;
            if (cycle >= 2 * BurstRhythmDetector.CadenceShare * variance && cycle >= BurstRhythmDetector.CadenceDepth * BurstRhythmDetector.CadenceDepth * mean * mean)
            {
                return true;
            }
        }

        return false;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.05)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_HopNotAPositiveFiniteNumber_Throws(double hop)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BurstRhythmDetector(hop));
        Assert.Equal("hopSeconds", e.ParamName);
    }

    [Fact]
    public void Process_BlockWithShorterOutput_Throws()
    {
        var detector = new BurstRhythmDetector(HopSeconds);

        var e = Assert.Throws<ArgumentException>(() => detector.Process(new float[4], new bool[3]));
        Assert.Equal("rhythmic", e.ParamName);
    }
}

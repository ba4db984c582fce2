using System.Globalization;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Features;
using Xunit;
using static CrampSense.Testing.Signals.SyntheticEmg;

namespace CrampSense.Signals.Tests.Features;

public sealed class MuscleActivityDetectorTests
{
    private const double HopSeconds = 0.05;

    /// <summary>One hop's result as the whole front end (<see cref="EmgFeatureExtractor"/>) reports it.</summary>
    private readonly record struct Hop(double Time, SiteActivity Activity, SignalQuality Quality);

    private static List<Hop> RunFrontEnd(double sampleRateHz, float[] samples)
    {
        var extractor = new EmgFeatureExtractor(sampleRateHz, ["calf"]);
        var output = extractor.CreateFrame();
        var frame = new CrampSense.Signals.Recordings.RecordingFrame(1);
        var hops = new List<Hop>();
        for (int n = 0; n < samples.Length; n++)
        {
            frame.TimeSeconds = n / sampleRateHz;
            frame.EmgMillivolts[0] = samples[n];
            if (extractor.Process(frame, output))
            {
                hops.Add(new Hop(output.TimeSeconds, output.Activity(0), output.Quality(0)));
            }
        }

        return hops;
    }

    /// <summary>Starts of the activations (inactive → active transitions) in <paramref name="hops"/>.</summary>
    private static List<Hop> Activations(List<Hop> hops) =>
        hops.Where((h, i) => h.Activity.IsActive && (i == 0 || !hops[i - 1].Activity.IsActive)).ToList();

    /// <summary>
    /// 72 seeded contractions (seed 1100): steps and 0.05–1-s linear and exponential ramps at 3×, 10× and 100× the floor,
    /// rest noise 2–20 µV, 500/1000/2000 Hz, median frequency 40–150 Hz, onset at 12 s after rest. The onset is the one
    /// the detector reports once refined (the last active hop before the release).
    /// </summary>
    [Fact]
    public void OnHop_StepAndRampedOnsetsAt3To100TimesFloor_OnsetErrorMedianWithin50MsAndP90Within150Ms()
    {
        var random = new Random(1100);
        var errors = new List<double>();
        var cases = new List<string>();
        double[] ratios = [3, 10, 100];
        for (int i = 0; i < 72; i++)
        {
            double ratio = ratios[i % 3];
            double ramp = (i / 3) % 4 == 0 ? 0 : LogUniform(random, 0.05, 1.0);
            bool exponential = (i / 3) % 2 == 1;
            var frontEnd = new FrontEnd(SampleRateHz: random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 }, RestNoiseMillivolts: LogUniform(random, 0.002, 0.020));
            var contraction = new Contraction(12.0 + (random.NextDouble() * 0.05), ramp, exponential, 8, ratio, 40 + (random.NextDouble() * 110));
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 24, contraction, 5000 + i));
            var last = hops.LastOrDefault(h => h.Time <= contraction.EndSeconds && h.Activity.IsActive);
            double error = last.Activity.IsActive ? last.Activity.OnsetSeconds - contraction.OnsetSeconds : double.PositiveInfinity;
            errors.Add(Math.Abs(error));
            cases.Add(string.Create(CultureInfo.InvariantCulture, $"{ratio}x ramp {ramp:0.000}{(exponential ? " exp" : "")} {frontEnd.SampleRateHz} Hz: {error * 1000:0} ms"));
        }

        double median = Quantile(errors, 0.5);
        double p90 = Quantile(errors, 0.9);
        string detail = string.Create(CultureInfo.InvariantCulture, $"|onset error| median {median * 1000:0} ms, p90 {p90 * 1000:0} ms over {errors.Count}: {string.Join("; ", cases)}");
        Assert.True(median <= 0.050, detail);
        Assert.True(p90 <= 0.150, detail);
    }

    /// <summary>
    /// A 0.4-s burst at 100 × the floor, then 8 s of raised tone at 1.8 × (below the activation level, above the stay level),
    /// as after a brief voluntary contraction: the activation ends within a second of the burst (its release, 0.5 s below a
    /// tenth of the plateau and the activation level) and the tone never holds one for a second. 6 seeds (1200), the three rates.
    /// </summary>
    [Fact]
    public void OnHop_BurstThenRaisedToneBelowTheActivationLevel_EndsAtTheReleaseAndStaysQuiet()
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var frontEnd = new FrontEnd((seed % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, 0.003 + (0.002 * seed));
            static double Muscle(double t) => t < 20 ? 1 : t < 20.4 ? 100 : t < 28.4 ? 1.8 : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 32, Muscle, 90, 1200 + seed));

            var tone = hops.Where(h => h.Time is > 20.4 and < 28.4).ToList();
            int firstQuiet = tone.FindIndex(h => !h.Activity.IsActive);
            int longestRun = 0, run = 0;
            foreach (var hop in tone.Skip(Math.Max(firstQuiet, 0)))
            {
                run = hop.Activity.IsActive ? run + 1 : 0;
                longestRun = Math.Max(longestRun, run);
            }

            string active = string.Join(", ", tone.Where(h => h.Activity.IsActive).Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)));
            Assert.Contains(hops, h => h.Time is > 20 and < 20.8 && h.Activity.IsActive);
            Assert.True(firstQuiet >= 0 && tone[firstQuiet].Time < 21.5, $"seed {seed} [{frontEnd}]: the burst's activation did not end by 21.5 s; active at {active}");

            // The tone's own fluctuation may still jump over rest seen 1–4 s earlier, but never holds an activation for a second.
            Assert.True(longestRun * HopSeconds < 1.0, $"seed {seed} [{frontEnd}]: an activation of {longestRun * HopSeconds:0.00} s in the tone; active at {active}");
        }
    }

    /// <summary>
    /// Issue 12, "shorter than the minimum never is" (as motor-unit 94000 <c>short-contractions-94009</c>): 36 randomised
    /// cases (seed 3150), a voluntary hold of 3–4.5 s at 10–20× the floor (a 0.1–0.3-s linear ramp, a 0.1-s release) let go
    /// to a residual tone for 4–8 s, then rest; 500/1000/2000 Hz, rest noise 2–20 µV, median frequency 40–150 Hz. The
    /// residual is 1.55–2.15× the generator's floor, i.e. 1.7–2.4× the floor the detector measures (a low percentile of
    /// the window envelopes, about 0.9 × the rest envelope's mean), as in 94009 (1.7–2.3×). The hold is active; the site is quiet within 1 s of the release (the residual lies above the stay level of
    /// an activation from rest, 1.6 × floor, which held the hold active through it), and no activation in the residual lasts
    /// a dip's length (0.5 s, what the tracker bridges).
    /// </summary>
    [Fact]
    public void OnHop_HoldShorterThanTheMinimumThenResidualToneAbout2TimesFloor_QuietWithinASecondOfTheReleaseAndStaysQuiet()
    {
        var random = new Random(3150);
        var failures = new List<string>();
        for (int i = 0; i < 36; i++)
        {
            var frontEnd = new FrontEnd((i % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, LogUniform(random, 0.002, 0.020));
            double onset = 12 + random.NextDouble();
            double ramp = 0.1 + (0.2 * random.NextDouble());
            double end = onset + 3 + (1.5 * random.NextDouble());
            double level = 10 + (10 * random.NextDouble());
            double residual = 1.55 + (0.6 * random.NextDouble());
            double residualEnd = end + 0.1 + 4 + (4 * random.NextDouble());
            double Muscle(double t) => t < onset ? 1
                : t < onset + ramp ? 1 + ((level - 1) * (t - onset) / ramp)
                : t < end ? level
                : t < end + 0.1 ? level + ((residual - level) * (t - end) / 0.1)
                : t < residualEnd ? residual
                : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, residualEnd + 3, Muscle, 40 + (110 * random.NextDouble()), 3200 + i));

            string name = string.Create(CultureInfo.InvariantCulture, $"case {i} ({frontEnd}, hold {end - onset:0.00} s at {level:0.0}x, residual {residual:0.00}x for {residualEnd - end:0.0} s)");
            var after = hops.Where(h => h.Time > end && h.Time <= residualEnd).ToList();
            int firstQuiet = after.FindIndex(h => !h.Activity.IsActive);
            int longestRun = 0, run = 0;
            foreach (var hop in after.Skip(Math.Max(firstQuiet, 0)))
            {
                run = hop.Activity.IsActive ? run + 1 : 0;
                longestRun = Math.Max(longestRun, run);
            }

            string active = string.Join(", ", after.Where(h => h.Activity.IsActive).Take(8).Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)));
            if (!hops.Any(h => h.Time > onset + ramp && h.Time < end && h.Activity.IsActive))
            {
                failures.Add($"{name}: the hold was never active");
            }
            else if (firstQuiet < 0 || after[firstQuiet].Time > end + 1.0)
            {
                failures.Add($"{name}: still active {(firstQuiet < 0 ? "through the residual" : string.Create(CultureInfo.InvariantCulture, $"until {after[firstQuiet].Time:0.00} s"))}; active at {active}");
            }
            else if (longestRun * HopSeconds >= 0.5)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: an activation of {longestRun * HopSeconds:0.00} s in the residual; active at {active}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 36:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// A 12-s contraction at 200 × the floor whose envelope falls to 15 × (below a tenth of the plateau, above the activation
    /// level) for 1 s in the middle stays one activation: a release is a return to about rest. 6 seeds (1300).
    /// </summary>
    [Fact]
    public void OnHop_LoudContractionDippingBelowATenthOfItsPlateauButAboveTheActivationLevel_StaysActive()
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var frontEnd = new FrontEnd((seed % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, 0.003 + (0.001 * seed));
            static double Muscle(double t) => t < 20 ? 1 : t < 26 ? 200 : t < 27 ? 15 : t < 32 ? 200 : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 36, Muscle, 90, 1300 + seed));

            var quiet = hops.Where(h => h.Time is > 20.5 and < 32 && !h.Activity.IsActive).ToList();
            Assert.True(quiet.Count == 0, $"seed {seed} [{frontEnd}]: quiet at {string.Join(", ", quiet.Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))}");
        }
    }

    /// <summary>
    /// Property over 120 randomised contractions (seed 1150): the rise linear, exponential (concave), a smooth drive that
    /// recruits from a threshold (the project simulators' onset: convex foot) or √t (recruitment fastest at the lowest
    /// thresholds: steep foot), 30 of each; ramp 0.05–1 s and plateau 3–100× the floor, both log-uniform; 500/1000/2000 Hz;
    /// rest noise 2–20 µV; median frequency 40–150 Hz. The onset the detector reports once refined has |error| median
    /// ≤ 50 ms and p90 ≤ 150 ms (issue 11 §3) and no bias to one side (signed median within ±25 ms).
    /// </summary>
    [Fact]
    public void OnHop_RandomisedRiseShapesRampsAndAmplitudes_OnsetErrorMedianWithin50MsAndP90Within150Ms()
    {
        var random = new Random(1150);
        var errors = new List<double>();
        var cases = new List<string>();
        for (int i = 0; i < 120; i++)
        {
            int shape = i % 4;
            double ramp = LogUniform(random, 0.05, 1.0);
            double ratio = LogUniform(random, 3, 100);
            var frontEnd = new FrontEnd(SampleRateHz: random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 }, RestNoiseMillivolts: LogUniform(random, 0.002, 0.020));
            var contraction = new Contraction(12.0 + (random.NextDouble() * 0.05), ramp, shape == 1, 8, ratio, 40 + (random.NextDouble() * 110))
            {
                Rise = shape switch { 2 => RiseShape.SmoothStep, 3 => RiseShape.SquareRoot, _ => RiseShape.Linear },
            };
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 24, contraction, 5200 + i));
            var last = hops.LastOrDefault(h => h.Time <= contraction.EndSeconds && h.Activity.IsActive);
            double error = last.Activity.IsActive ? last.Activity.OnsetSeconds - contraction.OnsetSeconds : double.PositiveInfinity;
            errors.Add(error);
            cases.Add(string.Create(CultureInfo.InvariantCulture, $"{(shape == 1 ? "exponential" : contraction.Rise.ToString())} {ratio:0.#}x ramp {ramp:0.000} {frontEnd.SampleRateHz} Hz: {error * 1000:+0;-0} ms"));
        }

        var absolute = errors.Select(Math.Abs).ToList();
        double median = Quantile(absolute, 0.5);
        double p90 = Quantile(absolute, 0.9);
        double bias = Quantile(errors, 0.5);
        string detail = string.Create(CultureInfo.InvariantCulture, $"|onset error| median {median * 1000:0} ms, p90 {p90 * 1000:0} ms, signed median {bias * 1000:+0;-0} ms over {errors.Count}: {string.Join("; ", cases)}");
        Assert.True(median <= 0.050, detail);
        Assert.True(p90 <= 0.150, detail);
        Assert.True(Math.Abs(bias) <= 0.025, detail);
    }

    /// <summary>
    /// 36 randomised contractions (seed 1170) whose rise is steep at the foot and concave after it (√t, or exponential), far
    /// above rest (10–100× the floor, so 15 % of the plateau's amplitude lies well above the rest noise), ramps 0.3–1 s;
    /// 500/1000/2000 Hz, rest noise 2–20 µV, median frequency 40–150 Hz. The line fitted between 15 % and 60 % is flatter
    /// than the foot and reaches back into the rest before it; the onset reported once refined has |error| median ≤ 50 ms.
    /// </summary>
    [Fact]
    public void OnHop_SteepFootThenConcaveRiseFarAboveRest_RefinedOnsetDoesNotReachBackIntoTheRest()
    {
        var random = new Random(1170);
        var errors = new List<double>();
        var cases = new List<string>();
        for (int i = 0; i < 36; i++)
        {
            bool exponential = i % 2 == 1;
            double ramp = LogUniform(random, 0.3, 1.0);
            double ratio = LogUniform(random, 10, 100);
            var frontEnd = new FrontEnd(SampleRateHz: random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 }, RestNoiseMillivolts: LogUniform(random, 0.002, 0.020));
            var contraction = new Contraction(12.0 + (random.NextDouble() * 0.05), ramp, exponential, 8, ratio, 40 + (random.NextDouble() * 110))
            {
                Rise = exponential ? RiseShape.Linear : RiseShape.SquareRoot,
            };
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 24, contraction, 5700 + i));
            var last = hops.LastOrDefault(h => h.Time <= contraction.EndSeconds && h.Activity.IsActive);
            double error = last.Activity.IsActive ? last.Activity.OnsetSeconds - contraction.OnsetSeconds : double.PositiveInfinity;
            errors.Add(Math.Abs(error));
            cases.Add(string.Create(CultureInfo.InvariantCulture, $"{(exponential ? "exponential" : "square root")} {ratio:0.#}x ramp {ramp:0.000} {frontEnd.SampleRateHz} Hz: {error * 1000:+0;-0} ms"));
        }

        double median = Quantile(errors, 0.5);
        string detail = string.Create(CultureInfo.InvariantCulture, $"|onset error| median {median * 1000:0} ms, p90 {Quantile(errors, 0.9) * 1000:0} ms over {errors.Count}: {string.Join("; ", cases)}");
        Assert.True(median <= 0.050, detail);
    }

    /// <summary>
    /// The filters' power delay is the centroid of their impulse response's energy: a pure 7-sample delay gives 7 samples,
    /// and the default 20–450 Hz band-pass gives its group delay averaged over the band with weight |H|² (from its
    /// response, 0.5–fs/2 Hz in 0.05-Hz steps), within 2 % (2.3 ms at 1 kHz).
    /// </summary>
    [Theory]
    [InlineData(500)]
    [InlineData(1000)]
    [InlineData(2000)]
    public void PowerDelaySeconds_DelayLineAndBandPass_IsTheEnergyWeightedGroupDelay(double sampleRateHz)
    {
        Assert.Equal(7 / sampleRateHz, MuscleActivityDetector.PowerDelaySeconds(new DelayLine(7), sampleRateHz), 9);

        var bandPass = new ButterworthBandPass(sampleRateHz, 20, Math.Min(450, ButterworthBandPass.MaxUpperEdgeFraction * sampleRateHz));
        var response = new BiquadCascade(bandPass.Sections, sampleRateHz);
        double weighted = 0, weight = 0;
        for (double f = 0.5; f < sampleRateHz / 2; f += 0.05)
        {
            double delta = response.Response(f + 0.001).Phase - response.Response(f - 0.001).Phase;
            delta = Math.IEEERemainder(delta, 2 * Math.PI);
            double groupDelay = -delta / (2 * Math.PI * 0.002);
            double power = Math.Pow(response.Magnitude(f), 2);
            weighted += groupDelay * power;
            weight += power;
        }

        double expected = weighted / weight;
        double measured = MuscleActivityDetector.PowerDelaySeconds(new EmgChannelFilter(sampleRateHz), sampleRateHz);
        Assert.True(Math.Abs(measured - expected) <= 0.02 * expected, $"{measured * 1000:0.000} ms measured, {expected * 1000:0.000} ms expected");
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidFilterDelay_Throws(double filterDelaySeconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MuscleActivityDetector(1000, HopSeconds, filterDelaySeconds));

    /// <summary>Delays its input by a whole number of samples.</summary>
    private sealed class DelayLine(int samples) : IStreamingFilter
    {
        private readonly Queue<float> _queue = new(Enumerable.Repeat(0f, samples));

        public float Process(float sample)
        {
            _queue.Enqueue(sample);
            return _queue.Dequeue();
        }

        public void Process(ReadOnlySpan<float> input, Span<float> output)
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = Process(input[i]);
            }
        }

        public void Reset()
        {
            int count = _queue.Count;
            _queue.Clear();
            for (int i = 0; i < count; i++)
            {
                _queue.Enqueue(0f);
            }
        }
    }

    /// <summary>A prodrome-like slow rise (rest, then 1→2× over 10 s and 2→6× over 30 s, held 10 s): 6 seeds, the three rates.</summary>
    [Fact]
    public void OnHop_SlowProdromeRiseTo6TimesFloor_NeverActivates()
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var frontEnd = new FrontEnd((seed % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, 0.002 + (0.003 * seed));
            static double Prodrome(double t) => t < 20 ? 1 : t < 30 ? 1 + ((t - 20) / 10) : t < 60 ? 2 + (4 * (t - 30) / 30) : 6;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 70, Prodrome, 80, 1200 + seed));

            var activations = Activations(hops);
            Assert.True(activations.Count == 0, $"seed {seed} ({frontEnd}): active at {string.Join(", ", activations.Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))} s");
        }
    }

    /// <summary>
    /// A prodrome's raised level: rest, then a smoothstep rise to <paramref name="level"/> × the floor over
    /// <paramref name="seconds"/>, its amplitude fluctuating as the project's stochastic engine renders a prodrome's
    /// irregular discharge (log-normal, σ = 0.1, AR(1) with τ = 0.3 s; Chaney &amp; Sherman's spikes of about +10 %).
    /// </summary>
    private static Func<double, double> Prodrome(double start, double seconds, double level, int seed)
    {
        var flicker = Flicker(start + seconds + 60, seed);
        return t =>
        {
            if (t < start)
            {
                return 1;
            }

            double p = Math.Clamp((t - start) / seconds, 0, 1);
            return (1 + ((level - 1) * p * p * (3 - (2 * p)))) * flicker[(int)(t * 1000)];
        };
    }

    /// <summary>A prodrome's irregular discharge as a level factor per millisecond: log-normal, σ = 0.1, AR(1) with τ = 0.3 s, mean 1.</summary>
    private static double[] Flicker(double seconds, int seed)
    {
        var random = new Random(seed);
        double rho = Math.Exp(-1 / (0.3 * 1000));
        double state = 0;
        var flicker = new double[(int)Math.Ceiling(seconds * 1000)];
        for (int n = 0; n < flicker.Length; n++)
        {
            state = (rho * state) + (Math.Sqrt(1 - (rho * rho)) * Gaussian(random));
            flicker[n] = Math.Exp((0.1 * state) - 0.005);
        }

        return flicker;
    }

    /// <summary>
    /// 24 randomised cases (seed 3000): rest 20 s, then a linear climb at 0.12–0.2 floor/s (never a doubling within the
    /// jump's 4 s: the rise rule alone never sees it, and the floor follows it) to 9–12× the floor, flickering as a
    /// prodrome's discharge, held 20 s, then back to rest over 0.5 s; 500/1000/2000 Hz, rest noise 2–20 µV, median
    /// frequency 40–150 Hz. The site is active from at most <see cref="MuscleActivityDetector.HeldSeconds"/> + 0.5 s after
    /// the plateau is reached until the release without a gap of a dip's length (0.5 s), quiet within 1.5 s of the release,
    /// and its onset lies in the climb, at or after its start and before it reached <see cref="MuscleActivityDetector.HeldRatio"/>
    /// × the floor (the held activation dates it to the last half-second below half the level held).
    /// </summary>
    [Fact]
    public void OnHop_SlowClimbToASustainedPlateau_ActivatesWithTheOnsetInTheClimb()
    {
        var random = new Random(3000);
        var failures = new List<string>();
        for (int i = 0; i < 24; i++)
        {
            var frontEnd = new FrontEnd(random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 }, LogUniform(random, 0.002, 0.020));
            double level = 9 + (3 * random.NextDouble());
            double slope = 0.12 + (0.08 * random.NextDouble());
            const double Start = 20;
            double plateau = Start + ((level - 1) / slope);
            double release = plateau + 20;
            double heldLevelAt = Start + ((MuscleActivityDetector.HeldRatio - 1) / slope);
            var flicker = Flicker(release + 10, 3100 + i);
            double Muscle(double t) => t < Start ? 1 : t < release ? Math.Max(1, Math.Min(level, 1 + (slope * (t - Start))) * flicker[(int)(t * 1000)] ) : t < release + 0.5 ? 1 + ((level - 1) * (release + 0.5 - t) / 0.5) : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, release + 8, Muscle, 40 + (110 * random.NextDouble()), 3200 + i));

            string name = string.Create(CultureInfo.InvariantCulture, $"case {i} ({frontEnd}, {slope:0.00} floor/s to {level:0.0}x, plateau at {plateau:0.0} s)");
            double deadline = plateau + MuscleActivityDetector.HeldSeconds + 0.5;
            var first = hops.FirstOrDefault(h => h.Activity.IsActive);
            double quietSince = double.NaN, longestQuiet = 0;
            foreach (var h in hops.Where(h => h.Time >= deadline && h.Time <= release))
            {
                quietSince = h.Activity.IsActive ? double.NaN : double.IsNaN(quietSince) ? h.Time - HopSeconds : quietSince;
                longestQuiet = double.IsNaN(quietSince) ? longestQuiet : Math.Max(longestQuiet, h.Time - quietSince);
            }

            var late = hops.Where(h => h.Time > release + 0.5 + 1.5 && h.Activity.IsActive).ToList();
            var atDeadline = hops.FirstOrDefault(h => h.Time >= deadline);
            double onset = atDeadline.Activity.IsActive ? atDeadline.Activity.OnsetSeconds : double.NaN;
            if (!first.Activity.IsActive || first.Time > deadline || longestQuiet >= 0.5 || late.Count > 0 || !(onset >= Start && onset <= heldLevelAt))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: first active at {(first.Activity.IsActive ? first.Time : double.NaN):0.00} s (by {deadline:0.00}), onset {onset:0.00} s (in {Start:0}–{heldLevelAt:0.00}), quiet for {longestQuiet:0.00} s in the plateau, active after the release at {string.Join(", ", late.Take(3).Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))}"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Issue 12 §2, 24 randomised cases (seed 2100): a prodrome (rest 20 s, then a rise to 2–3.5× the floor over 25–45 s,
    /// flickering), then a weak cramp: a linear ramp of 0.05–1 s to 1.3–2 × the prodrome's level, held 8 s, then rest;
    /// 500/1000/2000 Hz, rest noise 2–20 µV, median frequency 40–150 Hz. The cramp never doubles the prodrome, yet the site
    /// is quiet through the prodrome, active from within 3.5 s of the ramp's start (a step is known once its plateau
    /// has held two seconds) until the release without a gap of a dip's length (0.5 s), and the onset is within 150 ms.
    /// </summary>
    [Fact(Skip = "Issue 12 §2 not built: the jump rule activates over a prodrome's raised level with onsets +0.3 to +1.5 s late (23 of 24 cases); the step rule tried on branch h-prodrome (commit bb07572) fired on slow rises and was reverted; on h-prodrome2 (2026-12-03) a jump held 0.5-1 s left 24 of 24 never active (a 1.3-2x step never doubles): it needs its own activation path")]
    public void OnHop_WeakCrampStepOverAProdromesRaisedLevel_ActivatesWithOnsetWithin150Ms()
    {
        var random = new Random(2100);
        var failures = new List<string>();
        var errors = new List<double>();
        for (int i = 0; i < 24; i++)
        {
            var frontEnd = new FrontEnd(random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 }, LogUniform(random, 0.002, 0.020));
            double level = 2 + (1.5 * random.NextDouble());
            double prodromeSeconds = 25 + (20 * random.NextDouble());
            double onset = 20 + prodromeSeconds;
            double ramp = LogUniform(random, 0.05, 1.0);
            double step = 1.3 + (0.7 * random.NextDouble());
            double end = onset + 8;
            var prodrome = Prodrome(20, prodromeSeconds, level, 2200 + i);
            double Muscle(double t) => t < onset ? prodrome(t) : t < end ? level * (1 + ((step - 1) * Math.Min(1, (t - onset) / ramp))) : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, end + 5, Muscle, 40 + (110 * random.NextDouble()), 2300 + i));

            string name = string.Create(CultureInfo.InvariantCulture, $"case {i} ({frontEnd}, prodrome {level:0.0}x, step {step:0.00}x, ramp {ramp:0.00} s)");
            var early = hops.Where(h => h.Time < onset && h.Activity.IsActive).ToList();
            var first = hops.FirstOrDefault(h => h.Time >= onset && h.Activity.IsActive);
            if (early.Count > 0 || !first.Activity.IsActive || first.Time > onset + 3.5)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: active before the step at {string.Join(", ", early.Take(3).Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))}, first active at {(first.Activity.IsActive ? first.Time : double.NaN):0.00} s"));
                continue;
            }

            double quietSince = double.NaN, longestQuiet = 0;
            foreach (var h in hops.Where(h => h.Time > first.Time && h.Time <= end))
            {
                quietSince = h.Activity.IsActive ? double.NaN : double.IsNaN(quietSince) ? h.Time - HopSeconds : quietSince;
                longestQuiet = double.IsNaN(quietSince) ? longestQuiet : Math.Max(longestQuiet, h.Time - quietSince);
            }

            double error = first.Activity.OnsetSeconds - onset;
            errors.Add(error);
            if (longestQuiet >= 0.5 || Math.Abs(error) > 0.150)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: onset error {error * 1000:+0;-0} ms, quiet for {longestQuiet:0.00} s in the plateau"));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 24: {string.Join("; ", failures)}; onset errors {string.Join(", ", errors.Select(e => (e * 1000).ToString("+0;-0", CultureInfo.InvariantCulture)))} ms");
    }

    /// <summary>
    /// Issue 12 §2: a prodrome alone (a rise to 2–5× the floor over 25–45 s, flickering, then held 20 s and back to rest
    /// over 2 s), 12 randomised cases (seed 2400), the three rates, never activates: a slow rise is a prodrome however
    /// high it climbs, and its flicker is not a step.
    /// </summary>
    [Fact(Skip = "Issue 12 §2 not built: the jump rule makes brief activations on a 4.7x prodrome with 10 % AR(1) flicker (case 1, active from 31.95 s). On h-prodrome2 (2026-12-03) refusing a raised jump (>= 1.3x floor) below 2x its extrapolated trend made it pass (12/12) but lost night-cramp-70101 on both engines (docs/detector.md)")]
    public void OnHop_ProdromeAloneWithSlowDriftAndFlicker_NeverActivates()
    {
        var random = new Random(2400);
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = new FrontEnd((i % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, LogUniform(random, 0.002, 0.020));
            double level = 2 + (3 * random.NextDouble());
            double seconds = 25 + (20 * random.NextDouble());
            var prodrome = Prodrome(20, seconds, level, 2500 + i);
            double held = 20 + seconds + 20;
            double Muscle(double t) => t < held ? prodrome(t) : t < held + 2 ? 1 + ((level - 1) * (held + 2 - t) / 2) : 1;
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, held + 8, Muscle, 40 + (110 * random.NextDouble()), 2600 + i));

            var activations = Activations(hops);
            Assert.True(activations.Count == 0, string.Create(CultureInfo.InvariantCulture, $"case {i} ({frontEnd}, {level:0.0}x over {seconds:0} s): active at {string.Join(", ", activations.Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))} s"));
        }
    }

    /// <summary>
    /// Issue 12 §2: a prodrome whose level wanders by ±30 % over seconds (a sum of two sines of periods 2–10 s, at 2–4× the
    /// floor, after a 30-s rise), 12 randomised cases (seed 2700), held 60 s: never activates. Its swings reach 1.8× from
    /// trough to crest within a second or two, but none is a step to a level held above a flat one.
    /// </summary>
    [Fact(Skip = "Issue 12 §2 not built: the jump rule makes brief activations on a prodrome wandering by +-30 % (case 0, from 44.2 s). On h-prodrome2 (2026-12-03) a raised jump refused below 2x its trend plus a held jump left case 2 (2.5x, active from 63.8 s, after the floor had learned the prodrome): docs/detector.md")]
    public void OnHop_ProdromeLevelWanderingBy30Percent_NeverActivates()
    {
        var random = new Random(2700);
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = new FrontEnd((i % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, LogUniform(random, 0.002, 0.020));
            double level = 2 + (2 * random.NextDouble());
            double p1 = 2 + (8 * random.NextDouble()), p2 = 2 + (8 * random.NextDouble());
            double f1 = random.NextDouble() * 2 * Math.PI, f2 = random.NextDouble() * 2 * Math.PI;
            var prodrome = Prodrome(10, 30, level, 2800 + i);
            double Muscle(double t) => t < 40 ? prodrome(t) : prodrome(t) * (1 + (0.15 * Math.Sin((2 * Math.PI * t / p1) + f1)) + (0.15 * Math.Sin((2 * Math.PI * t / p2) + f2)));
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 100, Muscle, 40 + (110 * random.NextDouble()), 2900 + i));

            var activations = Activations(hops);
            Assert.True(activations.Count == 0, string.Create(CultureInfo.InvariantCulture, $"case {i} ({frontEnd}, {level:0.0}x, periods {p1:0.0} and {p2:0.0} s): active at {string.Join(", ", activations.Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))} s"));
        }
    }

    /// <summary>
    /// Intermittent raised tension: a slow rise (1→3.5× the floor over 25 s) held for 30 s with a 0.3-s trough to 1.5×
    /// every 3 s. Coming back from a trough is not a rise: the lowest single window of 1–4 s earlier lies in the trough
    /// (3.5 / 1.5 > 2), the lowest half-second level does not. Then a 0.5-s ramp from that level to 10× activates the
    /// site within the ramp. 4 seeds.
    /// </summary>
    [Fact]
    public void OnHop_IntermittentRaisedTensionThenRamp_ActivatesOnlyAtTheRamp()
    {
        static double Tension(double t)
        {
            if (t < 10)
            {
                return 1;
            }

            if (t < 35)
            {
                return 1 + (2.5 * (t - 10) / 25);
            }

            if (t < 65)
            {
                return (t - 35) % 3 is >= 1.5 and < 1.8 ? 1.5 : 3.5;
            }

            return t < 65.5 ? 3.5 + (6.5 * (t - 65) / 0.5) : 10;
        }

        for (int seed = 0; seed < 4; seed++)
        {
            var reports = DriveDirectly(new MuscleActivityDetector(1000, HopSeconds), 75, Tension, _ => false, seed: 1900 + seed);

            var early = reports.Where(r => r.Activity.IsActive && r.Time < 65).Select(r => r.Time.ToString("0.00", CultureInfo.InvariantCulture)).ToList();
            Assert.True(early.Count == 0, $"seed {seed}: active before the ramp at {string.Join(", ", early.Take(5))} s");
            var activation = reports.First(r => r.Activity.IsActive).Time;
            Assert.InRange(activation, 65.0, 65.6);
        }
    }

    /// <summary>A 20-s cramp at 3× the floor (0.3-s ramp), 8 seeds: active within 1 s of its onset and never quiet for a dip's length or more until its release.</summary>
    [Fact]
    public void OnHop_SustainedContractionAt3TimesFloor_StaysActiveWithoutDropoutsLongerThanADip()
    {
        for (int seed = 0; seed < 8; seed++)
        {
            var frontEnd = new FrontEnd((seed % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, 0.002 + (0.0025 * seed));
            var contraction = new Contraction(10, 0.3, false, 20, 3, 50 + (12 * seed));
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 35, contraction, 1300 + seed));

            var first = hops.FirstOrDefault(h => h.Activity.IsActive);
            Assert.True(first.Activity.IsActive && first.Time <= contraction.OnsetSeconds + 1.0, $"seed {seed} ({frontEnd}): first active at {first.Time} s");
            double longestQuiet = 0, quietSince = double.NaN;
            foreach (var h in hops.Where(h => h.Time > first.Time && h.Time <= contraction.EndSeconds))
            {
                if (h.Activity.IsActive)
                {
                    quietSince = double.NaN;
                }
                else
                {
                    quietSince = double.IsNaN(quietSince) ? h.Time - HopSeconds : quietSince;
                    longestQuiet = Math.Max(longestQuiet, h.Time - quietSince);
                }
            }

            // A dip the tracker bridges (its DipToleranceSeconds default, 0.5 s).
            Assert.True(longestQuiet < 0.5, $"seed {seed} ({frontEnd}): quiet for {longestQuiet:0.00} s inside the cramp");
        }
    }

    /// <summary>20 minutes of rest noise (4 × 5 min: the three rates, 2–20 µV): no activation, i.e. 0 false activity per hour.</summary>
    [Fact]
    public void OnHop_RestNoise_NeverActivates()
    {
        var falseActivations = new List<string>();
        double minutes = 0;
        for (int seed = 0; seed < 4; seed++)
        {
            var frontEnd = new FrontEnd((seed % 3) switch { 0 => 500, 1 => 1000, _ => 2000 }, 0.002 * Math.Pow(10, seed / 3.0));
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 300, _ => 1, 80, 1400 + seed));
            minutes += 5;
            falseActivations.AddRange(Activations(hops).Select(h => $"{frontEnd}: {h.Time:0.00} s"));
        }

        Assert.True(falseActivations.Count == 0, $"{falseActivations.Count / (minutes / 60):0.#} false activations per hour over {minutes} min: {string.Join("; ", falseActivations)}");
    }

    /// <summary>Hum 0–60 µV (50/60 Hz, 3rd and 5th harmonics, ±0.5 Hz drift) on rest, 12 seeds of 60 s: never active.</summary>
    [Fact]
    public void OnHop_MainsHumOnRest_NeverActivates()
    {
        var random = new Random(1450);
        for (int i = 0; i < 12; i++)
        {
            var frontEnd = RandomFrontEnd(random) with { HumMillivolts = 0.005 * (i + 1) };
            var hops = RunFrontEnd(frontEnd.SampleRateHz, Generate(frontEnd, 60, _ => 1, 80, 1450 + i));

            var activations = Activations(hops);
            Assert.True(activations.Count == 0, $"case {i} ({frontEnd}): active at {string.Join(", ", activations.Select(h => h.Time.ToString("0.00", CultureInfo.InvariantCulture)))} s");
        }
    }

    /// <summary>
    /// Direct drive: 1 kHz Gaussian samples (rest σ = 5 µV, then 10× from 9 s), the window's envelope mean from the project's
    /// <see cref="LinearEnvelope"/> over 250 ms, and the hops from 9 to 10 s flagged faulty.
    /// </summary>
    [Fact]
    public void OnHop_FaultyHops_AreNeverActiveAndNoOnsetReachesBackBeforeTheFault()
    {
        var reports = DriveDirectly(new MuscleActivityDetector(1000, HopSeconds), 20, t => t >= 9 ? 10 : 1, t => t is > 9.0 and <= 10.0 + 1e-9, seed: 1500);

        Assert.All(reports.Where(r => r.Faulty), r => Assert.False(r.Activity.IsActive, $"faulty hop at {r.Time} s is active"));
        var active = reports.Where(r => r.Activity.IsActive).ToList();
        Assert.NotEmpty(active);
        Assert.All(active, r => Assert.True(r.Activity.OnsetSeconds >= 10.0 - 1e-9, $"onset {r.Activity.OnsetSeconds} s at {r.Time} s lies before the fault's end (10 s)"));
    }

    /// <summary>
    /// Direct drive: a 3-s contraction at 10× the floor (9–12 s), after which 12 µV RMS of 50-Hz hum (2.4× the rest σ) stays in
    /// the signal, as from a mains canceller re-acquiring the line, whose modelled hum (its HumRms, which bounds what it can
    /// leave) is 15 µV. Reported as unlocked hum, it is discounted and the site goes quiet within 0.3 s of the end; not
    /// reported, it holds the site active (envelope ≈ 1.7× and power ≈ 2.6× the stay level).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnHop_HumLeftAfterAContraction_HoldsTheSiteActiveOnlyWhenNotReportedAsUnlocked(bool reported)
    {
        var reports = DriveDirectly(new MuscleActivityDetector(1000, HopSeconds), 16, t => t is >= 9 and < 12 ? 10 : 1, _ => false, seed: 1600,
            humRmsMillivolts: 0.012, humFromSeconds: 12, unlockedHumMillivolts: reported ? 0.015 : 0);

        Assert.True(reports.Single(r => Math.Abs(r.Time - 11.5) < 1e-6).Activity.IsActive, "the contraction is active");
        var after = reports.Where(r => r.Time >= 12.3).ToList();
        if (reported)
        {
            Assert.All(after, r => Assert.False(r.Activity.IsActive, $"active at {r.Time:0.00} s on the unlocked hum"));
        }
        else
        {
            Assert.All(after, r => Assert.True(r.Activity.IsActive, $"quiet at {r.Time:0.00} s although the hum was not reported"));
        }
    }

    /// <summary>Recordings that start inside an 8-s contraction at 4× and 10× (then 30 s of rest): the opening is reported once, ending near 8 s.</summary>
    [Theory]
    [InlineData(4.0, 1000)]
    [InlineData(10.0, 500)]
    [InlineData(10.0, 2000)]
    public void OnHop_RecordingStartsInsideAContraction_ReportsTheOpeningWithItsEnd(double timesFloor, double sampleRateHz)
    {
        var frontEnd = new FrontEnd(sampleRateHz, 0.005);
        var contraction = new Contraction(-1, 0, false, 9, timesFloor);
        var hops = RunFrontEnd(sampleRateHz, Generate(frontEnd, 40, contraction, 1600));

        var opening = Assert.Single(hops, h => double.IsFinite(h.Activity.OpeningEndSeconds));
        Assert.InRange(opening.Activity.OpeningEndSeconds, contraction.EndSeconds - 0.3, contraction.EndSeconds + 0.5);
        Assert.Equal(0, opening.Activity.OpeningStartSeconds, 6);
    }

    /// <summary>
    /// The opening rule under hum the canceller has measured but not engaged on yet (property case #300: a 4.7×-floor
    /// opening under 16 µV of 50-Hz hum at 10 bit): the floor restarts from 25.6 to 10.65 µV, 2.4×, short of the 2.5× the
    /// rule needs, because 11.1 µV RMS of the hum stays in both. With that hum reported, the muscle's own levels (24 and
    /// 5.9 µV) are compared and the opening is found; without, it is not.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnHop_FloorFallUnderHumNotYetRemoved_ReportsTheOpeningOnlyWhenTheHumIsReported(bool reported)
    {
        var detector = new MuscleActivityDetector(1000, HopSeconds);
        detector.OnSample(0, 0);

        var activity = detector.OnHop(20.3, 0.0111, 0.01065, faulty: false, floorFellFrom: 0.0256, undetectedHumMillivolts: reported ? 0.0111 : 0);

        Assert.Equal(reported, double.IsFinite(activity.OpeningEndSeconds));
    }

    [Fact]
    public void Reset_AfterUse_ReproducesTheSameReports()
    {
        var detector = new MuscleActivityDetector(1000, HopSeconds);
        static double Contraction(double t) => t is >= 12 and < 20 ? 8 : 1;
        var first = DriveDirectly(detector, 30, Contraction, _ => false, seed: 1700);
        detector.Reset();
        var second = DriveDirectly(detector, 30, Contraction, _ => false, seed: 1700);

        Assert.Contains(first, r => r.Activity.IsActive);
        Assert.Equal(first, second);
    }

    [Fact]
    public void OnSampleAndOnHop_SteadyStateThroughAnActivation_AllocateNothing()
    {
        var random = new Random(1800);
        var noise = new double[2000 * 30];
        for (int n = 0; n < noise.Length; n++)
        {
            noise[n] = 0.005 * Gaussian(random) * (n >= 2000 * 15 ? 10 : 1);
        }

        int active = 0;
        long allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var detector = new MuscleActivityDetector(2000, HopSeconds);
            void Feed(int from, int to)
            {
                for (int n = from; n < to; n++)
                {
                    detector.OnSample(noise[n], n / 2000.0);
                    if ((n + 1) % 100 == 0)
                    {
                        // Envelope mean of Gaussian noise: σ √(2/π); the floor is the rest's.
                        double sigma = n >= 2000 * 15 ? 0.05 : 0.005;
                        active += detector.OnHop((n + 1) / 2000.0, sigma * 0.798, 0.005 * 0.798, faulty: false).IsActive ? 1 : 0;
                    }
                }
            }

            Feed(0, 2000 * 10);
            return () =>
            {
                active = 0;
                Feed(2000 * 10, noise.Length);
            };
        });

        Assert.True(active > 100, $"the measured stretch should include an activation and its refinement; {active} active hops");
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(0, 0.05)]
    [InlineData(double.NaN, 0.05)]
    [InlineData(1000, 0)]
    [InlineData(1000, double.PositiveInfinity)]
    public void Constructor_InvalidRateOrHop_Throws(double sampleRateHz, double hopSeconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MuscleActivityDetector(sampleRateHz, hopSeconds));

    private readonly record struct DirectReport(double Time, bool Faulty, SiteActivity Activity);

    /// <summary>
    /// Feeds <paramref name="detector"/> 1 kHz Gaussian samples of σ = 5 µV × <paramref name="timesFloor"/>(t) and, every hop,
    /// the mean of the project's <see cref="LinearEnvelope"/> over the last 250 ms against the rest's envelope (5 µV √(2/π)).
    /// </summary>
    /// <remarks>
    /// From <paramref name="humFromSeconds"/> on, a 50-Hz sine of RMS <paramref name="humRmsMillivolts"/> is added (hum a
    /// mains canceller left in the signal) and <paramref name="unlockedHumMillivolts"/> is passed to OnHop as unlocked hum.
    /// </remarks>
    private static List<DirectReport> DriveDirectly(MuscleActivityDetector detector, double seconds, Func<double, double> timesFloor, Func<double, bool> faulty, int seed,
        double humRmsMillivolts = 0, double humFromSeconds = double.PositiveInfinity, double unlockedHumMillivolts = 0)
    {
        const double Fs = 1000;
        const double Sigma = 0.005;
        var random = new Random(seed);
        var envelope = new LinearEnvelope(Fs);
        var window = new double[250];
        var reports = new List<DirectReport>();
        double floor = Sigma * Math.Sqrt(2 / Math.PI);
        for (int n = 0; n < seconds * Fs; n++)
        {
            double t = n / Fs;
            bool hum = t >= humFromSeconds;
            double x = (Sigma * timesFloor(t) * Gaussian(random)) + (hum ? humRmsMillivolts * Math.Sqrt(2) * Math.Sin(2 * Math.PI * 50 * t) : 0);
            window[n % window.Length] = envelope.ProcessDouble(x);
            detector.OnSample(x, t);
            if ((n + 1) % 50 == 0 && n >= window.Length)
            {
                double end = (n + 1) / Fs;
                bool bad = faulty(end);
                double unlockedHum = hum ? unlockedHumMillivolts : 0;
                reports.Add(new DirectReport(end, bad, detector.OnHop(end, window.Average(), floor, bad, unlockedHumMillivolts: unlockedHum)));
            }
        }

        return reports;
    }
}

using CrampSense.Signals.Dsp;

namespace CrampSense.Testing.Signals;

/// <summary>
/// Test-side synthetic sEMG of one site, independent of the project's simulator: amplitude-modulated Gaussian noise
/// through a band-pass whose centre sets the median frequency (the stochastic model of Shwedyk 1977 / Stulen &amp;
/// De Luca, simplified), plus in-band rest noise, optional mains hum (fundamental, 3rd and 5th harmonics, slow drift),
/// a DC offset and ADC quantisation over the documented ±8.25 mV full scale. Seeded: the same arguments give the same
/// samples. Linked into the Signals and the Detection test projects (one generator for both).
/// </summary>
public static class SyntheticEmg
{
    /// <summary>Input full scale of the documented front end (MCP3008/3208, 3.3 V reference, amplifier gain 200), mV.</summary>
    public const double FullScaleMillivolts = 8.25;

    /// <summary>Everything about a recording chain that is not the muscle.</summary>
    /// <param name="SampleRateHz">500, 1000 or 2000.</param>
    /// <param name="RestNoiseMillivolts">RMS of the in-band (20–450 Hz) rest noise.</param>
    /// <param name="HumMillivolts">Amplitude of the mains fundamental (0 = none); the 3rd and 5th harmonics get 30 % and 10 %.</param>
    /// <param name="HumHz">50 or 60.</param>
    /// <param name="HumDriftHz">Peak deviation of the mains frequency, swept slowly (period 20 s).</param>
    /// <param name="DcOffsetMillivolts">Constant electrode offset.</param>
    /// <param name="Bits">ADC resolution over ±<see cref="FullScaleMillivolts"/> (0 = not quantised).</param>
    public sealed record FrontEnd(double SampleRateHz, double RestNoiseMillivolts, double HumMillivolts = 0, double HumHz = 50, double HumDriftHz = 0, double DcOffsetMillivolts = 0, int Bits = 0)
    {
        /// <summary>One ADC step, mV (0 when not quantised).</summary>
        public double LsbMillivolts => Bits > 0 ? 2 * FullScaleMillivolts / (1 << Bits) : 0;

        /// <summary>
        /// The true rest floor as an RMS, mV: rest noise plus quantisation noise (LSB/√12), without hum. Contraction
        /// amplitudes "k × floor" are set against this so that the envelope at the plateau is k times the rest envelope.
        /// </summary>
        public double FloorRmsMillivolts => Math.Sqrt((RestNoiseMillivolts * RestNoiseMillivolts) + (LsbMillivolts * LsbMillivolts / 12));

        public override string ToString() =>
            FormattableString.Invariant($"{SampleRateHz:0} Hz, noise {RestNoiseMillivolts * 1000:0.#} µV, hum {HumMillivolts * 1000:0.#} µV @ {HumHz:0}±{HumDriftHz:0.##} Hz, dc {DcOffsetMillivolts:0.##} mV, {Bits} bit");
    }

    /// <summary>How a contraction's muscle RMS rises over its ramp when it is not <see cref="Contraction.Exponential"/>.</summary>
    public enum RiseShape
    {
        /// <summary>Straight: x (0–1 over the ramp).</summary>
        Linear,

        /// <summary>
        /// A smooth drive recruiting from a threshold, as both project simulators render a cramp's onset: a smoothstep
        /// S(u) = u²(3 − 2u) whose first tenth lies below the lowest recruitment threshold, so the RMS,
        /// (S(u) − 0.1) / 0.9, starts at the onset with 0.84 × its mean slope, steepens to 1.34 × half-way and flattens into the plateau.
        /// </summary>
        SmoothStep,

        /// <summary>Recruitment fastest at the lowest thresholds (exponentially spread thresholds): √x, steep at the onset (concave).</summary>
        SquareRoot,
    }

    /// <summary>One contraction: a ramp from rest to a plateau, held, then a 0.1-s release.</summary>
    /// <param name="OnsetSeconds">Where the ramp starts (the true onset).</param>
    /// <param name="RampSeconds">Rise time to the plateau (0 = a step).</param>
    /// <param name="Exponential">A first-order (exponential) rise, 1 − e^(−t/τ) with τ = ramp / 3 (95 % at the ramp's end, then the plateau), instead of linear.</param>
    /// <param name="DurationSeconds">Onset to the start of the release.</param>
    /// <param name="TimesFloor">Plateau envelope over the rest envelope (k): the muscle RMS is √(k² − 1) × floor.</param>
    /// <param name="MedianFrequencyHz">Centre of the muscle spectrum.</param>
    public sealed record Contraction(double OnsetSeconds, double RampSeconds, bool Exponential, double DurationSeconds, double TimesFloor, double MedianFrequencyHz = 90)
    {
        /// <summary>Shape of a ramp that is not exponential (default linear).</summary>
        public RiseShape Rise { get; init; }

        public double EndSeconds => OnsetSeconds + DurationSeconds;

        /// <summary>Muscle RMS at time <paramref name="t"/> as a fraction of the plateau (0–1).</summary>
        public double Shape(double t)
        {
            double since = t - OnsetSeconds;
            if (since < 0 || t > EndSeconds + 0.1)
            {
                return 0;
            }

            if (t > EndSeconds)
            {
                return 1 - ((t - EndSeconds) / 0.1);
            }

            if (since >= RampSeconds)
            {
                return 1;
            }

            double x = since / RampSeconds;
            if (Exponential)
            {
                return (1 - Math.Exp(-3 * x)) / (1 - Math.Exp(-3));
            }

            return Rise switch
            {
                RiseShape.SmoothStep => (SmoothStep(SmoothStepThreshold + ((1 - SmoothStepThreshold) * x)) - 0.1) / 0.9,
                RiseShape.SquareRoot => Math.Sqrt(x),
                _ => x,
            };
        }
    }

    // Where the smoothstep reaches 0.1 (u²(3 − 2u) = 0.1): the drive's share below the lowest recruitment threshold.
    private const double SmoothStepThreshold = 0.19580;

    private static double SmoothStep(double u) => u * u * (3 - (2 * u));

    /// <summary>
    /// Samples (mV) of <paramref name="durationSeconds"/> at the front end's rate: rest noise, hum and offset everywhere,
    /// plus a muscle signal whose RMS at time t is <paramref name="muscleTimesFloor"/>(t) expressed as an envelope ratio
    /// k(t) over the floor (k ≤ 1 adds nothing), with median frequency <paramref name="medianFrequencyHz"/>.
    /// </summary>
    public static float[] Generate(FrontEnd frontEnd, double durationSeconds, Func<double, double> muscleTimesFloor, double medianFrequencyHz, int seed)
    {
        double fs = frontEnd.SampleRateHz;
        int count = (int)Math.Round(durationSeconds * fs);
        var random = new Random(seed);
        double upper = ButterworthBandPass.MaxUpperEdgeFraction * fs;

        // The muscle band: an octave and a bit around the median frequency (below the upper edge the filter allows).
        var muscleBand = new ButterworthBandPass(fs, medianFrequencyHz / 1.7, Math.Min(medianFrequencyHz * 1.7, upper), 2);

        // Rest noise in the detector's own pass band, so its RMS is the floor the detector sees.
        var restBand = new ButterworthBandPass(fs, 20, Math.Min(450, upper), 4);
        double restGain = BandGain(restBand, random);
        double muscleGain = BandGain(muscleBand, random);
        muscleBand.Reset();
        restBand.Reset();

        double floor = frontEnd.FloorRmsMillivolts;
        double lsb = frontEnd.LsbMillivolts;
        double humPhase = random.NextDouble() * 2 * Math.PI;
        double driftPhase = random.NextDouble() * 2 * Math.PI;
        var x = new float[count];
        for (int n = 0; n < count; n++)
        {
            double t = n / fs;
            double rest = frontEnd.RestNoiseMillivolts * restBand.ProcessDouble(Gaussian(random)) / restGain;
            double k = muscleTimesFloor(t);
            double muscleRms = k > 1 ? Math.Sqrt((k * k) - 1) * floor : 0;
            double muscle = muscleRms * muscleBand.ProcessDouble(Gaussian(random)) / muscleGain;
            double hum = 0;
            if (frontEnd.HumMillivolts > 0)
            {
                // Phase of a mains frequency drifting sinusoidally by ±HumDriftHz over 20 s (integrated).
                double period = 20;
                humPhase += 2 * Math.PI * (frontEnd.HumHz + (frontEnd.HumDriftHz * Math.Sin((2 * Math.PI * t / period) + driftPhase))) / fs;
                hum = frontEnd.HumMillivolts * (Math.Sin(humPhase) + (0.3 * Math.Sin(3 * humPhase)) + (0.1 * Math.Sin(5 * humPhase)));
            }

            double v = frontEnd.DcOffsetMillivolts + rest + muscle + hum;
            if (lsb > 0)
            {
                v = Math.Clamp(Math.Round(v / lsb) * lsb, -FullScaleMillivolts, FullScaleMillivolts - lsb);
            }

            x[n] = (float)v;
        }

        return x;
    }

    /// <summary>A contraction over the front end (see <see cref="Generate(FrontEnd, double, Func{double, double}, double, int)"/>).</summary>
    public static float[] Generate(FrontEnd frontEnd, double durationSeconds, Contraction contraction, int seed) =>
        Generate(frontEnd, durationSeconds, t => 1 + ((contraction.TimesFloor - 1) * contraction.Shape(t)), contraction.MedianFrequencyHz, seed);

    /// <summary>
    /// A randomised front end: rate 500/1000/2000 Hz, rest noise 2–20 µV (log-uniform), hum 0–60 µV at 50 or 60 Hz
    /// drifting by up to ±0.5 Hz (or none, one case in four), DC offset ±0.5 mV, 10 or 12 bits.
    /// </summary>
    /// <remarks>Every draw is made whether or not <paramref name="hum"/> is set, so the same seed gives the same front end with and without hum.</remarks>
    public static FrontEnd RandomFrontEnd(Random random, bool hum = true)
    {
        double rate = random.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 };
        double noise = LogUniform(random, 0.002, 0.020);
        bool humPresent = random.Next(4) > 0;
        double humLevel = random.NextDouble() * 0.060;
        return new(
            SampleRateHz: rate,
            RestNoiseMillivolts: noise,
            HumMillivolts: hum && humPresent ? humLevel : 0,
            HumHz: random.Next(2) == 0 ? 50 : 60,
            HumDriftHz: random.NextDouble() * 0.5,
            DcOffsetMillivolts: random.NextDouble() - 0.5,
            Bits: random.Next(2) == 0 ? 10 : 12);
    }

    /// <summary>
    /// A gait- or pedalling-like envelope from <paramref name="start"/> to <paramref name="end"/>: one burst per cycle of
    /// <paramref name="periodSeconds"/> (each cycle ± 3 %, healthy stride variability), on for <paramref name="duty"/> of
    /// it at <paramref name="peak"/> × the floor with raised-cosine edges, and back to <paramref name="trough"/> × between
    /// bursts, a trough too short to be a release. Rest (1×) outside.
    /// </summary>
    public static Func<double, double> Cadence(Random random, double start, double end, double periodSeconds, double duty, double peak, double trough)
    {
        var starts = new List<double>();
        for (double t = start; t < end; t += periodSeconds * (1 + (0.03 * Gaussian(random))))
        {
            starts.Add(t);
        }

        return t =>
        {
            if (t < start || t >= end)
            {
                return 1;
            }

            int i = starts.FindLastIndex(s => s <= t);
            double phase = (t - starts[i]) / (periodSeconds * duty);
            return phase >= 1 ? trough : trough + ((peak - trough) * 0.5 * (1 - Math.Cos(2 * Math.PI * phase)));
        };
    }

    /// <summary>
    /// A cramp's envelope over the floor from <paramref name="start"/> to <paramref name="end"/>: <paramref name="plateau"/>
    /// × the floor with irregular discharge (a level that changes at random every 0.1–0.4 s by ± 25 %, log-normal), the
    /// common-drive fluctuation (± 10 % at 1–2 Hz) and a slow wobble (± 30 % at 0.1–0.3 Hz). Rest (1×) outside.
    /// </summary>
    public static Func<double, double> CrampEnvelope(Random random, double start, double end, double plateau)
    {
        var changes = new List<(double At, double Factor)>();
        for (double t = start; t < end; t += 0.1 + (0.3 * random.NextDouble()))
        {
            changes.Add((t, Math.Exp(0.25 * Gaussian(random))));
        }

        double drive = 1 + random.NextDouble(), slow = 0.1 + (0.2 * random.NextDouble()), phase = 2 * Math.PI * random.NextDouble();
        return t =>
        {
            if (t < start || t >= end)
            {
                return 1;
            }

            double irregular = changes[changes.FindLastIndex(c => c.At <= t)].Factor;
            return plateau * irregular * (1 + (0.1 * Math.Sin((2 * Math.PI * drive * t) + phase))) * (1 + (0.3 * Math.Sin((2 * Math.PI * slow * t) + (2 * phase))));
        };
    }

    /// <summary>
    /// A duty (share of the cycle a <see cref="Cadence"/> burst is on) for <paramref name="periodSeconds"/>, from
    /// <paramref name="u"/> in [0, 1), at which the envelope stays below a tenth of its peak for at most 0.4 s per cycle
    /// (the trough plus the raised-cosine edges' lowest fifth; 0.1 s spare for the ± 3 % cycles and the hop), so the cadence is never released: 30–75 %, or more on slow cycles.
    /// </summary>
    public static double NeverReleasedDuty(double periodSeconds, double u)
    {
        double lowest = Math.Max(0.3, (periodSeconds - 0.4) / (0.8 * periodSeconds));
        return lowest + ((Math.Max(0.75, lowest + 0.05) - lowest) * u);
    }

    /// <summary>Log-uniform draw in [low, high].</summary>
    public static double LogUniform(Random random, double low, double high) => low * Math.Pow(high / low, random.NextDouble());

    /// <summary>Standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The <paramref name="q"/> quantile (0–1, linear interpolation) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    // RMS gain of a filter for unit white Gaussian noise, measured (20 000 samples after a settling second).
    private static double BandGain(ButterworthBandPass band, Random random)
    {
        int settle = (int)band.SampleRateHz;
        double sum = 0;
        const int N = 20_000;
        for (int n = 0; n < settle + N; n++)
        {
            double y = band.ProcessDouble(Gaussian(random));
            if (n >= settle)
            {
                sum += y * y;
            }
        }

        return Math.Sqrt(sum / N);
    }
}

using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Features;

/// <summary>
/// Causal detector of a rhythmic burst pattern on one site: repeated contractions that each let go almost completely
/// (the envelope falls below <see cref="ReleaseFraction"/> of that burst's own plateau for at least
/// <see cref="MinimumReleaseSeconds"/>) and start again at a regular period of <see cref="MinimumPeriodSeconds"/> to
/// <see cref="MaximumPeriodSeconds"/>. Such a series is what repetitions of a voluntary movement look like (flexion
/// cycles, repeated presses); a cramp is a sustained contraction that does not let go. Evidence of intent, context only
/// (issue 12: "a rhythmic burst pattern"); see docs/detector.md.
/// </summary>
/// <remarks>
/// <para>
/// Fed once per hop with the window's envelope over the rest floor (gain-free; NaN for a faulty window or an unknown
/// floor, which breaks any series). A burst starts when the ratio rises to <see cref="MuscleActivityDetector.ActivateRatio"/>
/// (the level at which a quiet site becomes active) and, within a series, back above a tenth of the previous burst's
/// plateau (out of that burst's release); after a break or at the start, only once the ratio has been below the
/// activation level (a burst starts with a rise, not in the middle of a contraction). It is released once it has stayed below <see cref="ReleaseFraction"/> of its
/// plateau (its highest window) for <see cref="MinimumReleaseSeconds"/>; a shorter trough is part of the burst.
/// </para>
/// <para>
/// The series grows by one at each burst start whose period (start to start) lies in the period range and within a
/// factor <see cref="RegularityRatio"/> of the previous period; any other start begins a new series with that burst.
/// It lapses when no burst has started for <see cref="RegularityRatio"/> × its last period (or × the maximum period
/// while it has only one burst). The pattern is rhythmic (<see cref="IsRhythmic"/>) from the start of the
/// <see cref="MinimumBursts"/>-th burst of a series until the series lapses or breaks, so a contraction that begins on
/// the series' schedule has the rhythm around its onset, and one that begins after it lapsed has not.
/// </para>
/// <para>
/// A cadence inside one burst is rhythmic too (<see cref="IsCadenced"/>): strides or pedal strokes of
/// <see cref="MinimumCadencePeriodSeconds"/>–<see cref="MaximumCadencePeriodSeconds"/> never release for 0.5 s, so they
/// are one burst (and one activation), and no series of releases can show them. Once a burst has lasted
/// <see cref="CadenceWindowCycles"/> × the longest cadence period, each hop judges its last window of that length: some
/// period T must carry at least <see cref="CadenceShare"/> of the envelope's variance (autocorrelation at T minus that
/// at T/2) at a depth of at least <see cref="CadenceDepth"/> of its mean. A cramp's irregular discharge has no period,
/// its slow wobble correlates as much half a period apart as one, and its common-drive fluctuation is shallower than
/// an on-off cycle. The cadence ends with the burst's release (or a faulty window).
/// </para>
/// <para>
/// Written here rather than taken from a library: NWaves and the other packages on the feed have envelope and onset
/// tools but nothing that segments envelope bursts into a series and judges its period. NWaves' shape:
/// <see cref="Process(float)"/>, <see cref="Process(ReadOnlySpan{float}, Span{bool})"/>, <see cref="Reset"/>.
/// Not thread-safe. Nothing is allocated after construction.
/// </para>
/// </remarks>
public sealed class BurstRhythmDetector
{
    /// <summary>
    /// A burst is released when its envelope falls below this fraction of its plateau: the muscle has let go of about
    /// 90 % of its drive (surface EMG amplitude is close to proportional to isometric force, Lippold, J Physiol 1952),
    /// which repetitions do between cycles and a sustained contraction, voluntary or not, does not.
    /// </summary>
    public const double ReleaseFraction = 0.1;

    /// <summary>
    /// The release must last this long, s: the end rule of a leg movement (≥ 0.5 s back at rest, AASM 2018 / WASM 2016)
    /// and the tracker's dip tolerance (<c>CrampEventTrackerOptions.DipToleranceSeconds</c>). A shorter trough, however
    /// deep, is a fluctuation of the burst, not a release.
    /// </summary>
    public const double MinimumReleaseSeconds = 0.5;

    /// <summary>
    /// Bursts in a series before it counts as a rhythm: a period needs two starts and its repetition a third, so three is
    /// the fewest that can show a rhythm at all (and the fewest that a sustained contraction joined to two repetitions
    /// can be recognised by; docs/detector.md).
    /// </summary>
    public const int MinimumBursts = 3;

    /// <summary>
    /// Shortest period, s (modulation up to 1 Hz). A burst plus a <see cref="MinimumReleaseSeconds"/> release cannot
    /// repeat much faster; faster rhythms (strides, pedal strokes) do not release between cycles and are seen as a
    /// cadence inside one burst (<see cref="IsCadenced"/>).
    /// </summary>
    public const double MinimumPeriodSeconds = 1.0;

    /// <summary>
    /// Periods must be shorter than this, s: the shortest interval between the involuntary movements of a periodic-limb-
    /// movement series (5 s, AASM 2018 scoring rules; WASM 2016: 10 s). So a periodic series in sleep, which is not intent,
    /// never counts, and a cramp that follows one is still a cramp.
    /// </summary>
    public const double MaximumPeriodSeconds = 5.0;

    /// <summary>
    /// Consecutive periods may differ by at most this factor, and a series lapses after this many periods without a
    /// burst. Paced or self-paced repetition varies by a few per cent from cycle to cycle (Wing &amp; Kristofferson 1973);
    /// ± 50 % leaves room for a tiring subject and for the 50-ms hop, and still asks for a period.
    /// </summary>
    public const double RegularityRatio = 1.5;

    /// <summary>
    /// Shortest cycle of a cadence inside one activation, s (3 Hz). Running is 150–200 steps/min, a stride of 0.6–0.8 s
    /// per leg, cycling 60–100 rpm (0.6–1 s per revolution), and a muscle may burst twice per cycle (tibialis anterior
    /// in gait): 0.33 s. Tremor (4–12 Hz) and clonus (5–7 Hz) are faster and are not intent.
    /// </summary>
    public const double MinimumCadencePeriodSeconds = 1.0 / 3;

    /// <summary>
    /// Longest cycle of a cadence inside one activation, s (0.8 Hz): the slowest walking stride (about 100 steps/min,
    /// 1.2 s per leg). Slower repetitions release between cycles and are the burst series' (<see cref="MinimumPeriodSeconds"/>).
    /// </summary>
    public const double MaximumCadencePeriodSeconds = 1.25;

    /// <summary>
    /// Cycles of the slowest cadence the modulation is judged over (the window is this many × <see cref="MaximumCadencePeriodSeconds"/>,
    /// 3.75 s): a period needs a repetition, and the window must leave the tracker time to see it before a candidate is
    /// confirmed at 5 s.
    /// </summary>
    public const int CadenceWindowCycles = 3;

    /// <summary>
    /// Share of the envelope's variance the cycle must carry: (ρ(T) − ρ(T/2)) / 2, the autocorrelation one period apart
    /// minus that half a period apart, halved, is 1 for a pure cycle, ~0 for irregular fluctuation (both near 0) and for a
    /// slow wobble (both near 1). Half: the cycle is at least as strong as everything else in the envelope.
    /// </summary>
    public const double CadenceShare = 0.5;

    /// <summary>
    /// Relative depth of the cycle: √(c(T) − c(T/2)) / mean, the modulation index m of an envelope mean·(1 + m·sin),
    /// must be at least this. Locomotor bursts switch a muscle on and off in every cycle (the triceps surae fires in
    /// stance and is silent in swing, Winter 1991; in cycling it fires in the downstroke, Hug &amp; Dorel 2009): m ≳ 1.
    /// A cramp's envelope does not let go: its motor units' common drive fluctuates it (the project's simulators: ± 8 % at
    /// 1.4 Hz, after Minetto 2009; one foreign generator models 10–45 % at 0.8–3 Hz, so the margin is under a factor 2,
    /// docs/detector.md "Cadence inside one activation"). At 0.5 the envelope falls to a third of its peak in every cycle.
    /// </summary>
    public const double CadenceDepth = 0.5;

    private readonly double _hopSeconds;
    private double _time;

    /// <summary>
    /// Relative allowance for rounding in <see cref="CannotReachDepth"/>: the computed autocovariances differ from the
    /// exact sums of the computed deviations by at most γ_n ≈ n·2⁻⁵³ of the sum of the terms' magnitudes (Higham 2002,
    /// §4.2), itself ≤ S(0) by Cauchy–Schwarz: below 10⁻¹² for any window a hop can give (≤ 3 750 values at 1 ms), and the
    /// few roundings after the sums add a few 2⁻⁵³ more, so 10⁻⁶ keeps the bound a bound.
    /// </summary>
    private const double DepthBoundAllowance = 1e-6;

    // The cadence inside one burst: the last window of envelope ratios (a ring), a chronological copy, its deviations from
    // the mean and the autocovariance at every lag up to the longest period.
    private readonly float[] _recent;
    private readonly float[] _ordered;
    private readonly double[] _deviations;
    private readonly double[] _autocovariance;
    private readonly int _shortestLag;
    private readonly int _longestLag;
    private readonly double _cycleBound;
    private int _recentHead;
    private int _hopsInBurst;
    private bool _modulated;

    private bool _inBurst;
    private bool _restSeen;
    private double _plateau;
    private double _belowSince;
    private double _previousPlateau;

    private int _bursts;
    private double _lastStart;
    private double _lastPeriod;

    /// <summary>Creates the detector for one value every <paramref name="hopSeconds"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The hop is not a positive, finite number of seconds.</exception>
    public BurstRhythmDetector(double hopSeconds)
    {
        if (!(hopSeconds > 0) || !double.IsFinite(hopSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(hopSeconds), hopSeconds, "The hop must be a positive, finite number of seconds.");
        }

        _hopSeconds = hopSeconds;
        _recent = new float[Math.Max(1, (int)Math.Round(CadenceWindowCycles * MaximumCadencePeriodSeconds / hopSeconds))];
        _ordered = new float[_recent.Length];
        _deviations = new double[_recent.Length];

        // A period needs at least two hops (the hop's Nyquist limit) and half a period one.
        _shortestLag = Math.Max(2, (int)Math.Ceiling((MinimumCadencePeriodSeconds / hopSeconds) - 1e-9));
        _longestLag = Math.Min((int)Math.Floor((MaximumCadencePeriodSeconds / hopSeconds) + 1e-9), _recent.Length / 2);
        _autocovariance = new double[Math.Max(1, _longestLag + 1)];
        _cycleBound = _longestLag >= _shortestLag ? CycleBound(_recent.Length, _longestLag) : 0;
        Reset();
    }

    /// <summary>
    /// A rhythmic series is under way after the last value, or the current burst is modulated at a cadence
    /// (<see cref="IsCadenced"/>; see the remarks).
    /// </summary>
    public bool IsRhythmic => IsInSeries || _modulated;

    /// <summary>A rhythmic series of released bursts (at least <see cref="MinimumBursts"/>) is under way after the last value.</summary>
    public bool IsInSeries => _bursts >= MinimumBursts;

    /// <summary>
    /// The last <see cref="CadenceWindowCycles"/> × <see cref="MaximumCadencePeriodSeconds"/> of the current burst are
    /// modulated at a cadence of <see cref="MinimumCadencePeriodSeconds"/>–<see cref="MaximumCadencePeriodSeconds"/>
    /// (see the remarks): strides or pedal strokes the activity detector holds as one activation.
    /// </summary>
    public bool IsCadenced => _modulated;

    /// <summary>Bursts in the current series (0 when there is none).</summary>
    public int SeriesBursts => _bursts;

    /// <summary>The last period of the current series, s (NaN before its second burst).</summary>
    public double PeriodSeconds => _bursts >= 2 ? _lastPeriod : double.NaN;

    /// <summary>
    /// Takes one hop's envelope over the rest floor (NaN when the window is faulty or the floor unknown) and returns
    /// <see cref="IsRhythmic"/>.
    /// </summary>
    public bool Process(float envelopeOverFloor)
    {
        _time += _hopSeconds;
        double x = envelopeOverFloor;
        if (!double.IsFinite(x))
        {
            // Nothing is known about the muscle here: no burst or series continues across it.
            BreakSeries();
            return false;
        }

        if (_bursts > 0 && _time - _lastStart > RegularityRatio * (_bursts >= 2 ? _lastPeriod : MaximumPeriodSeconds))
        {
            _bursts = 0;
        }

        _recent[_recentHead] = (float)x;
        _recentHead = (_recentHead + 1) % _recent.Length;
        if (_inBurst)
        {
            _hopsInBurst++;
            _plateau = Math.Max(_plateau, x);
            if (x < ReleaseFraction * _plateau)
            {
                if (double.IsNaN(_belowSince))
                {
                    _belowSince = _time - _hopSeconds;
                }

                if (_time - _belowSince >= MinimumReleaseSeconds - 1e-9)
                {
                    _inBurst = false;
                    _restSeen = true;
                    _previousPlateau = _plateau;
                }
            }
            else
            {
                _belowSince = double.NaN;
            }
        }
        else if (!_restSeen)
        {
            // After a break (or at the start) the muscle may be in the middle of a contraction: a burst starts with a
            // rise, so the level must first be seen below the activation level.
            _restSeen = x < MuscleActivityDetector.ActivateRatio;
        }
        else
        {
            double start = _bursts > 0 ? Math.Max(MuscleActivityDetector.ActivateRatio, ReleaseFraction * _previousPlateau) : MuscleActivityDetector.ActivateRatio;
            if (x >= start)
            {
                OnBurstStart();
                _inBurst = true;
                _hopsInBurst = 1;
                _plateau = x;
                _belowSince = double.NaN;
            }
        }

        _modulated = _inBurst && _hopsInBurst >= _recent.Length && IsWindowCadenced();
        return IsRhythmic;
    }

    /// <summary>Processes a block of hops; <paramref name="rhythmic"/> receives <see cref="IsRhythmic"/> after each.</summary>
    /// <exception cref="ArgumentException"><paramref name="rhythmic"/> is shorter than the input.</exception>
    public void Process(ReadOnlySpan<float> envelopeOverFloor, Span<bool> rhythmic)
    {
        if (rhythmic.Length < envelopeOverFloor.Length)
        {
            throw new ArgumentException($"Output holds {rhythmic.Length} values, input {envelopeOverFloor.Length}.", nameof(rhythmic));
        }

        for (int i = 0; i < envelopeOverFloor.Length; i++)
        {
            rhythmic[i] = Process(envelopeOverFloor[i]);
        }
    }

    /// <summary>Forgets every burst and series.</summary>
    public void Reset()
    {
        _time = 0;
        Array.Clear(_recent);
        _recentHead = 0;
        BreakSeries();
    }

    private void OnBurstStart()
    {
        if (_bursts == 0)
        {
            _bursts = 1;
            _lastStart = _time;
            return;
        }

        double period = _time - _lastStart;
        bool inRange = period >= MinimumPeriodSeconds - 1e-9 && period < MaximumPeriodSeconds;
        bool regular = _bursts < 2 || Math.Max(period, _lastPeriod) <= RegularityRatio * Math.Min(period, _lastPeriod);
        _bursts = inRange && regular ? _bursts + 1 : 1;
        _lastPeriod = period;
        _lastStart = _time;
    }

    /// <summary>
    /// Whether the last window (all inside the current burst) is modulated at a cadence (<see cref="IsCadencedWindow"/>).
    /// </summary>
    private bool IsWindowCadenced()
    {
        int tail = _ordered.Length - _recentHead;
        _recent.AsSpan(_recentHead).CopyTo(_ordered);
        _recent.AsSpan(0, _recentHead).CopyTo(_ordered.AsSpan(tail));
        return IsCadencedWindow(_ordered, _shortestLag, _longestLag, _cycleBound, _deviations, _autocovariance);
    }

    /// <summary>
    /// Whether a window (chronological) is modulated at a cadence: some lag T of <paramref name="shortestLag"/>–<paramref name="longestLag"/>
    /// has (ρ(T) − ρ(T/2)) / 2 ≥ <see cref="CadenceShare"/> and √(c(T) − c(T/2)) / mean ≥ <see cref="CadenceDepth"/>
    /// (c the autocovariance of the envelope ratio, ρ = c / c(0); half lags interpolated). Gain-free (a ratio over its own
    /// mean) and rate-free (lags in hops of known length). <paramref name="cycleBound"/> is
    /// <see cref="CycleBound"/> of the window's length and the longest lag; <paramref name="deviations"/> (the window's
    /// length) and <paramref name="autocovariance"/> (<paramref name="longestLag"/> + 1) are work space.
    /// </summary>
    /// <remarks>
    /// Why the depth test first: inside a cramp (a burst that does not let go) every hop judges the window, and its envelope
    /// is far too steady to be a cadence; the bound shows that from c(0) and the mean alone, before the other lags' sums,
    /// and it only says no where the search below would say no too, so the answer is the same bit for bit.
    /// </remarks>
    [MethodImpl(HotPath.Compiled)]
    internal static bool IsCadencedWindow(ReadOnlySpan<float> window, int shortestLag, int longestLag, double cycleBound, Span<double> deviations, Span<double> autocovariance)
    {
        int n = window.Length;
        if (longestLag < shortestLag)
        {
            return false;
        }

        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += window[i];
        }

        mean /= n;
        deviations = deviations[..n];
        for (int i = 0; i < n; i++)
        {
            deviations[i] = window[i] - mean;
        }

        double variance = Autocovariance(deviations, 0);
        if (!(variance > 0) || !(mean > 0) || CannotReachDepth(variance, mean, cycleBound))
        {
            return false;
        }

        autocovariance[0] = variance;
        int lag = 1;
        for (; lag + 3 <= longestLag; lag += 4)
        {
            Autocovariance(deviations, lag, autocovariance.Slice(lag, 4));
        }

        for (; lag <= longestLag; lag++)
        {
            autocovariance[lag] = Autocovariance(deviations, lag);
        }

        for (lag = shortestLag; lag <= longestLag; lag++)
        {
            int half = lag / 2;
            double halfCovariance = (lag & 1) == 0 ? autocovariance[half] : 0.5 * (autocovariance[half] + autocovariance[half + 1]);
            double cycle = autocovariance[lag] - halfCovariance;
            if (cycle >= 2 * CadenceShare * variance && cycle >= CadenceDepth * CadenceDepth * mean * mean)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The most the cycle c(T) − c(T/2) of any lag T ≤ <paramref name="longestLag"/> of an <paramref name="n"/>-value window
    /// can be, as a multiple of c(0). With c(k) = S(k) / (n − k) and S(k) = Σ_{i=k}^{n−1} d_i·d_{i−k}, Cauchy–Schwarz gives
    /// |S(k)| ≤ √(Σ_{i≥k} d_i² · Σ_{i&lt;n−k} d_i²) ≤ S(0) = n·c(0), so |c(k)| ≤ n / (n − k) · c(0), which grows with k;
    /// the half-period term is c(T/2) or the mean of c(⌊T/2⌋) and c(⌈T/2⌉), so |c(T/2)| ≤ n / (n − ⌈T/2⌉) · c(0).
    /// Hence c(T) − c(T/2) ≤ (n / (n − L) + n / (n − ⌈L/2⌉)) · c(0) for every T ≤ L. It holds for whatever mean the
    /// deviations d are taken from, so for the computed one.
    /// </summary>
    internal static double CycleBound(int n, int longestLag) => ((double)n / (n - longestLag)) + ((double)n / (n - ((longestLag + 1) / 2)));

    /// <summary>
    /// True when no lag's cycle can reach <see cref="CadenceDepth"/>: even the <see cref="CycleBound"/> (× c(0) =
    /// <paramref name="variance"/>, widened by <see cref="DepthBoundAllowance"/> for rounding) is below depth² · mean²,
    /// the search's own right-hand side computed the same way, so the search would fail at every lag.
    /// </summary>
    internal static bool CannotReachDepth(double variance, double mean, double cycleBound) =>
        cycleBound * (1 + DepthBoundAllowance) * variance < CadenceDepth * CadenceDepth * mean * mean;

    /// <summary>
    /// The autocovariance at <paramref name="lag"/> of <paramref name="deviations"/> (values minus their mean):
    /// Σ_{i=lag}^{n−1} d_i·d_{i−lag} / (n − lag), summed with i rising (the order every lag is summed in).
    /// </summary>
    internal static double Autocovariance(ReadOnlySpan<double> deviations, int lag)
    {
        int n = deviations.Length;
        double sum = 0;
        for (int i = lag; i < n; i++)
        {
            sum += deviations[i] * deviations[i - lag];
        }

        return sum / (n - lag);
    }

    /// <summary>
    /// The autocovariances at <paramref name="lag"/> … <paramref name="lag"/> + 3 into <paramref name="into"/>[0…3], in one
    /// pass over <paramref name="deviations"/> (needs lag + 3 &lt; n). Why: one lag's sum is a chain of dependent additions,
    /// so four chains side by side keep the adder busy and read each d_i once. Each lag's terms are the same products added
    /// in the same order (i rising from that lag) as <see cref="Autocovariance(ReadOnlySpan{double}, int)"/>, so the sums
    /// are the same bit for bit: the three rows before the longest lag starts feed the lags that have.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    internal static void Autocovariance(ReadOnlySpan<double> deviations, int lag, Span<double> into)
    {
        int n = deviations.Length;
        ReadOnlySpan<double> d = deviations;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0; // from 0 as the one-lag sum (0 + −0 is +0)
        s0 += d[lag] * d[0];
        s0 += d[lag + 1] * d[1];
        s1 += d[lag + 1] * d[0];
        s0 += d[lag + 2] * d[2];
        s1 += d[lag + 2] * d[1];
        s2 += d[lag + 2] * d[0];
        for (int i = lag + 3; i < n; i++)
        {
            double x = d[i];
            int j = i - lag;
            s0 += x * d[j];
            s1 += x * d[j - 1];
            s2 += x * d[j - 2];
            s3 += x * d[j - 3];
        }

        into[0] = s0 / (n - lag);
        into[1] = s1 / (n - lag - 1);
        into[2] = s2 / (n - lag - 2);
        into[3] = s3 / (n - lag - 3);
    }

    private void BreakSeries()
    {
        _inBurst = false;
        _hopsInBurst = 0;
        _modulated = false;
        _restSeen = false;
        _plateau = 0;
        _belowSince = double.NaN;
        _previousPlateau = 0;
        _bursts = 0;
        _lastStart = double.NaN;
        _lastPeriod = double.NaN;
    }
}

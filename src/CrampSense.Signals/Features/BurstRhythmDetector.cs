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

    // The cadence inside one burst: the last window of envelope ratios (a ring), a chronological copy and the
    // autocovariance at every lag up to the longest period.
    private readonly float[] _recent;
    private readonly float[] _ordered;
    private readonly double[] _autocovariance;
    private readonly int _shortestLag;
    private readonly int _longestLag;
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

        // A period needs at least two hops (the hop's Nyquist limit) and half a period one.
        _shortestLag = Math.Max(2, (int)Math.Ceiling((MinimumCadencePeriodSeconds / hopSeconds) - 1e-9));
        _longestLag = Math.Min((int)Math.Floor((MaximumCadencePeriodSeconds / hopSeconds) + 1e-9), _recent.Length / 2);
        _autocovariance = new double[Math.Max(1, _longestLag + 1)];
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
    /// Whether the last window (all inside the current burst) is modulated at a cadence: some period T in range has
    /// (ρ(T) − ρ(T/2)) / 2 ≥ <see cref="CadenceShare"/> and √(c(T) − c(T/2)) / mean ≥ <see cref="CadenceDepth"/>
    /// (c the autocovariance of the envelope ratio, ρ = c / c(0); half lags interpolated). Gain-free (a ratio over its own
    /// mean) and rate-free (lags in hops of known length).
    /// </summary>
    private bool IsWindowCadenced()
    {
        int n = _ordered.Length;
        if (_longestLag < _shortestLag)
        {
            return false;
        }

        int tail = n - _recentHead;
        _recent.AsSpan(_recentHead).CopyTo(_ordered);
        _recent.AsSpan(0, _recentHead).CopyTo(_ordered.AsSpan(tail));
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += _ordered[i];
        }

        mean /= n;
        for (int lag = 0; lag <= _longestLag; lag++)
        {
            double sum = 0;
            for (int i = lag; i < n; i++)
            {
                sum += (_ordered[i] - mean) * (_ordered[i - lag] - mean);
            }

            _autocovariance[lag] = sum / (n - lag);
        }

        double variance = _autocovariance[0];
        if (!(variance > 0) || !(mean > 0))
        {
            return false;
        }

        for (int lag = _shortestLag; lag <= _longestLag; lag++)
        {
            int half = lag / 2;
            double halfCovariance = (lag & 1) == 0 ? _autocovariance[half] : 0.5 * (_autocovariance[half] + _autocovariance[half + 1]);
            double cycle = _autocovariance[lag] - halfCovariance;
            if (cycle >= 2 * CadenceShare * variance && cycle >= CadenceDepth * CadenceDepth * mean * mean)
            {
                return true;
            }
        }

        return false;
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

using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Features;

/// <summary>
/// Robust rest floor of a site's envelope (the per-window envelope mean): a low percentile of the last
/// <c>windowSeconds</c> of windows that were <em>not</em> active, kept in a log-spaced histogram so the percentile
/// costs one pass over a few hundred bins per window and nothing is allocated.
/// </summary>
/// <remarks>
/// <para>
/// Why a percentile with activity excluded: sleep-lab leg-movement scorers recompute their noise floor with the
/// detected events removed (S-PLMAD, Stanford <c>informaton/sev</c>, PLoS ONE 2014, doi:10.1371/journal.pone.0114565),
/// so a contraction of ten minutes does not lift the floor it is measured against. An exponential tracker that
/// rises from every window (the previous design) follows long activity, and one seeded by the first window never
/// sees a recording that starts inside a cramp as active.
/// </para>
/// <para>
/// Why it can also fall at once: the histogram keeps old windows for a minute, so when the signal drops well below
/// the floor and stays there (a recording that started inside a cramp, the end of a hum burst that lifted the
/// residual), waiting for the percentile to move would keep the site blind for tens of seconds. When the last
/// <see cref="FastFallSeconds"/> of included windows all lie below <see cref="FastFallRatio"/> × the floor, the
/// histogram restarts from them and <see cref="FellFrom"/> says from where.
/// </para>
/// <para>
/// Why it also keeps its <see cref="LowestFloor"/>: windows below the activation level teach the floor, so a slow climb
/// (a prodrome running into a cramp that recruits over tens of seconds) lifts it with the climb, and a level held far
/// above the rest before the climb reads as only a few times the floor. The lowest floor of the last minute is that rest.
/// </para>
/// </remarks>
public sealed class RestFloorTracker
{
    /// <summary>Included windows must stay below this fraction of the floor for <see cref="FastFallSeconds"/> to restart it.</summary>
    public const double FastFallRatio = 0.5;

    /// <summary>How long the signal must stay well below the floor before the floor restarts from the new level, s.</summary>
    public const double FastFallSeconds = 1.0;

    /// <summary>
    /// How far back <see cref="LowestFloor"/> reaches, s: a prodrome's rise begins 41 ± 11 s before the cramp (Chaney &amp;
    /// Sherman pilot, nocturnal calf sEMG), so the rest before it lies within the last minute.
    /// </summary>
    public const double LowestFloorSeconds = 60.0;

    // Histogram of log10(value in the caller's unit): 1e-5 to 1e2 (10 nV to 100 V in mV), 50 bins a decade
    // (4.7 % steps: finer than the ±10 % spread of rest windows).
    private const double LogLow = -5.0;
    private const int BinsPerDecade = 50;
    private const int BinCount = 7 * BinsPerDecade;

    private readonly int[] _bins = new int[BinCount];
    private readonly short[] _ring;
    private readonly double[] _recent;
    private readonly double _percentile;
    private readonly int _minimumCount;
    private int _ringPosition;
    private int _count;
    private int _recentCount;
    private double _seed;

    // LowestFloor: the lowest floor of each of the last whole seconds (a ring, NaN: none), the lowest of the second
    // going on, and how many updates that second has had.
    private readonly double[] _secondLows;
    private readonly int _updatesPerSecond;
    private int _secondPosition;
    private int _updatesThisSecond;
    private double _thisSecondLow;
    private double _earlierSecondsLow;

    /// <summary>Creates a tracker updated once every <paramref name="updateIntervalSeconds"/>.</summary>
    /// <param name="updateIntervalSeconds">Time between updates (the feature hop), s.</param>
    /// <param name="windowSeconds">How much rest history the percentile covers, s (excluded windows do not count).</param>
    /// <param name="percentile">The percentile taken, 0–1 (e.g. 0.2).</param>
    /// <param name="minimumFloor">Smallest floor used for <see cref="Ratio"/>, so a silent channel cannot divide by zero.</param>
    public RestFloorTracker(double updateIntervalSeconds, double windowSeconds, double percentile, double minimumFloor)
    {
        if (!(updateIntervalSeconds > 0) || !double.IsFinite(updateIntervalSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(updateIntervalSeconds), updateIntervalSeconds, "The update interval must be a positive number of seconds.");
        }

        if (!(windowSeconds >= 2 * updateIntervalSeconds) || !double.IsFinite(windowSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "The rest-floor window must span at least two updates.");
        }

        if (!(percentile > 0 && percentile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "The percentile must lie between 0 and 1.");
        }

        if (!(minimumFloor > 0) || !double.IsFinite(minimumFloor))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumFloor), minimumFloor, "The minimum floor must be positive.");
        }

        _ring = new short[Math.Max(2, (int)Math.Round(windowSeconds / updateIntervalSeconds))];
        _recent = new double[Math.Max(2, (int)Math.Round(FastFallSeconds / updateIntervalSeconds))];
        _percentile = percentile;
        _minimumCount = Math.Max(2, (int)Math.Round(2.0 / updateIntervalSeconds));
        _updatesPerSecond = Math.Max(1, (int)Math.Round(1.0 / updateIntervalSeconds));
        _secondLows = new double[(int)LowestFloorSeconds];
        MinimumFloor = minimumFloor;
        Reset();
    }

    /// <summary>Current floor (NaN before the first update unless seeded).</summary>
    public double Floor { get; private set; }

    /// <summary>
    /// The lowest <see cref="Floor"/> after any update of the last <see cref="LowestFloorSeconds"/> (between that and a
    /// second more: it is kept per second), counting every update, active or not; NaN before the first update with a floor.
    /// </summary>
    public double LowestFloor => Math.Min(_thisSecondLow, _earlierSecondsLow) is var low && double.IsFinite(low) ? low : double.NaN;

    /// <summary>Smallest floor used by <see cref="Ratio"/>.</summary>
    public double MinimumFloor { get; }

    /// <summary>Number of windows the percentile is taken over now.</summary>
    public int Count => _count;

    /// <summary>
    /// Set by the update that restarted the floor from a much lower level (see remarks): the floor before the fall.
    /// NaN otherwise; read it right after <see cref="Update"/>.
    /// </summary>
    public double FellFrom { get; private set; }

    /// <summary>Starts from a known floor (a calibration profile's) until two seconds of rest have been seen.</summary>
    public void Seed(double floor)
    {
        if (double.IsFinite(floor) && floor > 0)
        {
            _seed = floor;
            if (_count < _minimumCount)
            {
                Floor = floor;
            }
        }
    }

    /// <summary>
    /// Adds one window's value unless <paramref name="active"/> (activity never moves the floor), and returns the
    /// floor. Non-finite and negative values are ignored (but count as an update's time for <see cref="LowestFloor"/>).
    /// </summary>
    public double Update(double value, bool active)
    {
        double floor = Learn(value, active);
        KeepLowest(floor);
        return floor;
    }

    private double Learn(double value, bool active)
    {
        FellFrom = double.NaN;
        if (!double.IsFinite(value) || value < 0 || active)
        {
            return Floor;
        }

        if (double.IsNaN(Floor))
        {
            Floor = value;
        }

        _recent[_recentCount % _recent.Length] = value;
        _recentCount++;
        if (_recentCount >= _recent.Length && AllRecentBelow(FastFallRatio * Floor))
        {
            double before = Floor;
            ClearHistogram();
            foreach (double recent in _recent)
            {
                Add(recent);
            }

            _seed = double.NaN;
            Floor = Percentile();
            FellFrom = before;
            return Floor;
        }

        Add(value);
        if (_count >= _minimumCount || double.IsNaN(_seed))
        {
            Floor = Percentile();
        }

        return Floor;
    }

    /// <summary><paramref name="value"/> over the floor (floor at least <see cref="MinimumFloor"/>); NaN before the first update.</summary>
    public double Ratio(double value) => double.IsNaN(Floor) ? double.NaN : value / Math.Max(Floor, MinimumFloor);

    /// <summary>Forgets the floor, its lowest and the seed.</summary>
    public void Reset()
    {
        ClearHistogram();
        Array.Fill(_secondLows, double.NaN);
        _secondPosition = 0;
        _updatesThisSecond = 0;
        _thisSecondLow = double.PositiveInfinity;
        _earlierSecondsLow = double.PositiveInfinity;
        _recentCount = 0;
        _seed = double.NaN;
        Floor = double.NaN;
        FellFrom = double.NaN;
    }

    /// <summary>
    /// Takes this update's floor into the second going on; at the end of a second, that second's lowest goes into the ring
    /// and the lowest of the ring is found again (once a second: a pass over a minute of seconds).
    /// </summary>
    private void KeepLowest(double floor)
    {
        if (floor < _thisSecondLow)
        {
            _thisSecondLow = floor;
        }

        if (++_updatesThisSecond < _updatesPerSecond)
        {
            return;
        }

        _secondLows[_secondPosition] = double.IsFinite(_thisSecondLow) ? _thisSecondLow : double.NaN;
        _secondPosition = _secondPosition + 1 == _secondLows.Length ? 0 : _secondPosition + 1;
        _updatesThisSecond = 0;
        _thisSecondLow = double.PositiveInfinity;
        _earlierSecondsLow = double.PositiveInfinity;
        foreach (double low in _secondLows)
        {
            if (low < _earlierSecondsLow)
            {
                _earlierSecondsLow = low;
            }
        }
    }

    private bool AllRecentBelow(double limit)
    {
        foreach (double recent in _recent)
        {
            if (!(recent < limit))
            {
                return false;
            }
        }

        return true;
    }

    private void ClearHistogram()
    {
        Array.Clear(_bins);
        _ringPosition = 0;
        _count = 0;
    }

    private void Add(double value)
    {
        short bin = Bin(value);
        if (_count == _ring.Length)
        {
            _bins[_ring[_ringPosition]]--;
        }
        else
        {
            _count++;
        }

        _ring[_ringPosition] = bin;
        _bins[bin]++;
        _ringPosition = _ringPosition + 1 == _ring.Length ? 0 : _ringPosition + 1;
    }

    [MethodImpl(HotPath.Compiled)]
    private double Percentile()
    {
        double target = _percentile * _count;
        int cumulative = 0;
        for (int b = 0; b < BinCount; b++)
        {
            int inBin = _bins[b];
            if (inBin == 0)
            {
                continue;
            }

            if (cumulative + inBin >= target)
            {
                // Interpolate within the bin so the floor moves smoothly rather than in 4.7 % steps.
                double fraction = Math.Clamp((target - cumulative) / inBin, 0, 1);
                return Math.Pow(10, LogLow + ((b + fraction) / BinsPerDecade));
            }

            cumulative += inBin;
        }

        return Floor;
    }

    private static short Bin(double value)
    {
        double log = value > 0 ? Math.Log10(value) : LogLow;
        int bin = (int)Math.Floor((log - LogLow) * BinsPerDecade);
        return (short)Math.Clamp(bin, 0, BinCount - 1);
    }
}

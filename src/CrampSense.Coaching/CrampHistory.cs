namespace CrampSense.Coaching;

/// <summary>
/// The recent cramps the frequency rule counts: in memory, bounded to the last <see cref="Retention"/> and at
/// most <see cref="MaxEntries"/> cramps. The host seeds it from its own persisted history at start-up
/// (<see cref="Seed"/>); nothing here reads or writes files.
/// </summary>
public sealed class CrampHistory
{
    // Kept sorted by start time (seeded history may arrive in any order), oldest first.
    private readonly List<PastCramp> _cramps = [];

    /// <summary>Creates an empty history.</summary>
    /// <param name="retention">How far back cramps are kept; older ones are dropped.</param>
    /// <param name="maxEntries">Hard cap on the number kept (the oldest go first), so a flood of events cannot grow memory without bound.</param>
    public CrampHistory(TimeSpan retention, int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        Retention = retention;
        MaxEntries = maxEntries;
    }

    /// <summary>How far back cramps are kept.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Most cramps kept.</summary>
    public int MaxEntries { get; }

    /// <summary>Number of cramps currently kept.</summary>
    public int Count => _cramps.Count;

    /// <summary>The cramps kept, oldest first.</summary>
    public IReadOnlyList<PastCramp> Cramps => _cramps;

    /// <summary>
    /// Adds cramps from the host's persisted history (any order); those older than <see cref="Retention"/>
    /// before <paramref name="now"/> are ignored.
    /// </summary>
    public void Seed(IEnumerable<PastCramp> cramps, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cramps);
        foreach (var cramp in cramps)
        {
            Insert(cramp);
        }

        Prune(now);
    }

    /// <summary>Records a cramp and drops what has fallen out of the window before <paramref name="now"/>.</summary>
    public void Add(PastCramp cramp, DateTimeOffset now)
    {
        Insert(cramp);
        Prune(now);
    }

    /// <summary>Sets the duration of the kept cramp that started at <paramref name="startedAt"/>; false when there is none.</summary>
    public bool SetDuration(DateTimeOffset startedAt, TimeSpan duration)
    {
        for (var i = _cramps.Count - 1; i >= 0; i--)
        {
            if (_cramps[i].StartedAt == startedAt)
            {
                _cramps[i] = _cramps[i] with { Duration = duration };
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes the kept cramp that started nearest <paramref name="startedAt"/>, within <paramref name="tolerance"/>; false when there is none.</summary>
    public bool Remove(DateTimeOffset startedAt, TimeSpan tolerance)
    {
        var nearest = -1;
        for (var i = 0; i < _cramps.Count; i++)
        {
            var distance = (_cramps[i].StartedAt - startedAt).Duration();
            if (distance <= tolerance && (nearest < 0 || distance < (_cramps[nearest].StartedAt - startedAt).Duration()))
            {
                nearest = i;
            }
        }

        if (nearest < 0)
        {
            return false;
        }

        _cramps.RemoveAt(nearest);
        return true;
    }

    /// <summary>Number of cramps that started in the <paramref name="window"/> up to and including <paramref name="now"/>.</summary>
    public int CountWithin(TimeSpan window, DateTimeOffset now)
    {
        var from = now - window;
        var count = 0;
        foreach (var cramp in _cramps)
        {
            if (cramp.StartedAt > from && cramp.StartedAt <= now)
            {
                count++;
            }
        }

        return count;
    }

    private void Insert(PastCramp cramp)
    {
        var index = _cramps.Count;
        while (index > 0 && _cramps[index - 1].StartedAt > cramp.StartedAt)
        {
            index--;
        }

        _cramps.Insert(index, cramp);
    }

    private void Prune(DateTimeOffset now)
    {
        var cutoff = now - Retention;
        var old = 0;
        while (old < _cramps.Count && _cramps[old].StartedAt <= cutoff)
        {
            old++;
        }

        var excess = Math.Max(0, _cramps.Count - old - MaxEntries);
        _cramps.RemoveRange(0, old + excess);
    }
}

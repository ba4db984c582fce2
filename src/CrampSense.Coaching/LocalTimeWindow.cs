namespace CrampSense.Coaching;

/// <summary>
/// A daily span of local wall-clock time, [<see cref="Start"/>, <see cref="End"/>), that may cross midnight
/// (22:00–07:00). Start equal to end is an empty window.
/// </summary>
/// <param name="Start">First local time inside the window.</param>
/// <param name="End">First local time after the window.</param>
public readonly record struct LocalTimeWindow(TimeOnly Start, TimeOnly End)
{
    /// <summary>True when the window covers no time at all (start equals end).</summary>
    public bool IsEmpty => Start == End;

    /// <summary>True when <paramref name="localTime"/> lies inside the window.</summary>
    public bool Contains(TimeOnly localTime)
    {
        if (Start < End)
        {
            return localTime >= Start && localTime < End;
        }

        // Crossing midnight (or empty when equal): inside after the start or before the end.
        return Start != End && (localTime >= Start || localTime < End);
    }
}

namespace CrampSense.Coaching;

/// <summary>Configuration section <c>Coach:Bedtime</c>: the evening stretch reminder for users with night cramps.</summary>
/// <remarks>
/// Nightly calf and hamstring stretching (3 × 10 s each just before sleep, 6 weeks) cut night cramps by 1.2 a
/// night in adults over 55 (Hallegraeff et al., J Physiother 2012; low-certainty evidence per Cochrane 2021);
/// cramp-science.md §6.
/// </remarks>
public sealed record BedtimeOptions
{
    /// <summary>The user has night cramps; only then is the bedtime reminder sent. Default false.</summary>
    public bool NightCramps { get; init; }

    /// <summary>Local time of the reminder. Default 21:30.</summary>
    public TimeOnly Time { get; init; } = new(21, 30);

    /// <summary>
    /// The reminder is still sent this long after <see cref="Time"/> (the device may have been off or asleep);
    /// after that, that evening's reminder is skipped. Default 2 h.
    /// </summary>
    public TimeSpan LateWindow { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long each stretch is held, s (the trial used 10 s, 3 times per muscle). Default 10.</summary>
    public int HoldSeconds { get; init; } = 10;

    /// <summary>How many times each stretch is done (the trial: 3). Default 3.</summary>
    public int Repetitions { get; init; } = 3;
}

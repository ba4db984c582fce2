namespace CrampSense.Coaching;

/// <summary>
/// Configuration section <c>Coach:QuietHours</c>: local times in which only cramp alerts (the stretch prompt on
/// <c>cramp_started</c>) are sent. The span may cross midnight; start equal to end turns quiet hours off.
/// </summary>
public sealed record QuietHoursOptions
{
    /// <summary>First local time of the quiet hours. Default 22:00.</summary>
    public TimeOnly Start { get; init; } = new(22, 0);

    /// <summary>First local time after the quiet hours. Default 07:00.</summary>
    public TimeOnly End { get; init; } = new(7, 0);

    /// <summary>The quiet hours as a window.</summary>
    public LocalTimeWindow Window => new(Start, End);
}

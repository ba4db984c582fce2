namespace CrampSense.Coaching;

/// <summary>Configuration section <c>Coach:Stretch</c>: the stretch prompt sent on <c>cramp_started</c>.</summary>
public sealed record StretchOptions
{
    /// <summary>
    /// How long the stretch is held, s (named in the text). Default 30 s: Merck Manual runner's stretch, "hold
    /// about 30 seconds" (cramp-science.md §6, first aid).
    /// </summary>
    public int HoldSeconds { get; init; } = 30;

    /// <summary>
    /// At most one stretch prompt per site within this time while cramps cluster. Default 5 min (a product choice:
    /// the first prompt already says to repeat the stretch if the cramp comes back).
    /// </summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A cramp that starts at least this long after the previous cramp at the same site ended is a new episode
    /// and is prompted even inside <see cref="RepeatInterval"/>. Default 2 min (a product choice).
    /// </summary>
    public TimeSpan NewEpisodeQuietPeriod { get; init; } = TimeSpan.FromMinutes(2);
}

namespace CrampSense.Coaching;

/// <summary>Configuration section <c>Coach:SeeDoctor</c>: when to advise seeing a doctor.</summary>
public sealed record SeeDoctorOptions
{
    /// <summary>Advise a doctor when at least this many cramps started within <see cref="FrequentWindow"/>. Default 3.</summary>
    public int FrequentCount { get; init; } = 3;

    /// <summary>The window for <see cref="FrequentCount"/>. Default 7 days.</summary>
    public TimeSpan FrequentWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Advise a doctor after a cramp lasting longer than this. Default 10 min: ordinary leg cramps last "seconds to
    /// maximum 10 minutes" (Hallegraeff et al., BMC Fam Pract 2017; cramp-science.md §1).
    /// </summary>
    public TimeSpan LongCrampDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>After a see-a-doctor prompt, no other for this long, whatever the reason. Default 7 days.</summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Most cramps kept in memory for the frequency rule. Default 1000.</summary>
    public int HistoryMaxEntries { get; init; } = 1000;
}

namespace CrampSense.Coaching;

/// <summary>One cramp in the <see cref="CrampHistory"/>: when it started and, once known, how long it lasted.</summary>
/// <param name="StartedAt">Start of the cramp (UTC).</param>
/// <param name="Duration">How long it lasted; null while it runs or when unknown.</param>
public readonly record struct PastCramp(DateTimeOffset StartedAt, TimeSpan? Duration = null);

namespace CrampSense.Wearable;

/// <summary>
/// The session's own time on the wall clock: a start plus the session seconds reached so far. Live the start is
/// the host's <see cref="TimeProvider"/> at start-up and the seconds follow the frames, so it runs with the wall
/// clock; in a replay it runs with the recording (placed so that it ends now), so the coach's intervals and the
/// messages' times follow the recording's own spacing. The one clock of the service and of <c>crampsense replay</c>.
/// </summary>
/// <remarks>Advanced by one thread (the dispatcher's); read from any.</remarks>
public sealed class SessionClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks;

    /// <summary>Wall time of session second 0.</summary>
    public DateTimeOffset Start { get; } = start;

    /// <summary>Session seconds reached so far.</summary>
    public double Seconds => TimeSpan.FromTicks(Interlocked.Read(ref _ticks)).TotalSeconds;

    public override DateTimeOffset GetUtcNow() => Start + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>The wall time of session second <paramref name="seconds"/>.</summary>
    public DateTimeOffset At(double seconds) => Start + TimeSpan.FromSeconds(seconds);

    /// <summary>Moves the clock to <paramref name="seconds"/> of session time (never backwards).</summary>
    public void AdvanceTo(double seconds)
    {
        var ticks = (long)(seconds * TimeSpan.TicksPerSecond);
        if (ticks > Interlocked.Read(ref _ticks))
        {
            Interlocked.Exchange(ref _ticks, ticks);
        }
    }
}

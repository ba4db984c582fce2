namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The session's own time on the wall clock: the start (from the host's <see cref="TimeProvider"/>) plus the
/// seconds of the newest frame. Live it runs with the wall clock; in a fast replay it runs with the recording, so
/// the coach's intervals and the messages' times follow the recording's own spacing (as <c>replay --mqtt</c> does).
/// </summary>
internal sealed class SessionClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks;

    public DateTimeOffset Start { get; } = start;

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

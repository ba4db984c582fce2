namespace CrampSense.Sensors.Faults;

/// <summary>
/// Exponential back-off for retrying a failed sensor: the first retry after <see cref="Initial"/>, then doubling
/// up to <see cref="Maximum"/>. Times are in <see cref="TimeProvider"/> timestamp ticks so that the sampling
/// thread can use it without allocating. No jitter: one wearable's own buses retry alone, unlike a fleet on one
/// broker (the network back-off with jitter is <c>CrampSense.ServiceDefaults.ExponentialBackoff</c>).
/// </summary>
public struct SensorRetryBackoff
{
    private long _nextAttemptTicks;
    private long _currentDelayTicks;

    public SensorRetryBackoff(TimeSpan initial, TimeSpan maximum, long timestampFrequency)
    {
        if (initial <= TimeSpan.Zero || maximum < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), "Back-off needs 0 < initial <= maximum.");
        }

        Initial = initial;
        Maximum = maximum;
        TimestampFrequency = timestampFrequency;
        _nextAttemptTicks = 0;
        _currentDelayTicks = 0;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Maximum { get; }

    public long TimestampFrequency { get; }

    /// <summary>True while the sensor is in a failed state (between <see cref="RecordFailure"/> and <see cref="RecordSuccess"/>).</summary>
    public readonly bool IsBackingOff => _currentDelayTicks != 0;

    /// <summary>Number of failures in a row.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>True when a read may be attempted at <paramref name="nowTicks"/>.</summary>
    public readonly bool MayAttempt(long nowTicks) => _currentDelayTicks == 0 || nowTicks >= _nextAttemptTicks;

    /// <summary>Delay before the next retry (zero when healthy).</summary>
    public readonly TimeSpan CurrentDelay => TimeSpan.FromSeconds((double)_currentDelayTicks / TimestampFrequency);

    /// <summary>Records a failed attempt at <paramref name="nowTicks"/> and schedules the next one.</summary>
    public void RecordFailure(long nowTicks)
    {
        ConsecutiveFailures++;
        var initialTicks = (long)(Initial.TotalSeconds * TimestampFrequency);
        var maximumTicks = (long)(Maximum.TotalSeconds * TimestampFrequency);
        _currentDelayTicks = _currentDelayTicks == 0 ? initialTicks : Math.Min(maximumTicks, _currentDelayTicks * 2);
        _nextAttemptTicks = nowTicks + _currentDelayTicks;
    }

    /// <summary>Records a good read: the sensor is healthy again.</summary>
    public void RecordSuccess()
    {
        ConsecutiveFailures = 0;
        _currentDelayTicks = 0;
        _nextAttemptTicks = 0;
    }
}

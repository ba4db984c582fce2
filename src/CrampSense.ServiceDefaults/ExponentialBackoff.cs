namespace CrampSense.ServiceDefaults;

/// <summary>
/// The network back-off of every service (MQTT reconnects of the wearable's publisher and of the bridge, the
/// bridge's database writes): attempt n waits a random time in [d/2, d] with d = min·2^(n−1) capped at max
/// ("equal jitter", AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), so wearables or bridges that
/// lost the broker or the database together do not retry in lock step, and no wait is shorter than half its step.
/// </summary>
/// <remarks>
/// Written here rather than taken from Polly: each caller owns its loop (connect, then publish status; write, then
/// fall back to one-by-one) and needs only the delay. The sampling thread's allocation-free back-off in timestamp
/// ticks is <c>CrampSense.Sensors.Faults.SensorRetryBackoff</c>. Thread-safe.
/// </remarks>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;

    /// <summary>Creates the policy; <paramref name="random"/> is for reproducible tests.</summary>
    public ExponentialBackoff(TimeSpan min, TimeSpan max, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = after the first failure).</summary>
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(_max.TotalMilliseconds, _min.TotalMilliseconds * Math.Pow(2, exponent));
        lock (_random)
        {
            return TimeSpan.FromMilliseconds((ceiling / 2) + (_random.NextDouble() * ceiling / 2));
        }
    }
}

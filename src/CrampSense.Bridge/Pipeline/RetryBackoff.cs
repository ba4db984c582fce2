namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time in [d/2, d] with d = min·2^(n−1) capped at max
/// ("equal jitter"), so bridges that lost the database together do not retry in lock step.
/// </summary>
public sealed class RetryBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;

    /// <summary>Creates the policy; <paramref name="random"/> is for reproducible tests.</summary>
    public RetryBackoff(TimeSpan min, TimeSpan max, Random? random = null)
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
            return TimeSpan.FromMilliseconds(ceiling / 2 + (_random.NextDouble() * ceiling / 2));
        }
    }
}

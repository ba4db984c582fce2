using Xunit;

namespace CrampSense.ServiceDefaults.Tests;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delay_Doubles_WithinHalfToFullOfTheCeiling()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(7));

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var ceiling = Math.Pow(2, attempt - 1);
            for (var i = 0; i < 50; i++)
            {
                var delay = backoff.Delay(attempt).TotalSeconds;
                Assert.InRange(delay, ceiling / 2, ceiling);
            }
        }
    }

    [Fact]
    public void Delay_AfterTheCeilingIsReached_StaysWithinHalfToFullMaximum()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), new Random(1));

        Assert.All(Enumerable.Range(8, 200).Select(backoff.Delay), d => Assert.InRange(d.TotalSeconds, 15, 30));
    }

    [Fact]
    public void Delay_IsJittered()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(3));

        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Delay(4)).Distinct().Count();

        Assert.True(delays > 10, $"only {delays} distinct delays in 20");
    }

    [Fact]
    public void Constructor_MaxBelowMin_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}

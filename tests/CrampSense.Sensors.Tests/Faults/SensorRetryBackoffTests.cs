using CrampSense.Sensors.Faults;
using Xunit;

namespace CrampSense.Sensors.Tests.Faults;

public class RetryBackoffTests
{
    [Fact]
    public void RecordFailure_Repeatedly_DoublesUpToTheMaximum()
    {
        var backoff = new SensorRetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), timestampFrequency: 1000);
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 5; i++)
        {
            backoff.RecordFailure(0);
            delays.Add(backoff.CurrentDelay);
        }

        Assert.Equal(new[] { 1, 2, 4, 5, 5 }.Select(s => TimeSpan.FromSeconds(s)), delays);
        Assert.Equal(5, backoff.ConsecutiveFailures);
    }

    [Fact]
    public void MayAttempt_OnlyAfterTheDelay_AndAlwaysOnceHealthyAgain()
    {
        var backoff = new SensorRetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), timestampFrequency: 1000);
        Assert.True(backoff.MayAttempt(0));

        backoff.RecordFailure(10_000);
        Assert.False(backoff.MayAttempt(10_999));
        Assert.True(backoff.MayAttempt(11_000));

        backoff.RecordSuccess();
        Assert.True(backoff.MayAttempt(0));
        Assert.False(backoff.IsBackingOff);
    }
}

using CrampSense.FirmwareHost.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

public sealed class WatchdogServiceTests
{
    [Theory]
    [InlineData("30000000", 30.0)]
    [InlineData("500000", 0.5)]
    public void Period_WatchdogUsec_IsTheSystemdPeriod(string usec, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WatchdogService.Period(usec));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("soon")]
    public void Period_NoOrBadWatchdogUsec_IsNull(string? usec) => Assert.Null(WatchdogService.Period(usec));

    [Fact]
    public void IsAlive_HeartbeatOlderThanThePeriod_IsFalseSoTheServiceGetsRestarted()
    {
        var time = new FakeTimeProvider();
        var period = TimeSpan.FromSeconds(30);
        var beat = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(WatchdogService.IsAlive(beat, time, period));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(WatchdogService.IsAlive(beat, time, period));
    }

    [Fact]
    public void IsAlive_BeforeTheFirstHeartbeat_IsTrue() =>
        Assert.True(WatchdogService.IsAlive(0, new FakeTimeProvider(), TimeSpan.FromSeconds(1)));
}

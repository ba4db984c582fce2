using CrampSense.Bridge.Pipeline;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class BridgeStatisticsTests
{
    [Fact]
    public void Unacknowledged_CountsUpAndDown_AndThePeakStays()
    {
        var statistics = new BridgeStatistics();

        Assert.Equal(1, statistics.OnUnacknowledgedReceived());
        Assert.Equal(2, statistics.OnUnacknowledgedReceived());
        Assert.Equal(3, statistics.OnUnacknowledgedReceived());
        statistics.OnUnacknowledgedReleased();
        statistics.OnUnacknowledgedReleased();

        Assert.Equal(1, statistics.Unacknowledged);
        Assert.Equal(3, statistics.PeakUnacknowledged);
    }

    [Fact]
    public void NewConnection_StartsTheCountAgain_ButKeepsThePeak()
    {
        var statistics = new BridgeStatistics();
        statistics.OnUnacknowledgedReceived();
        statistics.OnUnacknowledgedReceived();

        statistics.OnNewConnection();

        Assert.Equal(0, statistics.Unacknowledged);
        Assert.Equal(1, statistics.OnUnacknowledgedReceived());
        Assert.Equal(2, statistics.PeakUnacknowledged);
    }

    [Fact]
    public void Peak_FromManyThreads_IsTheHighestCount()
    {
        var statistics = new BridgeStatistics();

        Parallel.For(0, 10_000, _ => statistics.OnUnacknowledgedReceived());

        Assert.Equal(10_000, statistics.Unacknowledged);
        Assert.Equal(10_000, statistics.PeakUnacknowledged);
    }
}

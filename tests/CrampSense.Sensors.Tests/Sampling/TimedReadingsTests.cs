using CrampSense.Sensors.Sampling;
using CrampSense.Testing.Signals;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class TimedReadingsTests
{
    [Fact]
    public void TryTakeDue_TakesTheNewestReadingAtOrBeforeTheCutoffAndPassesOverOlderOnes()
    {
        var readings = new TimedReadings<int>(8);
        readings.Publish(10, 1);
        readings.Publish(20, 2);
        readings.Publish(30, 3);

        Assert.True(readings.TryTakeDue(25, out var value));

        Assert.Equal(2, value);
        Assert.Equal(1, readings.Skipped);
        Assert.False(readings.TryTakeDue(29, out _));
        Assert.True(readings.TryTakeDue(30, out value));
        Assert.Equal(3, value);
    }

    [Fact]
    public void TryTakeDue_NothingDueYet_ReturnsFalseAndKeepsTheReading()
    {
        var readings = new TimedReadings<int>(8);
        readings.Publish(100, 7);

        Assert.False(readings.TryTakeDue(99, out _));
        Assert.True(readings.TryTakeDue(100, out var value));
        Assert.Equal(7, value);
        Assert.False(readings.TryTakeDue(1000, out _)); // each reading is taken once
    }

    [Fact]
    public void Publish_ConsumerALapBehind_OverwritesTheOldestAndCountsThem()
    {
        var readings = new TimedReadings<int>(4);
        for (var i = 1; i <= 6; i++)
        {
            readings.Publish(i * 10, i);
        }

        Assert.True(readings.TryTakeDue(30, out var value));

        Assert.Equal(3, value);
        Assert.Equal(2, readings.Overwritten);
        Assert.Equal(0, readings.Skipped);
        Assert.True(readings.TryPeekNewest(out var newest));
        Assert.Equal(6, newest);
    }

    [Fact]
    public void PublishAndTake_SteadyState_AllocateNothing()
    {
        var bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var readings = new TimedReadings<(float, float, float)>(64);
            return () =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    readings.Publish(i, (i, i, i));
                    readings.TryTakeDue(i, out _);
                }
            };
        });

        Assert.Equal(0, bytes);
    }
}

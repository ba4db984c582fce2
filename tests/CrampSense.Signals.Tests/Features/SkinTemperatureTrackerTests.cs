using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class SkinTemperatureTrackerTests
{
    [Fact]
    public void Add_LinearRamp_GivesItsSlopePerMinute()
    {
        var tracker = new SkinTemperatureTracker(60);
        for (int i = 0; i <= 300; i++)
        {
            double t = i * 1.0 + (i % 3 * 0.1); // slightly irregular 1 Hz samples
            tracker.Add(t, 33.0 - (0.5 * t / 60));
        }

        Assert.Equal(-0.5, tracker.TrendCelsiusPerMinute, 1e-6);
        Assert.Equal(33.0 - (0.5 * 300.0 / 60), tracker.Celsius, 1e-9);
    }

    [Fact]
    public void Add_BeforeTwoSamples_TrendIsUnknown()
    {
        var tracker = new SkinTemperatureTracker();
        Assert.True(double.IsNaN(tracker.Celsius));
        tracker.Add(0, 31);
        Assert.Equal(31, tracker.Celsius);
        Assert.True(double.IsNaN(tracker.TrendCelsiusPerMinute));
        tracker.Add(10, 31);
        Assert.Equal(0, tracker.TrendCelsiusPerMinute, 1e-9);
    }

    [Fact]
    public void Add_OldSlopeThenFlat_ForgetsTheOldSlope()
    {
        var tracker = new SkinTemperatureTracker(60);
        for (int t = 0; t < 120; t++)
        {
            tracker.Add(t, 30 + (t / 60.0));
        }

        for (int t = 120; t < 1200; t++)
        {
            tracker.Add(t, 32);
        }

        Assert.InRange(tracker.TrendCelsiusPerMinute, -0.001, 0.001);
    }
}

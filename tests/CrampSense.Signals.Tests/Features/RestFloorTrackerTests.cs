using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class RestFloorTrackerTests
{
    private const double Hop = 0.05;

    private static RestFloorTracker Create() => new(Hop, windowSeconds: 60, percentile: 0.2, minimumFloor: 0.001);

    [Fact]
    public void Update_StationaryNoise_SettlesNearItsLowerQuintile()
    {
        var tracker = Create();
        var random = new Random(11);
        var values = new List<double>();
        for (int i = 0; i < 1200; i++)
        {
            double v = 0.010 * (1 + (0.1 * ((random.NextDouble() * 2) - 1)));
            values.Add(v);
            tracker.Update(v, active: false);
        }

        values.Sort();
        Assert.Equal(values[240], tracker.Floor, 0.010 * 0.05);
    }

    [Fact]
    public void Update_TenMinutesOfActivityExcluded_DoNotLiftTheFloor()
    {
        var tracker = Create();
        for (int i = 0; i < 400; i++)
        {
            tracker.Update(0.010, active: false);
        }

        for (int i = 0; i < 12_000; i++)
        {
            tracker.Update(0.5, active: true);
        }

        Assert.Equal(0.010, tracker.Floor, 0.0006);
    }

    [Fact]
    public void Update_ActivityNotExcluded_LiftsTheFloorOnceItFillsMostOfTheWindow()
    {
        // Shows that the exclusion, not the percentile, keeps the floor down in the test above.
        var tracker = Create();
        for (int i = 0; i < 400; i++)
        {
            tracker.Update(0.010, active: false);
        }

        for (int i = 0; i < 1200; i++)
        {
            tracker.Update(0.5, active: false);
        }

        Assert.True(tracker.Floor > 0.4, $"floor {tracker.Floor}");
    }

    [Fact]
    public void Update_StartingInsideActivityThenRest_FallsToTheRestLevelWithinASecondAndSaysFromWhere()
    {
        var tracker = Create();
        for (int i = 0; i < 400; i++)
        {
            tracker.Update(0.3, active: false); // 20 s of a cramp the tracker cannot know is one
        }

        double fellFrom = double.NaN;
        int fallIndex = -1;
        for (int i = 0; i < 40; i++)
        {
            tracker.Update(0.01, active: false);
            if (double.IsFinite(tracker.FellFrom))
            {
                fellFrom = tracker.FellFrom;
                fallIndex = i;
            }
        }

        Assert.Equal(0.01, tracker.Floor, 0.001);
        Assert.Equal(0.3, fellFrom, 0.02);
        Assert.Equal((int)Math.Round(RestFloorTracker.FastFallSeconds / Hop) - 1, fallIndex);
    }

    [Fact]
    public void Seed_KeepsTheProfileFloorUntilTwoSecondsOfRest()
    {
        var tracker = Create();
        tracker.Seed(0.004);
        Assert.Equal(0.004, tracker.Floor);

        for (int i = 0; i < 30; i++)
        {
            tracker.Update(0.008, active: false);
        }

        Assert.Equal(0.004, tracker.Floor);
        for (int i = 0; i < 20; i++)
        {
            tracker.Update(0.008, active: false);
        }

        Assert.Equal(0.008, tracker.Floor, 0.0005);
    }

    [Fact]
    public void Ratio_UsesMinimumFloorAndIsNaNBeforeFirstUpdate()
    {
        var tracker = Create();
        Assert.True(double.IsNaN(tracker.Ratio(1)));
        tracker.Update(0, active: false);
        Assert.Equal(0.5 / 0.001, tracker.Ratio(0.5), 6);
        tracker.Reset();
        Assert.True(double.IsNaN(tracker.Floor));
    }

    [Theory]
    [InlineData(0, 60, 0.2, 0.001)]
    [InlineData(0.05, 0.05, 0.2, 0.001)]
    [InlineData(0.05, 60, 1.0, 0.001)]
    [InlineData(0.05, 60, 0.2, 0)]
    public void Constructor_OutOfRange_Throws(double hop, double window, double percentile, double minimum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestFloorTracker(hop, window, percentile, minimum));
}

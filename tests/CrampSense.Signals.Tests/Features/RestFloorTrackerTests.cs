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

    /// <summary>
    /// 8 seeded (4000) rests of 5–20 mV·10⁻³ (±10 % noise) for 30 s, then a slow climb, never excluded, to 5× over 60 s and
    /// held 90 s: the floor follows the climb, and at every update <see cref="RestFloorTracker.LowestFloor"/> is the lowest
    /// floor of the last 60 s (of the last 60 s and the second going on: it is kept per second).
    /// </summary>
    [Fact]
    public void LowestFloor_FloorFollowingASlowClimb_IsTheLowestFloorOfTheLastMinute()
    {
        int perSecond = (int)Math.Round(1 / Hop);
        int minute = (int)Math.Round(RestFloorTracker.LowestFloorSeconds / Hop);
        for (int seed = 0; seed < 8; seed++)
        {
            var random = new Random(4000 + seed);
            double rest = 0.005 + (0.015 * random.NextDouble());
            var tracker = Create();
            var floors = new List<double>();
            for (int i = 0; i < (int)Math.Round(180 / Hop); i++)
            {
                double t = i * Hop;
                double level = t < 30 ? 1 : t < 90 ? 1 + (4 * (t - 30) / 60) : 5;
                floors.Add(tracker.Update(rest * level * (1 + (0.1 * ((random.NextDouble() * 2) - 1))), active: false));

                // The lowest floor of the last minute, and of that and the second going on (i + 1 updates so far).
                double lastMinute = floors.Skip(Math.Max(0, floors.Count - minute)).Min();
                double withThisSecond = floors.Skip(Math.Max(0, floors.Count - minute - perSecond)).Min();
                Assert.True(tracker.LowestFloor >= withThisSecond && tracker.LowestFloor <= lastMinute,
                    $"seed {seed}, {t:0.00} s: lowest floor {tracker.LowestFloor}, expected {withThisSecond}–{lastMinute}");
            }

            Assert.True(tracker.Floor > 3 * rest && tracker.LowestFloor > 3 * rest, $"seed {seed}: floor {tracker.Floor}, lowest {tracker.LowestFloor} (rest {rest})");
        }
    }

    /// <summary>
    /// <see cref="RestFloorTracker.LowestFloor"/> is NaN before the first floor (also after updates without a valid value)
    /// and after <see cref="RestFloorTracker.Reset"/>; updates that teach the floor nothing (active or invalid values)
    /// still count as time, so the lowest floor of a minute ago is gone a minute later.
    /// </summary>
    [Fact]
    public void LowestFloor_NaNUntilAFloorAndAfterReset_UpdatesThatTeachNothingStillCountAsTime()
    {
        var tracker = Create();
        Assert.True(double.IsNaN(tracker.LowestFloor));
        for (int i = 0; i < 100; i++)
        {
            tracker.Update(double.NaN, active: false);
        }

        Assert.True(double.IsNaN(tracker.LowestFloor));

        // 10 s at 0.01, then a floor restarted from 0.002 (a fall), then 0.01 again, learnt back over the minute.
        for (int i = 0; i < 200; i++)
        {
            tracker.Update(0.01, active: false);
        }

        Assert.Equal(0.01, tracker.LowestFloor, 0.001);
        for (int i = 0; i < 40; i++)
        {
            tracker.Update(0.002, active: false);
        }

        Assert.Equal(0.002, tracker.LowestFloor, 0.0003);

        // 61 s of updates that teach the floor nothing: the floor stays at the fall's level, so does its lowest.
        for (int i = 0; i < 1220; i++)
        {
            tracker.Update(i % 2 == 0 ? 0.5 : double.NaN, active: i % 2 == 0);
        }

        Assert.Equal(tracker.Floor, tracker.LowestFloor);

        // 120 s back at 0.01: the floor follows up once the fall's windows are a small part of its minute, and a minute
        // later the lowest floor has followed too.
        for (int i = 0; i < 2400; i++)
        {
            tracker.Update(0.01, active: false);
        }

        Assert.Equal(0.01, tracker.Floor, 0.001);
        Assert.Equal(0.01, tracker.LowestFloor, 0.001);
        tracker.Reset();
        Assert.True(double.IsNaN(tracker.LowestFloor));
    }

    [Theory]
    [InlineData(0, 60, 0.2, 0.001)]
    [InlineData(0.05, 0.05, 0.2, 0.001)]
    [InlineData(0.05, 60, 1.0, 0.001)]
    [InlineData(0.05, 60, 0.2, 0)]
    public void Constructor_OutOfRange_Throws(double hop, double window, double percentile, double minimum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestFloorTracker(hop, window, percentile, minimum));
}

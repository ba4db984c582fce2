using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class RestFloorTrackerTests
{
    [Fact]
    public void Update_StepUp_RisesWithTheSlowTimeConstant()
    {
        var tracker = new RestFloorTracker(0.05, riseTimeConstantSeconds: 60, fallTimeConstantSeconds: 2, minimumFloor: 0.001);
        tracker.Update(0.01);
        for (int i = 0; i < 1200; i++)
        {
            tracker.Update(1.01); // 60 s of activity
        }

        // One time constant: 1 − 1/e of the step.
        Assert.Equal(0.01 + (1 - Math.Exp(-1)), tracker.Floor, 1e-6);
    }

    [Fact]
    public void Update_StepDown_FallsWithTheFastTimeConstant()
    {
        var tracker = new RestFloorTracker(0.05, 60, 2, 0.001);
        tracker.Update(1.0);
        for (int i = 0; i < 40; i++)
        {
            tracker.Update(0.0); // 2 s
        }

        Assert.Equal(Math.Exp(-1), tracker.Floor, 1e-6);
    }

    [Fact]
    public void Ratio_UsesMinimumFloorAndIsNaNBeforeFirstUpdate()
    {
        var tracker = new RestFloorTracker(0.05, 60, 2, 0.001);
        Assert.True(double.IsNaN(tracker.Ratio(1)));
        tracker.Update(0);
        Assert.Equal(0.5 / 0.001, tracker.Ratio(0.5), 6);
        tracker.Reset();
        Assert.True(double.IsNaN(tracker.Floor));
    }
}

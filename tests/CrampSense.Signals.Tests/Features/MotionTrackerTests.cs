using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class MotionTrackerTests
{
    [Fact]
    public void OnRow_GaitRhythmOnSparseRows_GivesSineMeanSquareThroughTheBand()
    {
        // EMG rows at 1 kHz, accelerometer on every 10th row (100 Hz): |a| = 1 g + 0.3 g·sin(2π·1.5 t).
        var tracker = new MotionTracker(1000, 50, motionWindowSeconds: 2, gaitLowHz: 0.5, gaitHighHz: 3, gaitWindowSeconds: 4);
        const double a = 0.3, f = 1.5;
        for (int n = 0; n < 30_000; n++)
        {
            bool has = n % 10 == 0;
            float z = (float)(1 + (a * Math.Sin(2 * Math.PI * f * n / 1000)));
            tracker.OnRow(has, 0, 0, z);
        }

        double gaitGain = tracker.GaitBand.Magnitude(f);
        double motionGain = tracker.HighPass.Magnitude(f);
        Assert.Equal(a * a / 2 * gaitGain * gaitGain, tracker.GaitBandPower(), 0.02 * a * a / 2);
        Assert.Equal(a * a / 2 * motionGain * motionGain, tracker.MotionEnergy(), 0.02 * a * a / 2);
    }

    [Fact]
    public void OnRow_StillPostureTilted_HasNoMotionEnergy()
    {
        var tracker = new MotionTracker(1000, 50, 1, 0.5, 3, 4);
        for (int n = 0; n < 10_000; n++)
        {
            tracker.OnRow(n % 20 == 0, 0.6f, 0f, 0.8f);
        }

        Assert.True(tracker.HasSignal);
        Assert.Equal(0, tracker.MotionEnergy(), 1e-12);
        Assert.Equal(0, tracker.GaitBandPower(), 1e-12);
    }

    [Fact]
    public void OnRow_NoAccelerometer_StaysAtZero()
    {
        var tracker = new MotionTracker(1000, 50, 1, 0.5, 3, 4);
        for (int n = 0; n < 5000; n++)
        {
            tracker.OnRow(false, 0, 0, 0);
        }

        Assert.False(tracker.HasSignal);
        Assert.Equal(0, tracker.GaitBandPower());
    }
}

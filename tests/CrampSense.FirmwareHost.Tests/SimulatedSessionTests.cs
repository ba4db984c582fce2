using CrampSense.FirmwareHost.Configuration;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

public sealed class SimulatedSessionTests
{
    [Fact]
    public void DefaultSession_HasACrampWithinTheFirstMinute()
    {
        var session = new SimulatedSession(CrampSenseHostOptions.DefaultScenario, seed: 1);

        var cramp = Assert.Single(session.FirstSegmentTruth, t => t.Kind == TruthKind.Cramp);
        Assert.InRange(cramp.StartSeconds, 0, 50); // + the detector's 5 s confirmation: announced within the first minute
    }

    [Fact]
    public void TryReadFrame_AcrossSegments_TimeContinuesWithoutGapOrRepeat()
    {
        var session = new SimulatedSession("rest", seed: 3, sites: ["calf"]);
        var frame = session.Layout.CreateFrame();
        var period = 1 / session.Layout.SampleRateHz;
        var previous = -period;
        var maxStep = 0.0;
        var minStep = double.MaxValue;

        // rest: first segment 10 s (its minimum), then 10-minute segments; read across the first boundary.
        for (var i = 0; i < 12_000; i++)
        {
            Assert.True(session.TryReadFrame(frame));
            var step = frame.TimeSeconds - previous;
            maxStep = Math.Max(maxStep, step);
            minStep = Math.Min(minStep, step);
            previous = frame.TimeSeconds;
        }

        Assert.InRange(previous, 11.99, 12.0);
        Assert.True(minStep > 0, $"time went back or repeated (step {minStep})");
        Assert.True(maxStep < 3 * period, $"gap of {maxStep} s");
    }
}

using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class FrameRingTests
{
    [Fact]
    public void Add_MoreFramesThanTheCapacity_KeepsTheNewestAndCopiesThemOutFromZero()
    {
        var ring = new FrameRing(2, 5);
        var frame = new RecordingFrame(2);
        for (var n = 0; n < 8; n++)
        {
            frame.TimeSeconds = n * 0.01;
            frame.EmgMillivolts[0] = n;
            frame.EmgMillivolts[1] = -n;
            frame.HasAcceleration = n == 6;
            frame.AccelerationZG = n == 6 ? 0.98f : 0;
            ring.Add(frame);
        }

        var copy = ring.CopyRange(0, 1, out var origin);

        Assert.Equal(5, ring.Count);
        Assert.Equal(0.03, origin, 12);
        Assert.Equal([3f, 4f, 5f, 6f, 7f], copy.Select(f => f.EmgMillivolts[0]));
        Assert.Equal([-3f, -4f, -5f, -6f, -7f], copy.Select(f => f.EmgMillivolts[1]));
        Assert.Equal(0, copy[0].TimeSeconds);
        Assert.Equal(0.04, copy[^1].TimeSeconds, 12);
        Assert.True(copy[3].HasAcceleration);
        Assert.Equal(0.98f, copy[3].AccelerationZG);
        Assert.False(copy[2].HasAcceleration);
    }

    [Fact]
    public void CopyRange_ASpan_TakesOnlyTheFramesInside()
    {
        var ring = new FrameRing(1, 100);
        var frame = new RecordingFrame(1);
        for (var n = 0; n < 100; n++)
        {
            frame.TimeSeconds = n;
            frame.EmgMillivolts[0] = n;
            ring.Add(frame);
        }

        var copy = ring.CopyRange(10, 20, out var origin);

        Assert.Equal(10, origin);
        Assert.Equal(Enumerable.Range(10, 11).Select(n => (float)n), copy.Select(f => f.EmgMillivolts[0]));
    }

    [Fact]
    public void Add_SteadyState_AllocatesNothing()
    {
        var ring = new FrameRing(4, 1000);
        var frame = new RecordingFrame(4);
        ring.Add(frame);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 1; n < 5000; n++)
        {
            frame.TimeSeconds = n * 0.001;
            ring.Add(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Add_AFrameOfAnotherSiteCount_IsRefused()
    {
        var ring = new FrameRing(2, 10);

        var error = Assert.Throws<ArgumentException>(() => ring.Add(new RecordingFrame(3)));

        Assert.Contains("3 EMG sites", error.Message, StringComparison.Ordinal);
    }
}

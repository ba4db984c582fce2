using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipHistoryTests
{
    [Fact]
    public void Add_MoreFramesThanTheCapacity_KeepsTheNewestAndCopiesThemOutFromZero()
    {
        var ring = new ClipHistory(2, 5);
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
        var ring = new ClipHistory(1, 100);
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
    public void CopyRange_RingWrappedWithDroppedSlots_TakesExactlyTheFramesOfEverySpan()
    {
        // 1 kHz with late wake-ups' dropped slots (gaps of 1-5 periods), wrapped over 2.6 times its capacity.
        var random = new Random(17);
        var ring = new ClipHistory(1, 1000, chunkFrames: 64);
        var frame = new RecordingFrame(1);
        var times = new List<double>();
        var t = 3.0;
        for (var n = 0; n < 2600; n++)
        {
            t += random.Next(10) == 0 ? random.Next(2, 6) / 1000.0 : 0.001;
            frame.TimeSeconds = t;
            frame.EmgMillivolts[0] = n;
            ring.Add(frame);
            times.Add(t);
        }

        var held = Enumerable.Range(1600, 1000).ToList();
        for (var k = 0; k < 200; k++)
        {
            // Spans over, across and beside the held times, with ends on and between frame times.
            var from = times[1500] + (random.NextDouble() * (times[^1] - times[1500] + 0.1));
            var to = from + (random.NextDouble() * 0.6) - 0.05;
            if (k % 10 == 0)
            {
                from = times[held[random.Next(held.Count)]];
                to = times[held[random.Next(held.Count)]];
            }

            var expected = held.Where(n => times[n] >= from && times[n] <= to).ToList();

            var copy = ring.CopyRange(from, to, out var origin);

            Assert.Equal(expected.Select(n => (float)n), copy.Select(f => f.EmgMillivolts[0]));
            Assert.Equal(expected.Count == 0 ? double.NaN : times[expected[0]], origin);
        }
    }

    [Fact]
    public void Add_SteadyState_AllocatesNothing()
    {
        var allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var ring = new ClipHistory(4, 1000);
            var frame = new RecordingFrame(4);
            ring.Add(frame);
            return () =>
            {
                for (var n = 1; n < 5000; n++)
                {
                    frame.TimeSeconds = n * 0.001;
                    ring.Add(frame);
                }
            };
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Snapshot_TheRingComesRoundOverItsChunks_StillReadsTheFramesOfItsSpanAndTheRingKeepsTheNewest()
    {
        var ring = new ClipHistory(2, 100, chunkFrames: 16);
        var frame = new RecordingFrame(2);
        void Feed(int from, int to)
        {
            for (var n = from; n < to; n++)
            {
                frame.TimeSeconds = n * 0.001;
                frame.EmgMillivolts[0] = n;
                frame.EmgMillivolts[1] = -n;
                frame.HasSkinTemperature = n % 7 == 0;
                frame.SkinTemperatureCelsius = n / 10f;
                ring.Add(frame);
            }
        }

        Feed(0, 250);
        using var snapshot = ring.Snapshot(0.160, 0.240, out var origin);
        var expected = ring.CopyRange(0.160, 0.240, out _);
        Feed(250, 600); // three and a half times round the ring, over the leased chunks

        Assert.Equal(0.160, origin, 12);
        Assert.Equal(81, snapshot.Count);
        Assert.Equal(expected.Select(f => (f.TimeSeconds, f.EmgMillivolts[0], f.EmgMillivolts[1], f.HasSkinTemperature, f.SkinTemperatureCelsius)),
            snapshot.Select(f => (f.TimeSeconds, f.EmgMillivolts[0], f.EmgMillivolts[1], f.HasSkinTemperature, f.SkinTemperatureCelsius)));
        Assert.Equal(Enumerable.Range(500, 100).Select(n => (float)n), ring.CopyRange(0, 1, out _).Select(f => f.EmgMillivolts[0]));
    }

    [Fact]
    public void Snapshot_Released_ItsChunksAreReusedAndAddingAllocatesNothingAgain()
    {
        ClipHistory ring = null!;
        RingSnapshot snapshot = null!;
        int added = 0;
        var allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            ring = new ClipHistory(4, 1000, chunkFrames: 100);
            var frame = new RecordingFrame(4);
            long n = 0;
            void Feed(int frames)
            {
                for (var end = n + frames; n < end; n++)
                {
                    frame.TimeSeconds = n * 0.001;
                    ring.Add(frame);
                }
            }

            Feed(1500);
            snapshot = ring.Snapshot(0, 10, out _);
            Feed(1000); // round once: every leased chunk is replaced by a new one
            added = ring.ChunksAddedWhileLeased;
            snapshot.Dispose();
            Feed(1000); // the released chunks are the spares now
            return () => Feed(5000);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(10, added);
        Assert.Equal(added, ring.ChunksAddedWhileLeased);
        Assert.Throws<ObjectDisposedException>(() => snapshot[0]);
    }

    [Fact]
    public void Add_AFrameOfAnotherSiteCount_IsRefused()
    {
        var ring = new ClipHistory(2, 10);

        var error = Assert.Throws<ArgumentException>(() => ring.Add(new RecordingFrame(3)));

        Assert.Contains("3 EMG sites", error.Message, StringComparison.Ordinal);
    }
}

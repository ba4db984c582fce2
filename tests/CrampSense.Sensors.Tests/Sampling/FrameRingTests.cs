using CrampSense.Sensors.Sampling;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class FrameRingTests
{
    [Fact]
    public void TryRead_FramesWritten_ComeOutInOrderWithTheirIndices()
    {
        using var ring = new FrameRing(4, 2);
        for (var i = 0; i < 3; i++)
        {
            var frame = ring.TryBeginWrite()!;
            frame.TimeSeconds = i;
            frame.EmgMillivolts[1] = i * 10;
            ring.CommitWrite(100 + i);
        }

        var into = new RecordingFrame(2);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(ring.TryRead(into, out var index));
            Assert.Equal(100 + i, index);
            Assert.Equal(i * 10, into.EmgMillivolts[1]);
        }

        Assert.False(ring.TryRead(into, out _));
    }

    [Fact]
    public void TryBeginWrite_Full_DropsTheNewFrameAndCountsIt()
    {
        using var ring = new FrameRing(4, 1);
        for (var i = 0; i < 6; i++)
        {
            var frame = ring.TryBeginWrite();
            if (frame is not null)
            {
                ring.CommitWrite(i);
            }
        }

        Assert.Equal(2, ring.Dropped);
        Assert.Equal(4, ring.Count);
        var into = new RecordingFrame(1);
        Assert.True(ring.TryRead(into, out var oldest));
        Assert.Equal(0, oldest); // drop-newest: the oldest frames survive
    }

    [Fact]
    public void ProducerAndConsumerThreads_EveryFrameArrivesOnceInOrderOrIsCountedAsDropped()
    {
        using var ring = new FrameRing(64, 1);
        const int total = 200_000;
        var producer = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var frame = ring.TryBeginWrite();
                if (frame is not null)
                {
                    frame.EmgMillivolts[0] = i;
                    ring.CommitWrite(i);
                }
            }
        });
        producer.Start();

        var received = 0L;
        var last = -1L;
        var into = new RecordingFrame(1);
        while (producer.IsAlive || ring.Count > 0)
        {
            while (ring.TryRead(into, out var index))
            {
                Assert.True(index > last);
                Assert.Equal(index, (long)into.EmgMillivolts[0]);
                last = index;
                received++;
            }
        }

        producer.Join();
        while (ring.TryRead(into, out _))
        {
            received++;
        }

        Assert.Equal(total, received + ring.Dropped);
    }

    [Fact]
    public void CommitWrite_WakesAWaitingConsumerOnlyOnceTheWakeThresholdOfFramesWaits()
    {
        using var ring = new FrameRing(16, 1, wakeThreshold: 4);
        var into = new RecordingFrame(1);
        Assert.False(ring.WaitForData(TimeSpan.Zero, TestContext.Current.CancellationToken)); // resets the event

        for (var i = 0; i < 3; i++)
        {
            ring.TryBeginWrite()!.EmgMillivolts[0] = i;
            ring.CommitWrite(i);
            Assert.False(ring.ConsumerWakeSignalled);
        }

        ring.TryBeginWrite()!.EmgMillivolts[0] = 3;
        ring.CommitWrite(3);
        Assert.True(ring.ConsumerWakeSignalled);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(ring.TryRead(into, out var index));
            Assert.Equal(i, index);
        }
    }

    [Fact]
    public void WakeConsumer_FewerFramesThanTheThreshold_WakesTheConsumer()
    {
        using var ring = new FrameRing(16, 1, wakeThreshold: 8);
        Assert.False(ring.WaitForData(TimeSpan.Zero, TestContext.Current.CancellationToken));
        ring.TryBeginWrite();
        ring.CommitWrite(0);
        Assert.False(ring.ConsumerWakeSignalled);

        ring.WakeConsumer();

        Assert.True(ring.ConsumerWakeSignalled);
        Assert.True(ring.WaitForData(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void WakeThreshold_Default_IsASixteenthOfTheCapacity()
    {
        using var ring = new FrameRing(1000, 4);

        Assert.Equal(1024, ring.Capacity);
        Assert.Equal(64, ring.WakeThreshold);
    }

    [Fact]
    public void WaitForSpace_RoomLeft_ReturnsAtOnce()
    {
        using var ring = new FrameRing(2, 1);
        ring.TryBeginWrite();
        ring.CommitWrite(0);

        Assert.False(ring.IsFull);
        Assert.True(ring.WaitForSpace(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitForSpace_Full_ReturnsOnceTheConsumerHasReadAFrame()
    {
        using var ring = new FrameRing(2, 1);
        for (var i = 0; i < 2; i++)
        {
            ring.TryBeginWrite();
            ring.CommitWrite(i);
        }

        Assert.True(ring.IsFull);
        Assert.False(ring.WaitForSpace(TimeSpan.Zero, TestContext.Current.CancellationToken));
        var producer = Task.Run(() => ring.WaitForSpace(Timeout.InfiniteTimeSpan, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        Assert.True(ring.TryRead(new RecordingFrame(1), out _));

        Assert.True(await producer.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.False(ring.IsFull);
    }

    [Fact]
    public void WaitForSpace_FullAndCancelled_Throws()
    {
        using var ring = new FrameRing(2, 1);
        for (var i = 0; i < 2; i++)
        {
            ring.TryBeginWrite();
            ring.CommitWrite(i);
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => ring.WaitForSpace(Timeout.InfiniteTimeSpan, cancelled.Token));
    }
}

using System.Globalization;
using System.Text;
using CrampSense.Sensors.Sampling;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class ReplaySourceTests
{
    /// <summary>A 1 kHz recording of <paramref name="rows"/> rows, temperature on row 0, EMG = row / 100 mV.</summary>
    private static RecordingReader Recording(int rows, string? badRow = null)
    {
        var text = new StringBuilder("# crampsense-recording v1 sample_rate_hz=1000\nt_s,emg.calf,temp.skin\n");
        for (var n = 0; n < rows; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{n / 1000.0:0.000},{n / 100.0:0.00},{(n == 0 ? "31.5" : string.Empty)}\n");
        }

        if (badRow is not null)
        {
            text.Append(badRow).Append('\n');
        }

        return new RecordingReader(new StringReader(text.ToString()), "test.csv");
    }

    private static List<(long Index, double Time, float Mv)> Drain(IFrameSource source)
    {
        var list = new List<(long, double, float)>();
        var frame = source.Layout.CreateFrame();
        while (source.Frames.TryRead(frame, out var index))
        {
            list.Add((index, frame.TimeSeconds, frame.EmgMillivolts[0]));
        }

        return list;
    }

    [Fact]
    public void Step_AtTwiceRealTime_PublishesEachRowWhenItsTimeIsDue()
    {
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(10), 2, clock);
        replay.ResetClock(clock.GetTimestamp());

        var published = new List<int>();
        for (var step = 0; step < 10; step++)
        {
            while (replay.Step(clock.GetTimestamp()) == clock.GetTimestamp())
            {
            }

            published.Add(replay.Frames.Count);
            clock.Advance(TimeSpan.FromMilliseconds(1)); // at 2× a 1 ms row interval lasts 0.5 ms
        }

        Assert.Equal(new[] { 1, 3, 5, 7, 9, 10, 10, 10, 10, 10 }, published);
        var frames = Drain(replay);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), frames.Select(f => f.Index));
        Assert.Equal(0.007, frames[7].Time, 1e-12);
        Assert.Equal(0.07f, frames[7].Mv, 1e-6f);
        Assert.True(replay.Completed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void Step_PacedAndConsumerLags_WaitsForRoomAndLosesNothing(double speed)
    {
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(20), speed, clock, ringCapacity: 8);
        replay.ResetClock(clock.GetTimestamp());
        var received = new List<long>();

        clock.Advance(TimeSpan.FromSeconds(1)); // every row is due; the ring holds 8
        long step;
        while ((step = replay.Step(clock.GetTimestamp())) != ReplaySource.Finished)
        {
            if (step == ReplaySource.WaitingForRoom)
            {
                Assert.Equal(replay.Frames.Capacity, replay.Frames.Count);
                received.AddRange(Drain(replay).Select(f => f.Index));
            }
        }

        received.AddRange(Drain(replay).Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), received);
        Assert.Equal(0, replay.Statistics.Snapshot().HandOffDropped);
        Assert.Equal(0, replay.Frames.Dropped);
    }

    [Fact]
    public void StartStop_PacedAndConsumerHeldAtAGate_ProducerBlocksAndEveryRowArrivesInOrder()
    {
        // Every row is due at once (the fake clock is a minute ahead) and the consumer takes nothing until the ring
        // is full: a replay that dropped like the sensors would lose all but the first 64 rows here.
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(2000), 20, clock, ringCapacity: 64);
        var ct = TestContext.Current.CancellationToken;
        replay.Start();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(SpinWait.SpinUntil(() => replay.Frames.IsFull, TimeSpan.FromSeconds(60)), "the replay never filled the ring");

        var received = new List<long>();
        while (!(replay.Completed && replay.Frames.Count == 0))
        {
            replay.Frames.WaitForData(TimeSpan.FromSeconds(1), ct);
            received.AddRange(Drain(replay).Select(f => f.Index));
        }

        replay.Stop();
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), received);
        Assert.Equal(0, replay.Statistics.Snapshot().HandOffDropped);
    }

    [Fact]
    public void Stop_WhileWaitingForRoom_ReturnsAndTheFramesInTheRingStay()
    {
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(100), ReplaySource.Unpaced, clock, ringCapacity: 8);
        replay.Start();
        Assert.True(SpinWait.SpinUntil(() => replay.Frames.IsFull, TimeSpan.FromSeconds(60)), "the replay never filled the ring");

        replay.Stop();

        Assert.False(replay.Completed);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), Drain(replay).Select(f => f.Index));
    }

    [Fact]
    public void Step_UnpacedAndConsumerLags_WaitsAndLosesNothing()
    {
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(20), ReplaySource.Unpaced, clock, ringCapacity: 8);
        var received = new List<long>();

        while (!replay.Completed)
        {
            replay.Step(clock.GetTimestamp());
            if (replay.Frames.Count == replay.Frames.Capacity)
            {
                received.AddRange(Drain(replay).Select(f => f.Index));
            }
        }

        received.AddRange(Drain(replay).Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), received);
        Assert.Equal(0, replay.Statistics.Snapshot().HandOffDropped);
    }

    [Fact]
    public void Step_BadRow_EndsTheReplayWithTheReadersErrorNamingTheLine()
    {
        var clock = new FakeTimeProvider();
        using var replay = new ReplaySource(Recording(3, badRow: "0.003,abc,"), ReplaySource.Unpaced, clock);

        while (replay.Step(clock.GetTimestamp()) != ReplaySource.Finished)
        {
        }

        Assert.True(replay.Completed);
        Assert.IsType<RecordingFormatException>(replay.Failure);
        Assert.Contains("6", replay.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(3, Drain(replay).Count);
    }

    [Fact]
    public void StartStop_RealClockUnpaced_AllRowsArriveThroughTheInterface()
    {
        IFrameSource source = new ReplaySource(Recording(500), ReplaySource.Unpaced, TimeProvider.System, ringCapacity: 64);
        using var _ = source;
        var received = new List<long>();

        source.Start();
        while (!(source.Completed && source.Frames.Count == 0))
        {
            source.Frames.WaitForData(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
            received.AddRange(Drain(source).Select(f => f.Index));
        }

        source.Stop();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), received);
        Assert.True(source.Layout.HasSkinTemperature);
    }

    [Fact]
    public void Step_SimulatorAtRealTime_PublishesTheSimulatorsFramesOnTheirTimes()
    {
        static SimulationRequest Request() => new()
        {
            Scenario = "rest",
            Duration = TimeSpan.FromSeconds(10),
            Seed = 7,
            Sites = ["calf"],
            SampleRateHz = 1000,
        };
        var clock = new FakeTimeProvider();
        using var source = new ReplaySource(Simulator.Start(Request()), 1, clock);
        source.ResetClock(clock.GetTimestamp());
        var expected = Simulator.Start(Request()); // same request and seed: bit-identical frames
        var expectedFrame = expected.Layout.CreateFrame();
        var frame = source.Layout.CreateFrame();

        for (var ms = 0; ms < 500; ms++)
        {
            while (source.Step(clock.GetTimestamp()) == clock.GetTimestamp())
            {
            }

            // At t = ms, exactly the rows with t_s <= ms have been published.
            Assert.Equal(ms + 1, source.Statistics.Snapshot().Samples);
            while (source.Frames.TryRead(frame, out _))
            {
                Assert.True(expected.TryReadFrame(expectedFrame));
                Assert.Equal(expectedFrame.TimeSeconds, frame.TimeSeconds);
                Assert.Equal(expectedFrame.EmgMillivolts[0], frame.EmgMillivolts[0]);
                Assert.Equal(expectedFrame.HasAcceleration, frame.HasAcceleration);
            }

            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.True(source.Layout.HasSkinTemperature);
        Assert.Equal(["calf"], source.Layout.Sites);
    }
}

using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class PolledSensorWorkerTests
{
    [Fact]
    public void PollOnce_ChipDisappearsAndReturns_OneFaultRetriedWithBackoffThenRecovered()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMlx90614 { ObjectCelsius = 33 };
        using var thermometer = new Mlx90614Thermometer(chip);
        var status = new SensorStatusLog();
        using var worker = new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, 1, clock, status);
        long seen = 0;

        worker.PollOnce(clock.GetTimestamp());
        Assert.True(worker.Latest.TryTakeNew(ref seen, out var first));
        Assert.Equal(33, first, 0.02);

        chip.Present = false;
        var attemptsWhileGone = new List<int>();
        for (var second = 1; second <= 8; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var before = chip.Transfers;
            worker.PollOnce(clock.GetTimestamp());
            attemptsWhileGone.Add(chip.Transfers - before);
        }

        // Poll at 1 s fails; retries after 1 s (t=2), 2 s (t=4), 4 s (t=8).
        Assert.Equal(new[] { 1, 1, 0, 1, 0, 0, 0, 1 }, attemptsWhileGone);
        Assert.Equal(TimeSpan.FromSeconds(8), worker.CurrentBackoff);
        var faulted = Assert.Single(status.Drain());
        Assert.Equal(SensorStatusChange.Faulted, faulted.Change);
        Assert.Equal(SensorFaultKind.BusError, faulted.Fault.Kind);
        Assert.Single(status.ActiveFaults);

        chip.Present = true;
        chip.ObjectCelsius = 34;
        clock.Advance(TimeSpan.FromSeconds(8));
        worker.PollOnce(clock.GetTimestamp());

        var recovered = Assert.Single(status.Drain());
        Assert.Equal(SensorStatusChange.Recovered, recovered.Change);
        Assert.Empty(status.ActiveFaults);
        Assert.True(worker.Latest.TryTakeNew(ref seen, out var again));
        Assert.Equal(34, again, 0.02);
        Assert.Equal(TimeSpan.Zero, worker.CurrentBackoff);
    }

    [Fact]
    public void PollOnce_AtRate_ReadsOncePerPeriod()
    {
        var clock = new FakeTimeProvider();
        var reads = 0;
        bool Read(double t, out float v, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out SensorFault? f)
        {
            reads++;
            v = 1;
            f = null;
            return true;
        }

        using var worker = new PolledSensorWorker<float>("X", "x", Read, 100, clock, new SensorStatusLog());
        for (var i = 0; i < 1000; i++)
        {
            worker.PollOnce(clock.GetTimestamp());
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(100, reads);
    }

    [Fact]
    public void Dispose_DisposesTheOwnedSensor()
    {
        var chip = new SimulatedMlx90614();
        var thermometer = new Mlx90614Thermometer(chip);
        var worker = new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, 1, new FakeTimeProvider(), new SensorStatusLog(), ownedSensor: thermometer);

        worker.Dispose();

        Assert.True(chip.IsDisposed);
    }

    [Fact]
    public void PollOnce_BurstRead_PublishesEveryReadingAndTheNewestAsLatestAtTheBurstRate()
    {
        var clock = new FakeTimeProvider();
        var polls = new List<SensorPoll>();
        var status = new SensorStatusLog();
        bool Burst(in SensorPoll poll, TimedReadings<int> destination, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out SensorFault? fault)
        {
            polls.Add(poll);
            destination.Publish(poll.Ticks - 1, polls.Count * 10);
            destination.Publish(poll.Ticks, (polls.Count * 10) + 1);
            fault = null;
            return true;
        }

        using var worker = new PolledSensorWorker<int>("FIFO", "bus", Burst, 10, clock, status, 16);
        for (var ms = 0; ms < 300; ms += 50)
        {
            worker.PollOnce(clock.GetTimestamp());
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        long seen = 0;
        Assert.Equal(3, polls.Count);                                  // 10 Hz over 300 ms
        Assert.Equal(TimeSpan.FromMilliseconds(150), worker.HandOffDelay);
        Assert.Equal(6, worker.Readings.Published);
        Assert.True(worker.Latest.TryTakeNew(ref seen, out var latest));
        Assert.Equal(31, latest);
        Assert.Equal(clock.TimestampFrequency, polls[0].TicksPerSecond);
        Assert.Equal(0.1, polls[1].TimeSeconds, 1e-9);
    }

    [Fact]
    public void PollOnce_SingleRead_StampsTheReadingWithThePollTimeAndHasNoHandOffDelay()
    {
        var clock = new FakeTimeProvider();
        var status = new SensorStatusLog();
        bool Read(double time, out float value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out SensorFault? fault)
        {
            value = 21;
            fault = null;
            return true;
        }

        using var worker = new PolledSensorWorker<float>("T", "bus", Read, 1, clock, status);
        var polled = clock.GetTimestamp();
        worker.PollOnce(polled);

        Assert.Equal(TimeSpan.Zero, worker.HandOffDelay);
        Assert.False(worker.Readings.TryTakeDue(polled - 1, out _));
        Assert.True(worker.Readings.TryTakeDue(polled, out var value));
        Assert.Equal(21, value);
    }
}

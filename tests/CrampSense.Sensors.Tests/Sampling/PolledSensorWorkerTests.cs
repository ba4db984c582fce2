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
}

using CrampSense.Sensors.Faults;
using Xunit;

namespace CrampSense.Sensors.Tests.Faults;

public class SensorStatusLogTests
{
    private static SensorFault Fault(int channel = -1) => new("MLX90614", "i2c1@0x5A", channel, null, SensorFaultKind.BusError, "NACK", 1);

    [Fact]
    public void ReportFault_SameSensorTwice_RecordsOneEpisode()
    {
        var log = new SensorStatusLog();

        Assert.True(log.ReportFault(Fault()));
        Assert.False(log.ReportFault(Fault() with { TimeSeconds = 2 }));

        Assert.Single(log.Drain());
        Assert.True(log.IsFaulted("MLX90614", "i2c1@0x5A", -1));
    }

    [Fact]
    public void ReportRecovered_ClosesTheOpenFaultWithItsDetails()
    {
        var log = new SensorStatusLog();
        log.ReportFault(Fault(3));

        Assert.True(log.ReportRecovered("MLX90614", "i2c1@0x5A", 3));
        Assert.False(log.ReportRecovered("MLX90614", "i2c1@0x5A", 3));

        var events = log.Drain();
        Assert.Equal([SensorStatusChange.Faulted, SensorStatusChange.Recovered], events.Select(e => e.Change));
        Assert.Equal(Fault(3), events[1].Fault);
        Assert.Empty(log.ActiveFaults);
    }

    [Fact]
    public void Enqueue_BeyondCapacity_DropsTheOldestAndCountsThem()
    {
        var log = new SensorStatusLog(capacity: 2);
        for (var channel = 0; channel < 5; channel++)
        {
            log.ReportFault(Fault(channel));
        }

        Assert.Equal(3, log.LostEvents);
        Assert.Equal([3, 4], log.Drain().Select(e => e.Fault.Channel));
        Assert.Equal(5, log.ActiveFaults.Count);
    }
}

using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Temperature;
using Xunit;

namespace CrampSense.Sensors.Tests.Temperature;

public class Ds18b20ThermometerTests
{
    [Fact]
    public void TryReadCelsius_Reading_IsPassedThrough()
    {
        using var sensor = new Ds18b20Thermometer("w1:28-01", () => 32.4375);

        Assert.True(sensor.TryReadCelsius(0, out var value, out _));

        Assert.Equal(32.4375, value, 1e-6);
    }

    [Fact]
    public void TryReadCelsius_PowerOnValue85_ReportsNoData()
    {
        using var sensor = new Ds18b20Thermometer("w1:28-01", () => 85.0);

        Assert.False(sensor.TryReadCelsius(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.NoData, fault.Kind);
    }

    [Fact]
    public void TryReadCelsius_CrcError_ReportsChecksumError()
    {
        using var sensor = new Ds18b20Thermometer("w1:28-01", () => throw new InvalidOperationException("CRC check failed"));

        Assert.False(sensor.TryReadCelsius(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChecksumError, fault.Kind);
        Assert.Equal("w1:28-01", fault.Bus);
    }
}

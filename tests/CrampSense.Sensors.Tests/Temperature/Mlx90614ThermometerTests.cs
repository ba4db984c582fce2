using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using Xunit;

namespace CrampSense.Sensors.Tests.Temperature;

public class Mlx90614ThermometerTests
{
    [Theory]
    [InlineData(33.0)]
    [InlineData(36.55)]
    [InlineData(-5.3)]
    public void TryReadCelsius_ObjectTemperature_WithinOneLsbOf0_02K(double celsius)
    {
        var chip = new SimulatedMlx90614 { ObjectCelsius = celsius };
        using var sensor = new Mlx90614Thermometer(chip);

        Assert.True(sensor.TryReadCelsius(0, out var value, out _));

        Assert.Equal(celsius, value, 0.02);
    }

    [Fact]
    public void TryReadCelsius_RawWord0x3AF7_Is28_75Celsius()
    {
        // 0x3AF7 = 15095 LSB × 0.02 K = 301.90 K = 28.75 °C; sent little-endian: F7 3A, then PEC.
        var chip = new SimulatedMlx90614 { [0x07] = 0x3AF7 };
        using var sensor = new Mlx90614Thermometer(chip);

        Assert.True(sensor.TryReadCelsius(0, out var value, out _));

        Assert.Equal(28.75, value, 0.001);
    }

    [Fact]
    public void TryReadRegister_Ambient_ReadsRam0x06()
    {
        var chip = new SimulatedMlx90614 { AmbientCelsius = 21.5, ObjectCelsius = 34 };
        using var sensor = new Mlx90614Thermometer(chip);

        Assert.True(sensor.TryReadRegister(Mlx90614Thermometer.AmbientTemperatureRegister, 0, out var value, out _));

        Assert.Equal(21.5, value, 0.02);
    }

    [Fact]
    public void TryReadCelsius_WrongPec_ReportsChecksumError()
    {
        var chip = new SimulatedMlx90614 { CorruptPec = true };
        using var sensor = new Mlx90614Thermometer(chip, "i2c1@0x5A");

        Assert.False(sensor.TryReadCelsius(2, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChecksumError, fault.Kind);
        Assert.Equal("MLX90614", fault.Chip);
        Assert.Equal("i2c1@0x5A", fault.Bus);
    }

    [Fact]
    public void TryReadCelsius_ErrorFlagInBit15_ReportsNoData()
    {
        var chip = new SimulatedMlx90614 { [0x07] = 0x8000 };
        using var sensor = new Mlx90614Thermometer(chip);

        Assert.False(sensor.TryReadCelsius(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.NoData, fault.Kind);
    }

    [Fact]
    public void TryReadCelsius_ChipGoneThenBack_FaultsThenReadsAgain()
    {
        var chip = new SimulatedMlx90614 { ObjectCelsius = 32, Present = false };
        using var sensor = new Mlx90614Thermometer(chip);

        Assert.False(sensor.TryReadCelsius(0, out _, out var fault));
        Assert.Equal(SensorFaultKind.BusError, fault.Kind);

        chip.Present = true;
        Assert.True(sensor.TryReadCelsius(1, out var value, out _));
        Assert.Equal(32, value, 0.02);
    }

    [Fact]
    public void SmbusPec_Crc8CheckString_Is0xF4()
    {
        // CRC-8 (poly 0x07, init 0, no reflection) of ASCII "123456789" is 0xF4, the standard check value.
        Assert.Equal(0xF4, SmbusPec.Compute("123456789"u8));
    }

    [Fact]
    public void Dispose_DisposesTheI2cDevice()
    {
        var chip = new SimulatedMlx90614();
        var sensor = new Mlx90614Thermometer(chip);

        sensor.Dispose();
        sensor.Dispose();

        Assert.True(chip.IsDisposed);
    }
}

using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using Xunit;

namespace CrampSense.Sensors.Tests.Temperature;

public class Mcp9808ThermometerTests
{
    [Theory]
    // DS25095 ambient temperature register T_A (0x05): bits 15–13 alert flags, bit 12 sign, bits 11–0 in 2^-4 °C = 0.0625 °C.
    [InlineData(0x0190, 25.0)]       // 0x19 × 16 + 0x00 / 16
    [InlineData(0x01A4, 26.25)]      // upper 0x01, lower 0xA4: 1 × 16 + 164 / 16 = 26.25
    [InlineData(0x0001, 0.0625)]     // one LSB
    [InlineData(0x1FFF, -0.0625)]    // sign set: 4095 / 16 − 256
    [InlineData(0x1E70, -25.0)]      // 0xE70 / 16 − 256
    [InlineData(0xE190, 25.0)]       // T_CRIT, T_UPPER, T_LOWER flags set: ignored
    public void TryReadCelsius_AmbientRegister_ConvertsSignAndSixteenthsOfADegree(int register, double expected)
    {
        var chip = new SimulatedMcp9808 { [SimulatedMcp9808.AmbientTemperatureRegister] = (ushort)register };
        using var sensor = new Mcp9808Thermometer(chip);

        Assert.True(sensor.TryReadCelsius(0, out var value, out _));

        Assert.Equal(expected, value, 1e-6);
    }

    [Fact]
    public void TryReadCelsius_SkinTemperature_WithinQuantisation()
    {
        var chip = new SimulatedMcp9808 { AmbientCelsius = 33.3 };
        using var sensor = new Mcp9808Thermometer(chip);

        Assert.True(sensor.TryReadCelsius(0, out var value, out _));

        Assert.Equal(33.3, value, 0.0625 / 2);
    }

    [Fact]
    public void TryReadCelsius_WrongManufacturerId_ReportsChipMissing()
    {
        var chip = new SimulatedMcp9808 { [SimulatedMcp9808.ManufacturerIdRegister] = 0x1234 };
        using var sensor = new Mcp9808Thermometer(chip, "i2c1@0x18");

        Assert.False(sensor.TryReadCelsius(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChipMissing, fault.Kind);
        Assert.Equal("MCP9808", fault.Chip);
    }

    [Fact]
    public void TryReadCelsius_ChipGoneThenBack_FaultsThenReadsAgain()
    {
        var chip = new SimulatedMcp9808 { AmbientCelsius = 31 };
        using var sensor = new Mcp9808Thermometer(chip);
        Assert.True(sensor.TryReadCelsius(0, out _, out _));

        chip.Present = false;
        Assert.False(sensor.TryReadCelsius(1, out _, out var fault));
        Assert.Equal(SensorFaultKind.BusError, fault.Kind);

        chip.Present = true;
        Assert.True(sensor.TryReadCelsius(2, out var value, out _));
        Assert.Equal(31, value, 0.0625);
    }

    [Fact]
    public void Dispose_DisposesTheI2cDeviceOnce()
    {
        var chip = new SimulatedMcp9808();
        var sensor = new Mcp9808Thermometer(chip);
        Assert.True(sensor.TryReadCelsius(0, out _, out _));

        sensor.Dispose();
        sensor.Dispose();

        Assert.True(chip.IsDisposed);
    }
}

using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using System.Numerics;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// The bus-level chip simulators in place of /dev/spidev, /dev/i2c, GPIO and PWM, so that <c>crampsense hw probe
/// --simulate</c> and development machines exercise the Pi's code path (bindings, conversion, pacing, hand-off)
/// without a Pi. The EMG input is a resting-level signal (a few tens of µV at the electrodes: two incommensurate
/// sines, deterministic) on top of the MyoWare mid-rail; the skin reads 32.5 °C; the leg lies still (≈ 1 g on z).
/// </summary>
public sealed class SimulatedBusFactory(TimeProvider timeProvider) : ISensorBusFactory
{
    private const double SkinCelsius = 32.5;
    private static readonly Vector3 RestingAccelerationG = new(0.02f, -0.01f, 0.99f);

    public SpiDevice OpenSpi(EmgOptions emg)
    {
        ArgumentNullException.ThrowIfNull(emg);
        var bits = string.Equals(emg.Chip, "MCP3208", StringComparison.OrdinalIgnoreCase) ? 12 : 10;
        var gains = new double[8];
        var offsets = new double[8];
        foreach (var c in emg.Channels)
        {
            gains[c.Channel] = c.Gain;
            offsets[c.Channel] = c.OffsetVolts ?? emg.ReferenceVolts / 2;
        }

        var rate = emg.RateHz;
        return new SimulatedMcp3xxx(bits, emg.ReferenceVolts, (ch, n) =>
            offsets[ch] + (gains[ch] * 40e-6 * (Math.Sin(2 * Math.PI * 73 * n / rate) + (0.5 * Math.Sin((2 * Math.PI * 151 * n / rate) + ch)))));
    }

    public string SpiBusName(EmgOptions emg)
    {
        ArgumentNullException.ThrowIfNull(emg);
        return $"spi{emg.SpiBus}.{emg.ChipSelect} (simulated)";
    }

    public I2cDevice OpenI2c(string chip, int busId, int address) => chip.ToUpperInvariant() switch
    {
        "MLX90614" => new SimulatedMlx90614(busId, address) { ObjectCelsius = SkinCelsius },
        "MCP9808" => new SimulatedMcp9808(busId, address) { AmbientCelsius = SkinCelsius },
        "MPU6050" => new SimulatedMpu6050(busId, address, timeProvider) { AccelerationG = RestingAccelerationG },
        "MPU9250" => new SimulatedMpu9250(busId, address, timeProvider: timeProvider) { AccelerationG = RestingAccelerationG },
        _ => throw new ArgumentException($"No simulator for the I2C chip '{chip}'.", nameof(chip)),
    };

    public Ds18b20Thermometer OpenDs18b20(TemperatureOptions temperature) => new("w1:28-000000000000 (simulated)", () => SkinCelsius);

    public PwmChannel OpenPwm(HapticsOptions haptics, int chip)
    {
        ArgumentNullException.ThrowIfNull(haptics);
        return new SimulatedPwmChannel(timeProvider, haptics.PwmFrequencyHz);
    }

    public GpioController OpenGpio() => new(new SimulatedGpioDriver());
}

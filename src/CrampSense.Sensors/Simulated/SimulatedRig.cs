using System.Device.Gpio;
using System.Numerics;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// The configured wiring built on the bus-level chip simulators instead of /dev/spidev, /dev/i2c and GPIO,
/// so that <c>crampsense hw probe --simulate</c> and development machines exercise the real code path
/// (bindings, conversion, pacing, hand-off) without a Pi. The EMG input is a resting-level signal (a few
/// tens of µV at the electrodes: two incommensurate sines, deterministic) on top of the MyoWare mid-rail.
/// </summary>
public static class SimulatedRig
{
    public static SensorRig Build(SensorsOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = SensorsOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new SensorsConfigurationException(errors);
        }

        var e = options.Emg;
        var bits = string.Equals(e.Chip, "MCP3208", StringComparison.OrdinalIgnoreCase) ? 12 : 10;
        var gains = new double[8];
        var offsets = new double[8];
        foreach (var c in e.Channels)
        {
            gains[c.Channel] = c.Gain;
            offsets[c.Channel] = c.OffsetVolts ?? e.ReferenceVolts / 2;
        }

        var rate = e.RateHz;
        var spi = new SimulatedMcp3xxx(bits, e.ReferenceVolts, (ch, n) =>
            offsets[ch] + (gains[ch] * 40e-6 * (Math.Sin(2 * Math.PI * 73 * n / rate) + (0.5 * Math.Sin((2 * Math.PI * 151 * n / rate) + ch)))));
        var channels = e.Channels.Select(c => new EmgChannel(c.Channel, c.Site, c.Gain, c.OffsetVolts)).ToArray();
        var bus = $"spi{e.SpiBus}.{e.ChipSelect} (simulated)";
        Mcp3xxxEmgAdc adc = bits == 12 ? new Mcp3208EmgAdc(spi, e.ReferenceVolts, channels, bus) : new Mcp3008EmgAdc(spi, e.ReferenceVolts, channels, bus);

        var status = new SensorStatusLog();
        var t = options.Temperature;
        ISkinThermometer? thermometer = t.Chip.ToUpperInvariant() switch
        {
            "MLX90614" => new Mlx90614Thermometer(new SimulatedMlx90614(t.I2cBus, t.Address ?? Mlx90614Thermometer.DefaultI2cAddress) { ObjectCelsius = 32.5 }),
            "MCP9808" => new Mcp9808Thermometer(new SimulatedMcp9808(t.I2cBus, t.Address ?? Mcp9808Thermometer.DefaultI2cAddress) { AmbientCelsius = 32.5 }),
            "DS18B20" => new Ds18b20Thermometer("w1:28-000000000000 (simulated)", () => 32.5),
            _ => null,
        };
        var temperatureWorker = thermometer is null
            ? null
            : new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, t.RateHz, timeProvider, status, ownedSensor: thermometer);

        var m = options.Imu;
        MpuImu? imu = m.Chip.ToUpperInvariant() switch
        {
            "MPU6050" => new Mpu6050Imu(new SimulatedMpu6050(m.I2cBus, m.Address) { AccelerationG = new Vector3(0.02f, -0.01f, 0.99f) }),
            "MPU9250" => new Mpu9250Imu(new SimulatedMpu9250(m.I2cBus, m.Address) { AccelerationG = new Vector3(0.02f, -0.01f, 0.99f) }),
            _ => null,
        };
        var imuWorker = imu is null
            ? null
            : new PolledSensorWorker<ImuReading>(imu.Chip, imu.Bus, imu.TryRead, m.RateHz, timeProvider, status, ownedSensor: imu);

        var engine = new AcquisitionEngine(adc, SensorComposition.AcquisitionSettingsFrom(options), timeProvider, status, temperatureWorker, imuWorker);
        var h = options.Haptics;
        var motor = !h.Enabled ? null
            : h.PwmChip is int chip ? new HapticMotor(new SimulatedPwmChannel(timeProvider, h.PwmFrequencyHz), SensorComposition.PwmOutputName(h, chip), timeProvider)
            : new HapticMotor(new GpioController(new SimulatedGpioDriver()), h.GpioPin, timeProvider);
        return new SensorRig(engine, motor, thermometer?.Chip, imu?.Chip);
    }
}

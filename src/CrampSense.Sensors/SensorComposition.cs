using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors;

/// <summary>
/// The composition root of the hardware: the only place where buses are opened (SpiDevice.Create,
/// I2cDevice.Create, new GpioController) from validated <see cref="SensorsOptions"/>. Everything else
/// receives bus objects.
/// </summary>
public static class SensorComposition
{
    /// <summary>Where Linux lists 1-Wire devices (w1-gpio overlay).</summary>
    public const string OneWireDevicesPath = "/sys/bus/w1/devices";

    /// <summary>Opens the configured buses and builds the rig. Throws <see cref="SensorsConfigurationException"/> on bad options.</summary>
    public static SensorRig Build(SensorsOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = SensorsOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new SensorsConfigurationException(errors);
        }

        // If a later part fails to open, close what was already opened before rethrowing.
        var opened = new Stack<IDisposable>();
        try
        {
            var status = new SensorStatusLog();
            var e = options.Emg;
            var channels = e.Channels.Select(c => new EmgChannel(c.Channel, c.Site, c.Gain, c.OffsetVolts)).ToArray();
            var spi = SpiDevice.Create(new SpiConnectionSettings(e.SpiBus, e.ChipSelect)
            {
                ClockFrequency = e.ClockHz,
                Mode = SpiMode.Mode0, // DS21295 §6.1: SPI modes 0,0 and 1,1 are supported
            });
            opened.Push(spi);
            var bus = $"spi{e.SpiBus}.{e.ChipSelect}";
            Mcp3xxxEmgAdc adc = string.Equals(e.Chip, "MCP3208", StringComparison.OrdinalIgnoreCase)
                ? new Mcp3208EmgAdc(spi, e.ReferenceVolts, channels, bus)
                : new Mcp3008EmgAdc(spi, e.ReferenceVolts, channels, bus);

            var temperature = CreateThermometer(options.Temperature);
            if (temperature is not null)
            {
                opened.Push(temperature);
            }

            var imu = CreateImu(options.Imu);
            if (imu is not null)
            {
                opened.Push(imu);
            }

            var motor = CreateMotor(options.Haptics, timeProvider);

            var temperatureWorker = temperature is null
                ? null
                : new PolledSensorWorker<float>(temperature.Chip, temperature.Bus, temperature.TryReadCelsius, options.Temperature.RateHz, timeProvider, status, ownedSensor: temperature);
            var imuWorker = imu is null
                ? null
                : new PolledSensorWorker<ImuReading>(imu.Chip, imu.Bus, imu.TryRead, options.Imu.RateHz, timeProvider, status, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), imu);
            var settings = AcquisitionSettingsFrom(options);
            var engine = new AcquisitionEngine(adc, settings, timeProvider, status, temperatureWorker, imuWorker);
            return new SensorRig(engine, motor, temperature?.Chip, imu?.Chip);
        }
        catch
        {
            while (opened.Count > 0)
            {
                opened.Pop().Dispose();
            }

            throw;
        }
    }

    private static ISkinThermometer? CreateThermometer(TemperatureOptions t)
    {
        switch (t.Chip.ToUpperInvariant())
        {
            case "MLX90614":
                return new Mlx90614Thermometer(I2cDevice.Create(new I2cConnectionSettings(t.I2cBus, t.Address ?? Mlx90614Thermometer.DefaultI2cAddress)));
            case "MCP9808":
                return new Mcp9808Thermometer(I2cDevice.Create(new I2cConnectionSettings(t.I2cBus, t.Address ?? Mcp9808Thermometer.DefaultI2cAddress)));
            case "DS18B20":
                var id = t.OneWireDeviceId is { Length: > 0 } configured
                    ? configured
                    : FindFirstDs18b20() ?? throw new IOException(
                        $"No DS18B20 (28-*) under {OneWireDevicesPath}: check the 4.7 kΩ pull-up from DQ to 3V3 and dtoverlay=w1-gpio,gpiopin=4.");
                return new Ds18b20Thermometer(t.OneWireBusId, id);
            default:
                return null;
        }
    }

    private static MpuImu? CreateImu(ImuOptions m) => m.Chip.ToUpperInvariant() switch
    {
        "MPU6050" => new Mpu6050Imu(I2cDevice.Create(new I2cConnectionSettings(m.I2cBus, m.Address))),
        "MPU9250" => new Mpu9250Imu(I2cDevice.Create(new I2cConnectionSettings(m.I2cBus, m.Address))),
        _ => null,
    };

    /// <summary>The first DS18B20 id (family code 0x28) the kernel lists, or null.</summary>
    internal static string? FindFirstDs18b20() =>
        Directory.Exists(OneWireDevicesPath)
            ? Directory.EnumerateDirectories(OneWireDevicesPath, "28-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>How reports name a PWM drive, e.g. "PWM0 (pwmchip0/pwm0, GPIO18)".</summary>
    public static string PwmOutputName(HapticsOptions haptics, int chip)
    {
        ArgumentNullException.ThrowIfNull(haptics);
        return $"PWM{haptics.PwmChannel} (pwmchip{chip}/pwm{haptics.PwmChannel}, GPIO{haptics.GpioPin})";
    }

    /// <summary>Hardware PWM when <c>Sensors:Haptics:PwmChip</c> is set, else on/off on the GPIO pin.</summary>
    private static HapticMotor? CreateMotor(HapticsOptions haptics, TimeProvider timeProvider)
    {
        if (!haptics.Enabled)
        {
            return null;
        }

        if (haptics.PwmChip is int chip)
        {
            var pwm = PwmChannel.Create(chip, haptics.PwmChannel, haptics.PwmFrequencyHz, 0);
            return new HapticMotor(pwm, PwmOutputName(haptics, chip), timeProvider);
        }

        return new HapticMotor(new GpioController(), haptics.GpioPin, timeProvider);
    }

    /// <summary>The sampling thread's settings from validated options.</summary>
    public static AcquisitionSettings AcquisitionSettingsFrom(SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var e = options.Emg;
        return new AcquisitionSettings
        {
            EmgRateHz = e.RateHz,
            RingCapacity = options.RingCapacity,
            LatenessTolerancePeriods = e.LatenessTolerancePeriods,
            Pacing = Enum.Parse<SamplingPacing>(e.Pacing, ignoreCase: true),
            BatchPeriod = TimeSpan.FromMilliseconds(e.BatchMilliseconds),
        };
    }
}

using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors;

/// <summary>
/// The composition root of the hardware: builds the whole rig (ADC, thermometer, IMU, their polling threads, the
/// sampling engine, the motor) from validated <see cref="SensorsOptions"/> over an <see cref="ISensorBusFactory"/>,
/// the one place that knows whether the buses are the Pi's (<see cref="DeviceBusFactory"/>) or simulated. Everything
/// else receives bus objects.
/// </summary>
public static class SensorComposition
{
    /// <summary>Where Linux lists 1-Wire devices (w1-gpio overlay).</summary>
    public const string OneWireDevicesPath = "/sys/bus/w1/devices";

    /// <summary>
    /// First retry of a failed IMU, doubling up to <see cref="ImuMaximumBackoff"/>. Shorter than the thermometer's
    /// (1 s → 30 s, the worker's default): the IMU is read at 50–100 Hz and its posture and motion are evidence of
    /// intent around a cramp's onset, so a loose I2C contact should be retried within a fraction of a second;
    /// skin temperature changes over minutes.
    /// </summary>
    public static readonly TimeSpan ImuInitialBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>The IMU's longest wait between retries.</summary>
    public static readonly TimeSpan ImuMaximumBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Opens the Pi's buses and builds the rig. Throws <see cref="SensorsConfigurationException"/> on bad options.</summary>
    public static SensorRig Build(SensorsOptions options, TimeProvider timeProvider) => Build(options, new DeviceBusFactory(), timeProvider);

    /// <summary>Opens the configured buses through <paramref name="buses"/> and builds the rig. Throws <see cref="SensorsConfigurationException"/> on bad options.</summary>
    public static SensorRig Build(SensorsOptions options, ISensorBusFactory buses, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(buses);
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
            var spi = buses.OpenSpi(e);
            opened.Push(spi);
            var bus = buses.SpiBusName(e);
            Mcp3xxxEmgAdc adc = string.Equals(e.Chip, "MCP3208", StringComparison.OrdinalIgnoreCase)
                ? new Mcp3208EmgAdc(spi, e.ReferenceVolts, channels, bus)
                : new Mcp3008EmgAdc(spi, e.ReferenceVolts, channels, bus);

            var temperature = CreateThermometer(options.Temperature, buses);
            if (temperature is not null)
            {
                opened.Push(temperature);
            }

            var imu = CreateImu(options.Imu, buses);
            if (imu is not null)
            {
                opened.Push(imu);
            }

            var motor = CreateMotor(options.Haptics, buses, timeProvider);

            var temperatureWorker = temperature is null
                ? null
                : new PolledSensorWorker<float>(temperature.Chip, temperature.Bus, temperature.TryReadCelsius, options.Temperature.RateHz, timeProvider, status, ownedSensor: temperature);
            var imuWorker = imu is null
                ? null
                : new PolledSensorWorker<ImuReading>(imu.Chip, imu.Bus, imu.TryReadFifo, MpuImu.BurstRateHz, timeProvider, status, ImuReadingsCapacity(imu), ImuInitialBackoff, ImuMaximumBackoff, imu);
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

    private static ISkinThermometer? CreateThermometer(TemperatureOptions t, ISensorBusFactory buses) => t.Chip.ToUpperInvariant() switch
    {
        "MLX90614" => new Mlx90614Thermometer(buses.OpenI2c(t.Chip, t.I2cBus, t.Address ?? Mlx90614Thermometer.DefaultI2cAddress)),
        "MCP9808" => new Mcp9808Thermometer(buses.OpenI2c(t.Chip, t.I2cBus, t.Address ?? Mcp9808Thermometer.DefaultI2cAddress)),
        "DS18B20" => buses.OpenDs18b20(t),
        _ => null,
    };

    private static MpuImu? CreateImu(ImuOptions m, ISensorBusFactory buses) => m.Chip.ToUpperInvariant() switch
    {
        "MPU6050" => new Mpu6050Imu(buses.OpenI2c(m.Chip, m.I2cBus, m.Address), sampleRateHz: m.RateHz),
        "MPU9250" => new Mpu9250Imu(buses.OpenI2c(m.Chip, m.I2cBus, m.Address), sampleRateHz: m.RateHz),
        _ => null,
    };

    /// <summary>A full FIFO's burst plus the readings that wait out the hand-off delay (1.5 bursts), with room to spare.</summary>
    private static int ImuReadingsCapacity(MpuImu imu) => imu.MaximumBurstReadings + (int)Math.Ceiling(2 * imu.SampleRateHz / MpuImu.BurstRateHz);

    /// <summary>How reports name a PWM drive, e.g. "PWM0 (pwmchip0/pwm0, GPIO18)".</summary>
    public static string PwmOutputName(HapticsOptions haptics, int chip)
    {
        ArgumentNullException.ThrowIfNull(haptics);
        return $"PWM{haptics.PwmChannel} (pwmchip{chip}/pwm{haptics.PwmChannel}, GPIO{haptics.GpioPin})";
    }

    /// <summary>Hardware PWM when <c>Sensors:Haptics:PwmChip</c> is set, else on/off on the GPIO pin.</summary>
    private static HapticMotor? CreateMotor(HapticsOptions haptics, ISensorBusFactory buses, TimeProvider timeProvider)
    {
        if (!haptics.Enabled)
        {
            return null;
        }

        return haptics.PwmChip is int chip
            ? new HapticMotor(buses.OpenPwm(haptics, chip), PwmOutputName(haptics, chip), timeProvider)
            : new HapticMotor(buses.OpenGpio(), haptics.GpioPin, timeProvider);
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

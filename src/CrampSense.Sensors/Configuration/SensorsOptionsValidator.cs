using CrampSense.ServiceDefaults;
using CrampSense.Signals.Recordings;
using Microsoft.Extensions.Configuration;

namespace CrampSense.Sensors.Configuration;

/// <summary>Thrown when the Sensors section cannot be used; <see cref="ConfigurationProblemsException.Problems"/> names every bad key.</summary>
public sealed class SensorsConfigurationException : ConfigurationProblemsException
{
    public SensorsConfigurationException()
        : this([])
    {
    }

    public SensorsConfigurationException(string message)
        : this([message])
    {
    }

    public SensorsConfigurationException(string message, Exception innerException)
        : base(SensorsOptions.SectionName, [message], innerException)
    {
    }

    public SensorsConfigurationException(IReadOnlyList<string> errors)
        : base(SensorsOptions.SectionName, errors)
    {
    }
}

/// <summary>
/// Checks a <see cref="SensorsOptions"/> at start-up. Every message starts with the configuration key
/// (e.g. <c>Sensors:Emg:Channels:0:Site</c>) and says which values are allowed.
/// </summary>
public static class SensorsOptionsValidator
{
    /// <summary>All problems found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string emg = "Sensors:Emg";
        var e = options.Emg;
        OneOf(errors, $"{emg}:Chip", e.Chip, EmgOptions.Chips);
        Range(errors, $"{emg}:SpiBus", e.SpiBus, 0, 6);
        Range(errors, $"{emg}:ChipSelect", e.ChipSelect, 0, 2);
        Range(errors, $"{emg}:ClockHz", e.ClockHz, 10_000, 3_600_000, "(MCP3008/3208 f_CLK: 3.6 MHz max at 5 V, 1.35 MHz at 2.7 V)");
        Range(errors, $"{emg}:ReferenceVolts", e.ReferenceVolts, 0.25, 5.5, "(V_REF of the MCP3x08)");
        Range(errors, $"{emg}:RateHz", e.RateHz, 1000, 2000);
        Range(errors, $"{emg}:LatenessTolerancePeriods", e.LatenessTolerancePeriods, 1, 20, "(1 = drop a slot once the next one is due)");
        OneOf(errors, $"{emg}:Pacing", e.Pacing, EmgOptions.PacingModes);
        if (Is(e.Pacing, "Batch"))
        {
            Range(errors, $"{emg}:BatchMilliseconds", e.BatchMilliseconds, 1, 20, "(the wake-up period of batch pacing)");
        }
        if (e.Channels.Count is < 1 or > 4)
        {
            errors.Add($"{emg}:Channels: {e.Channels.Count} channels configured; wire 1 to 4 (channel → site).");
        }

        var usedChannels = new HashSet<int>();
        var usedSites = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < e.Channels.Count; i++)
        {
            var key = $"{emg}:Channels:{i}";
            var c = e.Channels[i];
            Range(errors, $"{key}:Channel", c.Channel, 0, 7, "(MCP3x08 inputs CH0–CH7)");
            if (!usedChannels.Add(c.Channel))
            {
                errors.Add($"{key}:Channel: ADC channel {c.Channel} is already wired to another site.");
            }

            if (!RecordingLayout.IsValidSite(c.Site))
            {
                errors.Add($"{key}:Site: '{c.Site}' is not a site name; use 1–32 lower-case letters, digits or '_', starting with a letter (e.g. calf_left).");
            }
            else if (!usedSites.Add(c.Site))
            {
                errors.Add($"{key}:Site: '{c.Site}' is used by another channel.");
            }

            Range(errors, $"{key}:Gain", c.Gain, 1, 100_000, "(MyoWare 2.0 RAW: 200)");
            if (c.OffsetVolts is double offset && (offset < 0 || offset > e.ReferenceVolts))
            {
                errors.Add($"{key}:OffsetVolts: {offset} V is outside the ADC range 0–{e.ReferenceVolts} V (leave empty for half the reference).");
            }
        }

        const string temp = "Sensors:Temperature";
        var t = options.Temperature;
        if (OneOf(errors, $"{temp}:Chip", t.Chip, TemperatureOptions.Chips) && !Is(t.Chip, "None"))
        {
            if (Is(t.Chip, "DS18B20"))
            {
                Range(errors, $"{temp}:RateHz", t.RateHz, 0.05, 1, "(a DS18B20 conversion takes up to 750 ms)");
                if (t.OneWireDeviceId is { Length: > 0 } id && !id.StartsWith("28-", StringComparison.Ordinal))
                {
                    errors.Add($"{temp}:OneWireDeviceId: '{id}' is not a DS18B20 id; they start with '28-' (see /sys/bus/w1/devices).");
                }
            }
            else
            {
                Range(errors, $"{temp}:I2cBus", t.I2cBus, 0, 22);
                if (t.Address is int address)
                {
                    Range(errors, $"{temp}:Address", address, 0x08, 0x77, "(7-bit I2C address)");
                }

                Range(errors, $"{temp}:RateHz", t.RateHz, 0.05, 10);
            }
        }

        const string imu = "Sensors:Imu";
        var m = options.Imu;
        if (OneOf(errors, $"{imu}:Chip", m.Chip, ImuOptions.Chips) && !Is(m.Chip, "None"))
        {
            Range(errors, $"{imu}:I2cBus", m.I2cBus, 0, 22);
            if (m.Address is not (0x68 or 0x69))
            {
                errors.Add($"{imu}:Address: 0x{m.Address:X2} is not an MPU address; allowed: 0x68 (AD0 low), 0x69 (AD0 high).");
            }

            Range(errors, $"{imu}:RateHz", m.RateHz, 50, 100);
        }

        if (options.Haptics.Enabled)
        {
            Range(errors, "Sensors:Haptics:GpioPin", options.Haptics.GpioPin, 2, 27, "(BCM numbering on the 40-pin header)");
            if (options.Haptics.GpioPin == 4 && Is(t.Chip, "DS18B20"))
            {
                errors.Add("Sensors:Haptics:GpioPin: GPIO4 is the 1-Wire data line of the DS18B20; pick another pin (e.g. 18).");
            }

            if (options.Haptics.GpioPin is 2 or 3 or 7 or 8 or 9 or 10 or 11)
            {
                errors.Add($"Sensors:Haptics:GpioPin: GPIO{options.Haptics.GpioPin} belongs to I2C1/SPI0; pick a free pin (e.g. 18, 23, 24).");
            }

            if (options.Haptics.PwmChip is int chip)
            {
                Range(errors, "Sensors:Haptics:PwmChip", chip, 0, 15, "(N of /sys/class/pwm/pwmchipN, or leave it out for on/off GPIO)");
                Range(errors, "Sensors:Haptics:PwmChannel", options.Haptics.PwmChannel, 0, 1, "(0 = PWM0, 1 = PWM1)");
                Range(errors, "Sensors:Haptics:PwmFrequencyHz", options.Haptics.PwmFrequencyHz, 100, 40_000);

                // BCM2835 ARM Peripherals §6.2 (alternative function table, p. 102): PWM0 on GPIO12 (ALT0) and GPIO18
                // (ALT5), PWM1 on GPIO13 (ALT0) and GPIO19 (ALT5).
                int[] pins = options.Haptics.PwmChannel == 0 ? [12, 18] : [13, 19];
                if (options.Haptics.PwmChannel is 0 or 1 && !pins.Contains(options.Haptics.GpioPin))
                {
                    errors.Add($"Sensors:Haptics:GpioPin: PWM{options.Haptics.PwmChannel} can drive GPIO{pins[0]} or GPIO{pins[1]}, not GPIO{options.Haptics.GpioPin}; set GpioPin to one of them (and the overlay's pin= to match) or PwmChannel to {1 - options.Haptics.PwmChannel}.");
                }
            }
        }

        Range(errors, "Sensors:RingCapacity", options.RingCapacity, 64, 1 << 20);
        return errors;
    }

    /// <summary>
    /// Binds the Sensors section (unknown keys are errors) and validates it; throws a
    /// <see cref="SensorsConfigurationException"/> listing every problem.
    /// </summary>
    public static SensorsOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return KeyedOptions.Load(problems => Read(configuration, problems), Validate, problems => new SensorsConfigurationException(problems));
    }

    /// <summary>
    /// Binds the Sensors section with the configuration binder, unknown keys being errors; a missing section or a
    /// value the binder cannot convert adds a problem naming the key and gives null (nothing to validate).
    /// </summary>
    public static SensorsOptions? Read(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        if (!configuration.GetSection(SensorsOptions.SectionName).Exists())
        {
            problems.Add($"{SensorsOptions.SectionName}: no '{SensorsOptions.SectionName}' section in the configuration (see samples/appsettings.sensors.json).");
            return null;
        }

        return KeyedOptions.Bind<SensorsOptions>(configuration, SensorsOptions.SectionName, problems, errorOnUnknownKeys: true);
    }

    /// <summary>Reads, binds and validates the Sensors section of a JSON settings file.</summary>
    public static SensorsOptions LoadJson(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new SensorsConfigurationException($"Settings file '{path}' does not exist.");
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            throw new SensorsConfigurationException($"{path}: {ex.Message} {ex.InnerException?.Message}".TrimEnd(), ex);
        }

        return Load(configuration);
    }

    private static bool Is(string? value, string name) => string.Equals(value, name, StringComparison.OrdinalIgnoreCase);

    private static bool OneOf(List<string> errors, string key, string? value, IReadOnlyList<string> allowed)
    {
        if (allowed.Any(a => Is(value, a)))
        {
            return true;
        }

        errors.Add($"{key}: '{value}' is not supported; allowed: {string.Join(", ", allowed)}.");
        return false;
    }

    private static void Range(List<string> errors, string key, double value, double min, double max, string? why = null)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            errors.Add($"{key}: {value} is out of range; allowed: {min}–{max}{(why is null ? string.Empty : " " + why)}.");
        }
    }
}

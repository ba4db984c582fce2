using CrampSense.Sensors.Sampling;

namespace CrampSense.Sensors.Configuration;

/// <summary>
/// The <c>Sensors</c> section of appsettings: which chips are wired where. Bound with
/// Microsoft.Extensions.Configuration.Binder and checked by <see cref="SensorsOptionsValidator"/>; see
/// samples/appsettings.sensors.json and docs/hardware.md.
/// </summary>
public sealed class SensorsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Sensors";

    public EmgOptions Emg { get; set; } = new();

    public TemperatureOptions Temperature { get; set; } = new();

    public ImuOptions Imu { get; set; } = new();

    public HapticsOptions Haptics { get; set; } = new();

    /// <summary>Frames the hand-off ring to the pipeline holds.</summary>
    public int RingCapacity { get; set; } = 2048;
}

/// <summary><c>Sensors:Emg</c>: the ADC and its channels.</summary>
public sealed class EmgOptions
{
    public static readonly IReadOnlyList<string> Chips = ["MCP3008", "MCP3208"];

    /// <summary>MCP3008 (10-bit) or MCP3208 (12-bit).</summary>
    public string Chip { get; set; } = "MCP3008";

    /// <summary>SPI bus: 0 is SPI0 on header pins 19/21/23 (/dev/spidev0.x).</summary>
    public int SpiBus { get; set; }

    /// <summary>Chip select: 0 = CE0 (pin 24), 1 = CE1 (pin 26).</summary>
    public int ChipSelect { get; set; }

    /// <summary>SPI clock. MCP3008: max 1.35 MHz at V_DD = 2.7 V, 3.6 MHz at 5 V (DS21295, Table 1-1 f_CLK).</summary>
    public int ClockHz { get; set; } = 1_350_000;

    /// <summary>V_REF of the ADC (tied to 3.3 V on a Pi).</summary>
    public double ReferenceVolts { get; set; } = 3.3;

    /// <summary>Samples per second per channel, 1000–2000.</summary>
    public double RateHz { get; set; } = 1000;

    /// <summary>
    /// How late, in sample periods, a slot may still be read (1 = strict). Larger values trade timing accuracy
    /// (reported as lateness/jitter) for fewer dropped slots on a busy system. The default (4) and why it is 4:
    /// <see cref="AcquisitionSettings.DefaultLatenessTolerancePeriods"/>.
    /// </summary>
    public double LatenessTolerancePeriods { get; set; } = AcquisitionSettings.DefaultLatenessTolerancePeriods;

    public static readonly IReadOnlyList<string> PacingModes = ["Spin", "Sleep", "Batch"];

    /// <summary>
    /// How the sampling thread waits for its slots: "Spin" (each sample read at its slot time; one busy core),
    /// "Sleep" (sub-millisecond sleep until each slot on Linux; read at the slot time plus the kernel's wake-up
    /// latency) or "Batch" (wake every <see cref="BatchMilliseconds"/> and read the due slots back to back;
    /// least CPU, but samples read up to one batch late — see docs/hardware.md before choosing it).
    /// </summary>
    public string Pacing { get; set; } = "Sleep";

    /// <summary>Batch pacing only: wake-up period in ms, 1–20.</summary>
    public double BatchMilliseconds { get; set; } = 5;

    /// <summary>ADC channel → muscle site, 1–4 entries.</summary>
    public List<EmgChannelOptions> Channels { get; set; } = [];
}

/// <summary><c>Sensors:Emg:Channels:n</c>.</summary>
public sealed class EmgChannelOptions
{
    /// <summary>ADC input CH0–CH7.</summary>
    public int Channel { get; set; }

    /// <summary>Muscle site (lower-case letters, digits, '_'), e.g. calf_left.</summary>
    public string Site { get; set; } = string.Empty;

    /// <summary>Electrodes → ADC gain; MyoWare 2.0 RAW: 200.</summary>
    public double Gain { get; set; } = 200;

    /// <summary>Input level at 0 V on the electrodes; empty = half the reference (MyoWare RAW sits at Vs/2).</summary>
    public double? OffsetVolts { get; set; }
}

/// <summary><c>Sensors:Temperature</c>: one skin-temperature chip.</summary>
public sealed class TemperatureOptions
{
    public static readonly IReadOnlyList<string> Chips = ["None", "MLX90614", "MCP9808", "DS18B20"];

    public string Chip { get; set; } = "None";

    /// <summary>I2C bus for MLX90614/MCP9808: 1 is I2C1 on pins 3 (SDA1) and 5 (SCL1).</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>7-bit address; empty = the chip's default (MLX90614 0x5A, MCP9808 0x18).</summary>
    public int? Address { get; set; }

    /// <summary>DS18B20: the id under /sys/bus/w1/devices (28-…); empty = the first 28-* device found.</summary>
    public string? OneWireDeviceId { get; set; }

    /// <summary>DS18B20: the 1-Wire bus master.</summary>
    public string OneWireBusId { get; set; } = "w1_bus_master1";

    /// <summary>Reads per second (≤ 1 for DS18B20: a conversion takes up to 750 ms).</summary>
    public double RateHz { get; set; } = 1;
}

/// <summary><c>Sensors:Imu</c>: accelerometer/gyroscope.</summary>
public sealed class ImuOptions
{
    public static readonly IReadOnlyList<string> Chips = ["None", "MPU6050", "MPU9250"];

    public string Chip { get; set; } = "None";

    public int I2cBus { get; set; } = 1;

    /// <summary>0x68 with AD0 low, 0x69 with AD0 high.</summary>
    public int Address { get; set; } = 0x68;

    /// <summary>
    /// Samples per second, 50–100: the chip's own sample clock (1 kHz / (1 + SMPLRT_DIV), so 100, 90.9, … 50 Hz) into its
    /// FIFO, which the service reads in bursts 10 times a second.
    /// </summary>
    public double RateHz { get; set; } = 100;
}

/// <summary><c>Sensors:Haptics</c>: the vibration motor.</summary>
public sealed class HapticsOptions
{
    public bool Enabled { get; set; }

    /// <summary>BCM GPIO number driving the transistor (e.g. 18 = header pin 12).</summary>
    public int GpioPin { get; set; } = 18;

    /// <summary>
    /// Hardware PWM: the sysfs PWM chip (<c>/sys/class/pwm/pwmchipN</c>, 0 on a Pi Zero 2 W–4 with the
    /// pwm-2chan overlay), or null for plain on/off GPIO switching. With PWM the overlay routes the channel to
    /// <see cref="GpioPin"/>, which must then be a PWM pin of that channel (PWM0: GPIO12/18, PWM1: GPIO13/19).
    /// </summary>
    public int? PwmChip { get; set; }

    /// <summary>Channel of <see cref="PwmChip"/>: 0 (PWM0) or 1 (PWM1).</summary>
    public int PwmChannel { get; set; }

    /// <summary>PWM frequency, 100–40 000 Hz; 20 kHz is above hearing, so the motor does not whine.</summary>
    public int PwmFrequencyHz { get; set; } = 20_000;
}

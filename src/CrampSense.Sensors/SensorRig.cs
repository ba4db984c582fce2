using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Sampling;

namespace CrampSense.Sensors;

/// <summary>Everything the service needs from the hardware: the acquisition engine and the motor.</summary>
/// <remarks>Owns both and disposes them (and, through them, every bus).</remarks>
public sealed class SensorRig(AcquisitionEngine engine, HapticMotor? motor, string? temperatureChip, string? imuChip) : IDisposable
{
    public AcquisitionEngine Engine { get; } = engine ?? throw new ArgumentNullException(nameof(engine));

    /// <summary>The vibration motor, or null when haptics are disabled.</summary>
    public HapticMotor? Motor { get; } = motor;

    public SensorStatusLog Status => Engine.Status;

    /// <summary>Configured skin-temperature chip, or null.</summary>
    public string? TemperatureChip { get; } = temperatureChip;

    /// <summary>Configured IMU chip, or null.</summary>
    public string? ImuChip { get; } = imuChip;

    public void Dispose()
    {
        Engine.Dispose();
        Motor?.Dispose();
    }
}

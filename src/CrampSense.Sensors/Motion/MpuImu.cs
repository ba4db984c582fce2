using System.Device.I2c;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using CrampSense.Sensors.Faults;
using Iot.Device.Imu;

namespace CrampSense.Sensors.Motion;

/// <summary>One IMU sample: acceleration in g and angular rate in °/s, in the chip's axes.</summary>
public readonly record struct ImuReading(Vector3 AccelerationG, Vector3 AngularRateDegreesPerSecond);

/// <summary>
/// Accelerometer (and gyroscope) of an InvenSense MPU-6050 / MPU-9250 over I2C through the
/// <see cref="Mpu6050"/> binding family, polled at 50–100 Hz by the motion worker (off the EMG thread:
/// the binding's constructor resets the chip and sleeps 2 × 100 ms).
/// </summary>
/// <remarks>
/// The binding is (re)created on the first read and after every fault, which re-runs its reset, power-on and
/// WHO_AM_I check — the way back for a chip that lost power. The binding is configured for ±2 g and ±250 °/s.
/// Units: Mpu6050.GetAccelerometer() in 4.2.0 returns m/s² (raw × range × 9.807 / 32768 / (1 + SMPLRT_DIV)),
/// despite its summary saying g, so we divide by the binding's own 9.807 and never change SMPLRT_DIV.
/// Ownership: owns <c>i2cDevice</c> and disposes it; the binding only borrows it.
/// </remarks>
public abstract class MpuImu : IDisposable
{
    /// <summary>Standard gravity as used inside the binding (Mpu6050.Gravity = 9.807f).</summary>
    private const float BindingGravity = 9.807f;

    private readonly I2cDevice _i2cDevice;
    private Mpu6050? _binding;
    private bool _disposed;

    protected MpuImu(I2cDevice i2cDevice, string chip, string? bus)
    {
        _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
        Chip = chip;
        Bus = bus ?? $"i2c{i2cDevice.ConnectionSettings.BusId}@0x{i2cDevice.ConnectionSettings.DeviceAddress:X2}";
    }

    public string Chip { get; }

    public string Bus { get; }

    /// <summary>Builds the binding on a borrowed device; it throws IOException when WHO_AM_I is wrong.</summary>
    private protected abstract Mpu6050 CreateBinding(I2cDevice borrowed);

    public bool TryRead(double timeSeconds, out ImuReading reading, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        reading = default;
        try
        {
            _binding ??= CreateBinding(new NonOwningI2cDevice(_i2cDevice));
            var acceleration = _binding.GetAccelerometer() / BindingGravity;
            var rate = _binding.GetGyroscopeReading();
            reading = new ImuReading(acceleration, rate);
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            _binding = null;
            var message = e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
            fault = new SensorFault(Chip, Bus, -1, null, BusExceptions.Classify(e), message, timeSeconds);
            return false;
        }

        fault = null;
        return true;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        if (disposing)
        {
            _i2cDevice.Dispose();
        }

        _disposed = true;
    }
}

/// <summary>MPU-6050 (WHO_AM_I 0x68: register map RM-MPU-6000A, register 117).</summary>
public sealed class Mpu6050Imu(I2cDevice i2cDevice, string? bus = null) : MpuImu(i2cDevice, "MPU6050", bus)
{
    /// <summary>AD0 low (RM-MPU-6000A, WHO_AM_I: 0x68); 0x69 with AD0 high.</summary>
    public const byte DefaultI2cAddress = 0x68;

    private protected override Mpu6050 CreateBinding(I2cDevice borrowed) => new(borrowed);
}

/// <summary>
/// MPU-9250 (WHO_AM_I 0x71: RM-MPU-9250A-00, register 117); accelerometer and gyroscope only. Built through
/// the binding's Mpu9250 class, whose constructor also enables the MPU's auxiliary I2C master and checks the
/// AK8963 magnetometer behind it (WIA 0x48 at 0x0C), so a dead magnetometer is reported as a missing chip
/// even though its data is not used here.
/// </summary>
public sealed class Mpu9250Imu(I2cDevice i2cDevice, string? bus = null) : MpuImu(i2cDevice, "MPU9250", bus)
{
    public const byte DefaultI2cAddress = 0x68;

    private protected override Mpu6050 CreateBinding(I2cDevice borrowed) => new Mpu9250(borrowed, shouldDispose: false, i2CDeviceAk8963: null);
}

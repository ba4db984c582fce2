using System.Buffers.Binary;
using System.Device.I2c;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Sampling;
using Iot.Device.Imu;

namespace CrampSense.Sensors.Motion;

/// <summary>One IMU sample: acceleration in g and angular rate in °/s, in the chip's axes.</summary>
public readonly record struct ImuReading(Vector3 AccelerationG, Vector3 AngularRateDegreesPerSecond);

/// <summary>
/// Accelerometer (and gyroscope) of an InvenSense MPU-6050 / MPU-9250 over I2C. The chip samples at
/// <see cref="SampleRateHz"/> (50–100 Hz) into its FIFO, and the motion worker reads it in bursts
/// <see cref="BurstRateHz"/> times a second (<see cref="TryReadFifo"/>), off the EMG thread: the chip keeps the
/// sample clock, so the host wakes ten times a second instead of a hundred.
/// </summary>
/// <remarks>
/// Set-up goes through the <see cref="Mpu6050"/> binding family: its constructor resets the chip (sleeping 2 × 100 ms),
/// wakes it, checks WHO_AM_I (and for the MPU-9250 the AK8963 behind it) and sets ±2 g and ±250 °/s. It is (re)created on
/// the first read and after every bus fault — the way back for a chip that lost power. Then this class sets the sample
/// rate and the FIFO and reads registers itself, each read one combined write-read transaction: the binding's
/// <c>FifoModes</c> setter sets USER_CTRL.FIFO_RESET where FIFO_EN is meant and never enables the FIFO, its reads are a
/// write and a read (two transfers each), and its <c>GetAccelerometer()</c> (4.2.0) returns m/s² divided by 1 +
/// SMPLRT_DIV, which is no longer 0 here.
/// Sample times: the FIFO holds no timestamps; a burst's newest reading is stamped with the poll's time and each older
/// one a sample period earlier, so the chip's clock tolerance never accumulates and the error is at most one
/// sample period plus the burst's transfer. A FIFO that overflowed (INT_STATUS.FIFO_OFLOW_INT: bytes were lost, so the
/// frames in it are misaligned) or reports a count that is not whole samples is emptied (USER_CTRL.FIFO_RESET), counted
/// in <see cref="FifoResets"/> and reported as a <see cref="SensorFaultKind.NoData"/> fault; the next burst closes it.
/// Ownership: owns <c>i2cDevice</c> and disposes it; the binding only borrows it.
/// </remarks>
public abstract class MpuImu : IDisposable
{
    /// <summary>Bursts per second the motion worker reads.</summary>
    public const double BurstRateHz = 10;

    private const byte SampleRateDividerRegister = 0x19; // SMPLRT_DIV (RM-MPU-6000A p. 11)
    private const byte ConfigurationRegister = 0x1A;     // CONFIG (p. 13)
    private const byte FifoEnableRegister = 0x23;        // FIFO_EN (p. 16)
    private const byte AccelerometerXHigh = 0x3B;        // ACCEL_XOUT_H … GYRO_ZOUT_L 0x48 (pp. 29–31)
    private const byte InterruptStatusRegister = 0x3A;   // INT_STATUS (p. 28)
    private const byte UserControlRegister = 0x6A;       // USER_CTRL (p. 38)
    private const byte FifoCountHighRegister = 0x72;     // FIFO_COUNT_H, then FIFO_COUNT_L (p. 43)
    private const byte FifoReadWriteRegister = 0x74;     // FIFO_R_W (p. 44)

    /// <summary>CONFIG.DLPF_CFG = 3: accelerometer 44 Hz, gyroscope 42 Hz bandwidth, 1 kHz gyroscope output (p. 13): below Nyquist at 100 Hz.</summary>
    private const byte LowPassFilter44Hz = 3;

    /// <summary>Gyroscope output rate with the DLPF on; sample rate = it / (1 + SMPLRT_DIV) (p. 12).</summary>
    private const double GyroscopeOutputRateHz = 1000;

    private const byte FifoAccelerometerAndGyroscope = 0x78; // FIFO_EN: XG, YG, ZG (bits 6–4), ACCEL (bit 3) (p. 16)
    private const byte UserControlFifoEnable = 0x40;         // USER_CTRL bit 6 (p. 38)
    private const byte UserControlFifoReset = 0x04;          // USER_CTRL bit 2, self-clearing (p. 38)
    private const byte FifoOverflow = 0x10;                  // INT_STATUS bit 4, FIFO_OFLOW_INT (p. 28)

    /// <summary>One FIFO sample: accelerometer X/Y/Z then gyroscope X/Y/Z, big-endian int16 (register order, p. 16).</summary>
    private const int SampleBytes = 12;

    /// <summary>±2 g: 16 384 LSB/g (PS-MPU-6000A §6.2, AFS_SEL = 0).</summary>
    private const float AccelerometerLsbPerG = 16384;

    /// <summary>±250 °/s: 131 LSB/(°/s) (PS-MPU-6000A §6.1, FS_SEL = 0).</summary>
    private const float GyroscopeLsbPerDegreePerSecond = 131;

    private readonly I2cDevice _i2cDevice;
    private readonly byte[] _burst;
    private readonly byte _sampleRateDivider;
    private Mpu6050? _binding;
    private bool _disposed;

    /// <param name="i2cDevice">The chip's I2C device (owned).</param>
    /// <param name="chip">Chip name for reports.</param>
    /// <param name="bus">Bus name for reports; default i2cN@0xAA.</param>
    /// <param name="fifoBytes">The chip's FIFO size.</param>
    /// <param name="sampleRateHz">Requested sample rate (the chip's is 1 kHz / (1 + SMPLRT_DIV), see <see cref="SampleRateHz"/>).</param>
    protected MpuImu(I2cDevice i2cDevice, string chip, string? bus, int fifoBytes, double sampleRateHz)
    {
        _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
        if (!double.IsFinite(sampleRateHz) || sampleRateHz < 4 || sampleRateHz > GyroscopeOutputRateHz)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The IMU's sample rate must be 4–1000 Hz.");
        }

        Chip = chip;
        Bus = bus ?? $"i2c{i2cDevice.ConnectionSettings.BusId}@0x{i2cDevice.ConnectionSettings.DeviceAddress:X2}";
        FifoBytes = fifoBytes;
        _burst = new byte[fifoBytes];
        _sampleRateDivider = (byte)Math.Clamp(Math.Round((GyroscopeOutputRateHz / sampleRateHz) - 1), 0, 255);
        SampleRateHz = GyroscopeOutputRateHz / (1 + _sampleRateDivider);
    }

    public string Chip { get; }

    public string Bus { get; }

    /// <summary>The chip's FIFO size in bytes.</summary>
    public int FifoBytes { get; }

    /// <summary>The sample rate the chip runs at: 1 kHz / (1 + SMPLRT_DIV).</summary>
    public double SampleRateHz { get; }

    /// <summary>Most readings one burst can bring (a full FIFO).</summary>
    public int MaximumBurstReadings => FifoBytes / SampleBytes;

    /// <summary>FIFO resets after an overflow or a bad count.</summary>
    public long FifoResets { get; private set; }

    /// <summary>Builds the binding on a borrowed device; it throws IOException when WHO_AM_I is wrong.</summary>
    private protected abstract Mpu6050 CreateBinding(I2cDevice borrowed);

    /// <summary>One reading of the data registers now (for a probe; the service reads the FIFO).</summary>
    public bool TryRead(double timeSeconds, out ImuReading reading, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        reading = default;
        try
        {
            EnsureConfigured();
            Span<byte> data = stackalloc byte[14]; // accelerometer 6, temperature 2, gyroscope 6
            ReadRegisters(AccelerometerXHigh, data);
            reading = Decode(data[..6], data[8..]);
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            fault = BusFault(e, timeSeconds);
            return false;
        }

        fault = null;
        return true;
    }

    /// <summary>
    /// Reads every whole sample in the FIFO and publishes each with its sample time (the newest at the poll's time).
    /// The first call sets the chip up and starts the FIFO, so it publishes nothing.
    /// </summary>
    public bool TryReadFifo(in SensorPoll poll, TimedReadings<ImuReading> destination, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            if (_binding is null)
            {
                EnsureConfigured();
                fault = null;
                return true;
            }

            Span<byte> two = stackalloc byte[2];
            ReadRegisters(InterruptStatusRegister, two[..1]);
            var overflowed = (two[0] & FifoOverflow) != 0;
            ReadRegisters(FifoCountHighRegister, two);
            var count = (two[0] << 8) | two[1];
            if (overflowed || count > FifoBytes || count % SampleBytes != 0)
            {
                ResetFifo();
                FifoResets++;
                var why = overflowed ? $"FIFO overflow (more than {FifoBytes} bytes unread)" : $"FIFO count {count} is not whole {SampleBytes}-byte samples";
                fault = new SensorFault(Chip, Bus, -1, null, SensorFaultKind.NoData, $"{why}: readings lost, FIFO reset.", poll.TimeSeconds);
                return false;
            }

            var burst = _burst.AsSpan(0, count);
            if (count > 0)
            {
                ReadRegisters(FifoReadWriteRegister, burst);
            }

            var samples = count / SampleBytes;
            var periodTicks = poll.TicksPerSecond / SampleRateHz;
            for (var i = 0; i < samples; i++)
            {
                var sample = burst.Slice(i * SampleBytes, SampleBytes);
                var ticks = poll.Ticks - (long)Math.Round((samples - 1 - i) * periodTicks);
                destination.Publish(ticks, Decode(sample[..6], sample[6..]));
            }
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            fault = BusFault(e, poll.TimeSeconds);
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

    private static ImuReading Decode(ReadOnlySpan<byte> acceleration, ReadOnlySpan<byte> rate) => new(
        new Vector3(BinaryPrimitives.ReadInt16BigEndian(acceleration), BinaryPrimitives.ReadInt16BigEndian(acceleration[2..]), BinaryPrimitives.ReadInt16BigEndian(acceleration[4..])) / AccelerometerLsbPerG,
        new Vector3(BinaryPrimitives.ReadInt16BigEndian(rate), BinaryPrimitives.ReadInt16BigEndian(rate[2..]), BinaryPrimitives.ReadInt16BigEndian(rate[4..])) / GyroscopeLsbPerDegreePerSecond);

    private SensorFault BusFault(Exception e, double timeSeconds)
    {
        _binding = null;
        var message = e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
        return new SensorFault(Chip, Bus, -1, null, BusExceptions.Classify(e), message, timeSeconds);
    }

    /// <summary>Creates the binding (reset, wake, identity, ranges), then the sample rate, low-pass filter and FIFO.</summary>
    private void EnsureConfigured()
    {
        if (_binding is not null)
        {
            return;
        }

        var binding = CreateBinding(new NonOwningI2cDevice(_i2cDevice));
        WriteRegister(SampleRateDividerRegister, _sampleRateDivider);
        WriteRegister(ConfigurationRegister, LowPassFilter44Hz);
        WriteRegister(FifoEnableRegister, FifoAccelerometerAndGyroscope);
        ResetFifo();
        _binding = binding;
    }

    /// <summary>Empties the FIFO and (re)enables it, keeping USER_CTRL's other bits (the MPU-9250's I2C_MST_EN).</summary>
    private void ResetFifo()
    {
        Span<byte> userControl = stackalloc byte[1];
        ReadRegisters(UserControlRegister, userControl);
        WriteRegister(UserControlRegister, (byte)(userControl[0] | UserControlFifoEnable | UserControlFifoReset));
    }

    private void WriteRegister(byte register, byte value)
    {
        Span<byte> write = [register, value];
        _i2cDevice.Write(write);
    }

    private void ReadRegisters(byte first, Span<byte> destination)
    {
        Span<byte> pointer = [first];
        _i2cDevice.WriteRead(pointer, destination);
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
public sealed class Mpu6050Imu(I2cDevice i2cDevice, string? bus = null, double sampleRateHz = 100)
    : MpuImu(i2cDevice, "MPU6050", bus, FifoSizeBytes, sampleRateHz)
{
    /// <summary>1024-byte FIFO (PS-MPU-6000A rev 3.4, §7.17).</summary>
    public const int FifoSizeBytes = 1024;

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
public sealed class Mpu9250Imu(I2cDevice i2cDevice, string? bus = null, double sampleRateHz = 100)
    : MpuImu(i2cDevice, "MPU9250", bus, FifoSizeBytes, sampleRateHz)
{
    /// <summary>512-byte FIFO (PS-MPU-9250A-01 rev 1.1, §4.17).</summary>
    public const int FifoSizeBytes = 512;

    public const byte DefaultI2cAddress = 0x68;

    private protected override Mpu6050 CreateBinding(I2cDevice borrowed) => new Mpu9250(borrowed, shouldDispose: false, i2CDeviceAk8963: null);
}

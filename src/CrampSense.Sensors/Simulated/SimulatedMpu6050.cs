using System.Numerics;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// An InvenSense MPU-6050 at the I2C wire (register map RM-MPU-6000A-00 rev 4.2): 8-bit registers, a
/// register pointer written first, burst reads auto-increment. Data registers are big-endian (high byte
/// at the lower address): ACCEL_XOUT_H 0x3B … ACCEL_ZOUT_L 0x40, GYRO_XOUT_H 0x43 … 0x48.
/// PWR_MGMT_1 0x6B resets to 0x40 (SLEEP) and DEVICE_RESET (bit 7) restores every register to its reset
/// value; a sleeping chip's data registers hold 0. WHO_AM_I 0x75 reads 0x68.
/// The MPU-6500/9250 share this accelerometer/gyroscope register map (RM-MPU-9250A-00 §4); subclasses add
/// what differs through <see cref="WriteRegister"/> and <see cref="ReadRegister"/>.
/// </summary>
/// <remarks>
/// The FIFO (RM-MPU-6000A pp. 16, 38, 43–44): while USER_CTRL.FIFO_EN is set, the chip is awake and FIFO_EN selects
/// sensors, the chip appends one sample of the selected data registers (ascending register order: accelerometer 6
/// bytes, temperature 2, gyroscope X/Y/Z 2 each) every sample period, 1 / (gyroscope output rate / (1 +
/// SMPLRT_DIV)), the output rate being 8 kHz with the DLPF off (CONFIG.DLPF_CFG 0 or 7) and 1 kHz otherwise (p. 12).
/// Time comes from a <see cref="TimeProvider"/>: every transfer first writes the samples due since the last one, so
/// a fake clock fills it deterministically. A full FIFO drops its oldest byte for each new one and sets
/// INT_STATUS.FIFO_OFLOW_INT (bit 4, cleared by reading INT_STATUS, p. 28); USER_CTRL.FIFO_RESET (bit 2) empties it.
/// FIFO_COUNT_H latches the count that FIFO_COUNT_L then returns (the datasheet asks for high-then-low reads);
/// reading an empty FIFO returns the last byte read again (p. 44).
/// </remarks>
public class SimulatedMpu6050 : SimulatedRegisterChip
{
    /// <summary>FIFO size of the MPU-6050: 1024 bytes (PS-MPU-6000A rev 3.4, §7.17 "FIFO").</summary>
    public const int Mpu6050FifoBytes = 1024;

    public const byte SampleRateDivider = 0x19;  // SMPLRT_DIV, RM-MPU-6000A p. 11
    public const byte Configuration = 0x1A;      // CONFIG (DLPF_CFG bits 2:0), p. 13
    public const byte FifoEnable = 0x23;         // FIFO_EN, p. 16
    public const byte InterruptStatus = 0x3A;    // INT_STATUS, p. 28
    public const byte UserControl = 0x6A;        // USER_CTRL, p. 38
    public const byte FifoCountHigh = 0x72;      // FIFO_COUNT_H, p. 43
    public const byte FifoCountLow = 0x73;       // FIFO_COUNT_L, p. 43
    public const byte FifoReadWrite = 0x74;      // FIFO_R_W, p. 44

    public const byte FifoOverflowInterrupt = 0x10; // INT_STATUS bit 4, FIFO_OFLOW_INT (p. 28)
    public const byte UserControlFifoEnable = 0x40; // USER_CTRL bit 6 (p. 38)
    public const byte UserControlFifoReset = 0x04;  // USER_CTRL bit 2, self-clearing (p. 38)

    private const byte FifoEnableTemperature = 0x80; // FIFO_EN bits 7..3: TEMP, XG, YG, ZG, ACCEL (p. 16)
    private const byte FifoEnableAccelerometer = 0x08;
    private const byte UserControlSelfClearing = 0x07; // FIFO_RESET, I2C_MST_RESET, SIG_COND_RESET (p. 38)
    public const byte AccelConfig = 0x1C;
    public const byte GyroConfig = 0x1B;
    public const byte AccelXoutH = 0x3B;
    public const byte GyroXoutH = 0x43;
    public const byte PowerManagement1 = 0x6B;
    public const byte WhoAmIRegister = 0x75;

    private readonly byte[] _registers = new byte[128];
    private readonly TimeProvider _time;
    private readonly byte[] _fifo;
    private int _fifoHead;
    private int _fifoCount;
    private int _latchedCount;
    private byte _lastFifoByte;
    private bool _sampling;
    private long _gridStartTicks;
    private long _gridIndex;
    private double _samplePeriodTicks;

    /// <param name="busId">I2C bus.</param>
    /// <param name="address">I2C address (0x68, 0x69 with AD0 high).</param>
    /// <param name="timeProvider">The clock the FIFO fills by (default the system's).</param>
    public SimulatedMpu6050(int busId = 1, int address = 0x68, TimeProvider? timeProvider = null)
        : this(busId, address, timeProvider, Mpu6050FifoBytes)
    {
    }

    protected SimulatedMpu6050(int busId, int address, TimeProvider? timeProvider, int fifoBytes)
        : base(busId, address)
    {
        _time = timeProvider ?? TimeProvider.System;
        _fifo = new byte[fifoBytes];
        ResetMpuRegisters();
    }

    /// <summary>Acceleration at a sample's timestamp (of the chip's <see cref="TimeProvider"/>); null: <see cref="AccelerationG"/>.</summary>
    public Func<long, Vector3>? AccelerationAtTimestamp { get; set; }

    /// <summary>Bytes the FIFO holds.</summary>
    public int FifoCapacity => _fifo.Length;

    /// <summary>Bytes in the FIFO now (without writing the samples due since the last transfer).</summary>
    public int FifoCount => _fifoCount;

    /// <summary>Bytes lost to a full FIFO so far.</summary>
    public long FifoBytesLost { get; private set; }

    /// <summary>Samples written to the FIFO so far.</summary>
    public long FifoSamplesWritten { get; private set; }

    /// <summary>The identity the chip reports (0x68; clones and MPU-6500/9250 answer 0x70/0x71).</summary>
    public byte WhoAmI { get; set; } = 0x68;

    /// <summary>Acceleration the chip feels, in g.</summary>
    public Vector3 AccelerationG { get; set; } = new(0, 0, 1);

    /// <summary>Angular rate, in °/s.</summary>
    public Vector3 AngularRateDegreesPerSecond { get; set; }

    /// <summary>Raw register value.</summary>
    public byte this[int register] => _registers[register];

    /// <summary>True when PWR_MGMT_1.SLEEP (bit 6) is set.</summary>
    public bool Sleeping => (_registers[PowerManagement1] & 0x40) != 0;

    /// <summary>Simulates a power cycle: every register back to its reset value (sleeping).</summary>
    public void PowerCycle() => ResetRegisters();

    /// <summary>LSB per g for the AFS_SEL bits of ACCEL_CONFIG (PS-MPU-6000A §6.2: 16384, 8192, 4096, 2048).</summary>
    public int AccelerometerLsbPerG => 16384 >> ((_registers[AccelConfig] >> 3) & 0b11);

    /// <summary>LSB per °/s × 10 for FS_SEL (PS-MPU-6000A §6.1: 131, 65.5, 32.8, 16.4).</summary>
    public double GyroscopeLsbPerDegreePerSecond => 131.0 / (1 << ((_registers[GyroConfig] >> 3) & 0b11));

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        var now = _time.GetTimestamp();
        WriteDueSamples(now);
        base.OnWrite(buffer);
        StartOrStopSampling(now);
    }

    protected override void OnRead(Span<byte> buffer)
    {
        WriteDueSamples(_time.GetTimestamp());
        base.OnRead(buffer);
    }

    protected override bool AdvancesPointer(byte address) => address != FifoReadWrite;

    /// <summary>A register write from the host (the pointer auto-increments between calls).</summary>
    protected override void WriteRegister(byte address, byte value)
    {
        if (address == PowerManagement1 && (value & 0x80) != 0)
        {
            ResetRegisters(); // DEVICE_RESET self-clears (RM-MPU-6000A, PWR_MGMT_1 address 107)
            return;
        }

        if (address == UserControl)
        {
            if ((value & UserControlFifoReset) != 0)
            {
                ClearFifo();
            }

            _registers[UserControl] = (byte)(value & ~UserControlSelfClearing);
            return;
        }

        if (address == FifoReadWrite)
        {
            return; // the host writing into the FIFO is not simulated
        }

        if (address is not WhoAmIRegister and < 128)
        {
            _registers[address] = value;
        }
    }

    /// <summary>A register read by the host.</summary>
    protected override byte ReadRegister(byte address)
    {
        if (address == WhoAmIRegister)
        {
            return WhoAmI;
        }

        switch (address)
        {
            case InterruptStatus:
                var status = _registers[InterruptStatus];
                _registers[InterruptStatus] = 0; // each bit clears when the register is read (p. 28)
                return status;
            case FifoCountHigh:
                _latchedCount = _fifoCount;
                return (byte)(_latchedCount >> 8);
            case FifoCountLow:
                return (byte)_latchedCount;
            case FifoReadWrite:
                return PopFifo();
        }

        if (address is >= AccelXoutH and <= 0x40)
        {
            return DataByte(AccelerationG * AccelerometerLsbPerG, address - AccelXoutH);
        }

        if (address is >= GyroXoutH and <= 0x48)
        {
            return DataByte(AngularRateDegreesPerSecond * (float)GyroscopeLsbPerDegreePerSecond, address - GyroXoutH);
        }

        return address < 128 ? _registers[address] : (byte)0;
    }

    private byte DataByte(Vector3 counts, int offset) => Sleeping ? (byte)0 : CountByte(counts, offset);

    private static byte CountByte(Vector3 counts, int offset)
    {
        var axis = (offset / 2) switch { 0 => counts.X, 1 => counts.Y, _ => counts.Z };
        var raw = (short)Math.Clamp(MathF.Round(axis), short.MinValue, short.MaxValue);
        return offset % 2 == 0 ? (byte)(raw >> 8) : (byte)raw;
    }

    private bool FifoRunning =>
        !Sleeping && (_registers[UserControl] & UserControlFifoEnable) != 0 && (_registers[FifoEnable] & 0xF8) != 0;

    /// <summary>Sample period in clock ticks from SMPLRT_DIV and CONFIG.DLPF_CFG (RM-MPU-6000A p. 12).</summary>
    private double SamplePeriodTicks()
    {
        var dlpf = _registers[Configuration] & 0x07;
        var gyroscopeOutputHz = dlpf is 0 or 7 ? 8000.0 : 1000.0;
        return _time.TimestampFrequency * (1 + _registers[SampleRateDivider]) / gyroscopeOutputHz;
    }

    /// <summary>After a write: starts the sample grid when the FIFO was just enabled or its rate changed.</summary>
    private void StartOrStopSampling(long now)
    {
        if (!FifoRunning)
        {
            _sampling = false;
            return;
        }

        var period = SamplePeriodTicks();
        if (!_sampling || period != _samplePeriodTicks)
        {
            _sampling = true;
            _samplePeriodTicks = period;
            _gridStartTicks = now;
            _gridIndex = 1; // the first sample one period after the FIFO starts
        }
    }

    /// <summary>Appends every sample due up to <paramref name="now"/>.</summary>
    private void WriteDueSamples(long now)
    {
        if (!_sampling)
        {
            return;
        }

        if (!FifoRunning)
        {
            _sampling = false;
            return;
        }

        var due = (long)Math.Floor((now - _gridStartTicks) / _samplePeriodTicks) - _gridIndex + 1;
        if (due <= 0)
        {
            return;
        }

        // After a long gap only the newest FIFO-full of samples survives; the rest is lost as overflow either way.
        var frame = SampleBytes(_registers[FifoEnable]);
        var keep = (_fifo.Length / frame) + 1;
        if (due > keep)
        {
            var skipped = due - keep;
            FifoBytesLost += skipped * frame;
            FifoSamplesWritten += skipped;
            _registers[InterruptStatus] |= FifoOverflowInterrupt;
            _gridIndex += skipped;
            due = keep;
        }

        for (; due > 0; due--, _gridIndex++)
        {
            WriteSample(_gridStartTicks + (long)Math.Round(_gridIndex * _samplePeriodTicks));
        }
    }

    private static int SampleBytes(byte fifoEnable) =>
        ((fifoEnable & FifoEnableAccelerometer) != 0 ? 6 : 0) + ((fifoEnable & FifoEnableTemperature) != 0 ? 2 : 0)
        + (2 * (((fifoEnable >> 6) & 1) + ((fifoEnable >> 5) & 1) + ((fifoEnable >> 4) & 1)));

    private void WriteSample(long timestamp)
    {
        var enabled = _registers[FifoEnable];
        if ((enabled & FifoEnableAccelerometer) != 0)
        {
            var counts = (AccelerationAtTimestamp?.Invoke(timestamp) ?? AccelerationG) * AccelerometerLsbPerG;
            for (var i = 0; i < 6; i++)
            {
                PushFifo(CountByte(counts, i));
            }
        }

        if ((enabled & FifoEnableTemperature) != 0)
        {
            PushFifo(0);
            PushFifo(0);
        }

        var rate = AngularRateDegreesPerSecond * (float)GyroscopeLsbPerDegreePerSecond;
        for (var axis = 0; axis < 3; axis++)
        {
            if ((enabled & (0x40 >> axis)) != 0)
            {
                PushFifo(CountByte(rate, 2 * axis));
                PushFifo(CountByte(rate, (2 * axis) + 1));
            }
        }

        FifoSamplesWritten++;
    }

    private void PushFifo(byte value)
    {
        if (_fifoCount == _fifo.Length)
        {
            _fifoHead = (_fifoHead + 1) % _fifo.Length; // the oldest byte is lost
            _fifoCount--;
            FifoBytesLost++;
            _registers[InterruptStatus] |= FifoOverflowInterrupt;
        }

        _fifo[(_fifoHead + _fifoCount) % _fifo.Length] = value;
        _fifoCount++;
    }

    private byte PopFifo()
    {
        if (_fifoCount == 0)
        {
            return _lastFifoByte;
        }

        _lastFifoByte = _fifo[_fifoHead];
        _fifoHead = (_fifoHead + 1) % _fifo.Length;
        _fifoCount--;
        return _lastFifoByte;
    }

    private void ClearFifo()
    {
        _fifoHead = 0;
        _fifoCount = 0;
        _latchedCount = 0;
    }

    /// <summary>Stores a raw register value without side effects (e.g. data the I2C master fetched).</summary>
    protected void StoreRegister(byte register, byte value) => _registers[register & 0x7F] = value;

    /// <summary>Every register back to its reset value; subclasses extend it for their own state.</summary>
    protected virtual void ResetRegisters() => ResetMpuRegisters();

    private void ResetMpuRegisters()
    {
        ClearFifo();
        _sampling = false;
        Array.Clear(_registers);
        _registers[PowerManagement1] = 0x40; // reset value: SLEEP (RM-MPU-6000A: PWR_MGMT_1 resets to 0x40)
    }
}

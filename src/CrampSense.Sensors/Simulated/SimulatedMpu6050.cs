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
public class SimulatedMpu6050 : SimulatedRegisterChip
{
    public const byte AccelConfig = 0x1C;
    public const byte GyroConfig = 0x1B;
    public const byte AccelXoutH = 0x3B;
    public const byte GyroXoutH = 0x43;
    public const byte PowerManagement1 = 0x6B;
    public const byte WhoAmIRegister = 0x75;

    private readonly byte[] _registers = new byte[128];

    public SimulatedMpu6050(int busId = 1, int address = 0x68)
        : base(busId, address)
    {
        ResetMpuRegisters();
    }

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

    /// <summary>A register write from the host (the pointer auto-increments between calls).</summary>
    protected override void WriteRegister(byte address, byte value)
    {
        if (address == PowerManagement1 && (value & 0x80) != 0)
        {
            ResetRegisters(); // DEVICE_RESET self-clears (RM-MPU-6000A, PWR_MGMT_1 address 107)
            return;
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

    private byte DataByte(Vector3 counts, int offset)
    {
        if (Sleeping)
        {
            return 0;
        }

        var axis = (offset / 2) switch { 0 => counts.X, 1 => counts.Y, _ => counts.Z };
        var raw = (short)Math.Clamp(MathF.Round(axis), short.MinValue, short.MaxValue);
        return offset % 2 == 0 ? (byte)(raw >> 8) : (byte)raw;
    }

    /// <summary>Stores a raw register value without side effects (e.g. data the I2C master fetched).</summary>
    protected void StoreRegister(byte register, byte value) => _registers[register & 0x7F] = value;

    /// <summary>Every register back to its reset value; subclasses extend it for their own state.</summary>
    protected virtual void ResetRegisters() => ResetMpuRegisters();

    private void ResetMpuRegisters()
    {
        Array.Clear(_registers);
        _registers[PowerManagement1] = 0x40; // reset value: SLEEP (RM-MPU-6000A: PWR_MGMT_1 resets to 0x40)
    }
}

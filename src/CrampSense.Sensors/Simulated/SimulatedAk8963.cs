using System.Numerics;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// An AKM AK8963 3-axis magnetometer (datasheet MS1356-E-02, §8): the die inside an MPU-9250 at I2C address
/// 0x0C. Reached either directly (this class is an I2C device, as on boards that expose it or with the MPU's
/// bypass) or through the MPU-9250's auxiliary I2C master (<see cref="SimulatedMpu9250"/>), which calls
/// <see cref="TryMasterRead"/> and <see cref="TryMasterWrite"/>.
/// </summary>
/// <remarks>
/// Registers (§8.3): WIA 0x00 = 0x48, INFO 0x01, ST1 0x02 (DRDY bit 0), HXL…HZH 0x03–0x08 (little-endian,
/// two's complement), ST2 0x09 (BITM bit 4 mirrors the output width), CNTL1 0x0A (MODE bits 3:0, BIT bit 4),
/// CNTL2 0x0B (SRST bit 0), ASTC 0x0C, ASAX…ASAZ 0x10–0x12 (fuse ROM, readable only in fuse-ROM-access mode
/// 0b1111, else 0). A measurement completes at once when a single (0b0001) or continuous (0b0010, 0b0110)
/// mode is written — the fake does not model the 7.2 ms conversion time; single mode then returns to
/// power-down (§6.4.3). Reading ST2 clears DRDY (§8.3.4).
/// </remarks>
public sealed class SimulatedAk8963 : SimulatedRegisterChip
{
    public const byte WhoAmIRegister = 0x00;
    public const byte Status1 = 0x02;
    public const byte MagneticXLow = 0x03;
    public const byte Status2 = 0x09;
    public const byte Control1 = 0x0A;
    public const byte Control2 = 0x0B;
    public const byte SensitivityAdjustmentX = 0x10;

    private const byte FuseRomAccessMode = 0b1111;
    private readonly byte[] _registers = new byte[0x13];

    public SimulatedAk8963(int busId = 1, int address = 0x0C)
        : base(busId, address)
    {
        Reset();
    }

    /// <summary>Device ID the chip reports (0x48, datasheet §8.3.1).</summary>
    public byte WhoAmI { get; set; } = 0x48;

    /// <summary>Flux density the chip feels, in µT, in its own axes.</summary>
    public Vector3 MagneticFieldMicroTesla { get; set; }

    /// <summary>Fuse-ROM sensitivity adjustment ASAX/ASAY/ASAZ (§8.3.11: adjusted = raw × ((ASA − 128) / 256 + 1)).</summary>
    public (byte X, byte Y, byte Z) SensitivityAdjustment { get; set; } = (128, 128, 128);

    /// <summary>CNTL1 MODE bits (0 power-down, 1 single, 2/6 continuous 8/100 Hz, 0b1111 fuse ROM).</summary>
    public byte Mode => (byte)(_registers[Control1] & 0x0F);

    /// <summary>True when CNTL1.BIT selects 16-bit output (0.15 µT/LSB), false for 14-bit (0.6 µT/LSB).</summary>
    public bool SixteenBitOutput => (_registers[Control1] & 0x10) != 0;

    /// <summary>Raw register value.</summary>
    public byte this[int register] => _registers[register];

    /// <summary>Register read issued by the MPU-9250's I2C master; false when the chip does not acknowledge.</summary>
    internal bool TryMasterRead(byte register, Span<byte> data)
    {
        if (!Present)
        {
            return false;
        }

        for (var i = 0; i < data.Length; i++)
        {
            data[i] = ReadRegister((byte)(register + i));
        }

        return true;
    }

    /// <summary>Register write issued by the MPU-9250's I2C master; false when the chip does not acknowledge.</summary>
    internal bool TryMasterWrite(byte register, byte value)
    {
        if (!Present)
        {
            return false;
        }

        WriteRegister(register, value);
        return true;
    }

    protected override void WriteRegister(byte address, byte value)
    {
        switch (address)
        {
            case Control1:
                _registers[Control1] = value;
                if ((value & 0x0F) is 0b0001 or 0b0010 or 0b0110)
                {
                    Measure();
                }

                break;
            case Control2 when (value & 0x01) != 0:
                Reset(); // SRST self-clears (§8.3.6)
                break;
            case Control2 or 0x0C or 0x0F:
                _registers[address] = value;
                break;
            default:
                break; // read-only or reserved
        }
    }

    protected override byte ReadRegister(byte address)
    {
        switch (address)
        {
            case WhoAmIRegister:
                return WhoAmI;
            case Status2:
                var status2 = _registers[Status2];
                _registers[Status1] &= 0xFE; // reading ST2 ends the data read: DRDY cleared (§8.3.4)
                return status2;
            case >= SensitivityAdjustmentX and <= SensitivityAdjustmentX + 2:
                if (Mode != FuseRomAccessMode)
                {
                    return 0;
                }

                return (address - SensitivityAdjustmentX) switch
                {
                    0 => SensitivityAdjustment.X,
                    1 => SensitivityAdjustment.Y,
                    _ => SensitivityAdjustment.Z,
                };
            case < 0x13:
                return _registers[address];
            default:
                return 0;
        }
    }

    private void Measure()
    {
        // 14-bit: 0.6 µT/LSB, ±8190; 16-bit: 0.15 µT/LSB, ±32760 (§6.4.1). The chip outputs raw counts; the
        // host multiplies by the fuse-ROM adjustment, so the raw value is the field divided by it.
        var (lsbMicroTesla, limit) = SixteenBitOutput ? (0.15f, 32760) : (0.6f, 8190);
        WriteAxis(MagneticXLow, MagneticFieldMicroTesla.X, SensitivityAdjustment.X);
        WriteAxis(MagneticXLow + 2, MagneticFieldMicroTesla.Y, SensitivityAdjustment.Y);
        WriteAxis(MagneticXLow + 4, MagneticFieldMicroTesla.Z, SensitivityAdjustment.Z);
        _registers[Status1] |= 0x01;                            // DRDY
        _registers[Status2] = SixteenBitOutput ? (byte)0x10 : (byte)0; // BITM mirror, no overflow
        if ((_registers[Control1] & 0x0F) == 0b0001)
        {
            _registers[Control1] &= 0xF0;                      // single measurement → power-down
        }

        void WriteAxis(int low, float microTesla, byte asa)
        {
            var adjustment = ((asa - 128) / 256f) + 1;
            var raw = (short)Math.Clamp(MathF.Round(microTesla / lsbMicroTesla / adjustment), -limit, limit);
            _registers[low] = (byte)raw;
            _registers[low + 1] = (byte)(raw >> 8);
        }
    }

    private void Reset()
    {
        Array.Clear(_registers);
    }
}

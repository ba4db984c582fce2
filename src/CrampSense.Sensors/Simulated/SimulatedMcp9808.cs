namespace CrampSense.Sensors.Simulated;

/// <summary>
/// A Microchip MCP9808 at the I2C wire (DS25095): a register pointer (written as the first byte), 16-bit
/// registers sent MSB first. 0x01 CONFIG, 0x05 T_A, 0x06 manufacturer id 0x0054, 0x07 device id/revision
/// 0x0400, 0x08 resolution (8-bit).
/// </summary>
public sealed class SimulatedMcp9808 : SimulatedI2cChip
{
    public const byte ConfigRegister = 0x01;
    public const byte AmbientTemperatureRegister = 0x05;
    public const byte ManufacturerIdRegister = 0x06;
    public const byte DeviceIdRegister = 0x07;
    public const byte ResolutionRegister = 0x08;

    private readonly ushort[] _registers = new ushort[9];
    private byte _pointer;

    public SimulatedMcp9808(int busId = 1, int address = 0x18)
        : base(busId, address)
    {
        _registers[ManufacturerIdRegister] = 0x0054;
        _registers[DeviceIdRegister] = 0x0400;
        _registers[ResolutionRegister] = 0x03; // power-on value 0x03 = 0.0625 °C (DS25095, resolution register, address 0x08)
        AmbientCelsius = 25;
    }

    /// <summary>Raw 16-bit register (e.g. T_A with alert flags in bits 15–13).</summary>
    public ushort this[int register]
    {
        get => _registers[register];
        set => _registers[register] = value;
    }

    /// <summary>Temperature, stored as the DS25095 ambient temperature register T_A (0x05) encodes it: 13-bit two's complement in 0.0625 °C, sign in bit 12.</summary>
    public double AmbientCelsius
    {
        set => _registers[AmbientTemperatureRegister] = Encode(value);
    }

    /// <summary>T_A word for a temperature (flag bits clear).</summary>
    public static ushort Encode(double celsius) => (ushort)((int)Math.Round(celsius * 16) & 0x1FFF);

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = (byte)(buffer[0] & 0x0F);
        if (buffer.Length >= 3 && _pointer is ConfigRegister)
        {
            _registers[_pointer] = (ushort)((buffer[1] << 8) | buffer[2]);
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        var value = _pointer < _registers.Length ? _registers[_pointer] : (ushort)0;
        if (_pointer == ResolutionRegister || buffer.Length == 1)
        {
            buffer[0] = (byte)(_pointer == ResolutionRegister ? value : value >> 8);
            return;
        }

        buffer[0] = (byte)(value >> 8);
        buffer[1] = (byte)value;
    }
}

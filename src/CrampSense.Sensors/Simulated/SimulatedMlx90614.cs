using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// A Melexis MLX90614 at the SMBus wire: "read word" of RAM 0x06 (Ta) and 0x07 (Tobj1) returns
/// LSB, MSB, PEC (datasheet, "SMBus communication"), the words in 0.02 K per LSB.
/// </summary>
public sealed class SimulatedMlx90614 : SimulatedI2cChip
{
    private readonly ushort[] _ram = new ushort[0x20];
    private byte _command;

    public SimulatedMlx90614(int busId = 1, int address = Mlx90614Thermometer.DefaultI2cAddress)
        : base(busId, address)
    {
        AmbientCelsius = 25;
        ObjectCelsius = 33;
    }

    /// <summary>Skin temperature seen by the sensor; stored as the nearest 0.02 K word.</summary>
    public double ObjectCelsius
    {
        get => (_ram[0x07] * 0.02) - 273.15;
        set => _ram[0x07] = ToWord(value);
    }

    public double AmbientCelsius
    {
        get => (_ram[0x06] * 0.02) - 273.15;
        set => _ram[0x06] = ToWord(value);
    }

    /// <summary>Raw RAM word at <paramref name="address"/> (to set error flags or exact values).</summary>
    public ushort this[int address]
    {
        get => _ram[address];
        set => _ram[address] = value;
    }

    /// <summary>When true the PEC byte is wrong (a bit flipped on the wire).</summary>
    public bool CorruptPec { get; set; }

    /// <summary>Word for a temperature: T[K] / 0.02 (datasheet, "Temperature reading").</summary>
    public static ushort ToWord(double celsius) => (ushort)Math.Round((celsius + 273.15) / 0.02);

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > 0)
        {
            _command = buffer[0];
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        var word = _ram[_command & 0x1F];
        Span<byte> frame = [(byte)(ConnectionSettings.DeviceAddress << 1), _command, (byte)((ConnectionSettings.DeviceAddress << 1) | 1), (byte)word, (byte)(word >> 8), 0];
        frame[5] = SmbusPec.Compute(frame[..5]);
        if (CorruptPec)
        {
            frame[5] ^= 0x01;
        }

        frame.Slice(3, Math.Min(3, buffer.Length)).CopyTo(buffer);
    }
}

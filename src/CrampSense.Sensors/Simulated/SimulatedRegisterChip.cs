namespace CrampSense.Sensors.Simulated;

/// <summary>
/// A simulated I2C chip with a register map behind an auto-incrementing register pointer: a write sets the
/// pointer with its first byte and stores the rest from there on; a read returns registers from the pointer on.
/// The MPU-6050/9250 (PS-MPU-6000A §9.3) and the AK8963 both work this way.
/// </summary>
public abstract class SimulatedRegisterChip : SimulatedI2cChip
{
    private byte _pointer;

    protected SimulatedRegisterChip(int busId, int address)
        : base(busId, address)
    {
    }

    /// <summary>Stores one register the host wrote.</summary>
    protected abstract void WriteRegister(byte address, byte value);

    /// <summary>The value of one register the host reads.</summary>
    protected abstract byte ReadRegister(byte address);

    /// <summary>
    /// Whether the pointer moves on after an access to <paramref name="address"/>; false for a FIFO port, which a
    /// burst reads again and again (MPU-6050 FIFO_R_W, RM-MPU-6000A p. 44).
    /// </summary>
    protected virtual bool AdvancesPointer(byte address) => true;

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = buffer[0];
        for (var i = 1; i < buffer.Length; i++)
        {
            WriteRegister(_pointer, buffer[i]);
            Advance();
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = ReadRegister(_pointer);
            Advance();
        }
    }

    private void Advance()
    {
        if (AdvancesPointer(_pointer))
        {
            _pointer++;
        }
    }
}

using System.Device.I2c;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// Base of the simulated I2C chips: presence and fault injection at the bus, the protocol in subclasses.
/// A missing chip behaves as Linux i2c-dev reports a NACKed address: an <see cref="IOException"/>.
/// </summary>
public abstract class SimulatedI2cChip : I2cDevice
{
    protected SimulatedI2cChip(int busId, int address)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>False to simulate an unplugged or unpowered chip (every transfer is NACKed).</summary>
    public bool Present { get; set; } = true;

    /// <summary>The next N transfers throw (a glitch on the bus), then the chip answers again.</summary>
    public int FailNextTransfers { get; set; }

    /// <summary>Transfers attempted, including failed ones.</summary>
    public int Transfers { get; private set; }

    public bool IsDisposed { get; private set; }

    public override void Read(Span<byte> buffer)
    {
        Check();
        OnRead(buffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        OnWrite(buffer);
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Check();
        OnWrite(writeBuffer);
        OnRead(readBuffer);
    }

    /// <summary>Bytes the host wrote in one transfer (the first is usually a register pointer or command).</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> buffer);

    /// <summary>Bytes the chip returns for a read transfer.</summary>
    protected abstract void OnRead(Span<byte> buffer);

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private void Check()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Transfers++;
        if (!Present)
        {
            throw new IOException($"Error 121 performing I2C data transfer: no ACK from 0x{ConnectionSettings.DeviceAddress:X2} (Remote I/O error).");
        }

        if (FailNextTransfers > 0)
        {
            FailNextTransfers--;
            throw new IOException("Error 5 performing I2C data transfer (Input/output error).");
        }
    }
}

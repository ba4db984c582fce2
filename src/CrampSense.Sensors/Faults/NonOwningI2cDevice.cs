using System.Device.I2c;

namespace CrampSense.Sensors.Faults;

/// <summary>
/// Hands an <see cref="I2cDevice"/> to a dotnet/iot binding without giving it ownership: the bindings dispose
/// the device they were given, but after a fault we throw the binding away and build a fresh one (re-running
/// its reset and identity check) on the same device. Dispose does nothing; the owner disposes the real device.
/// </summary>
internal sealed class NonOwningI2cDevice(I2cDevice inner) : I2cDevice
{
    public override I2cConnectionSettings ConnectionSettings => inner.ConnectionSettings;

    public override byte ReadByte() => inner.ReadByte();

    public override void Read(Span<byte> buffer) => inner.Read(buffer);

    public override void WriteByte(byte value) => inner.WriteByte(value);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => inner.WriteRead(writeBuffer, readBuffer);

    protected override void Dispose(bool disposing)
    {
        // `inner` is not disposed here: its owner disposes it. I2cDevice itself holds nothing.
        base.Dispose(disposing);
    }
}

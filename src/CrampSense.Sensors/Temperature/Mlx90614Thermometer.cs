using System.Buffers.Binary;
using System.Device.I2c;
using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;

namespace CrampSense.Sensors.Temperature;

/// <summary>
/// Skin (object) temperature from a Melexis MLX90614 infrared thermometer over SMBus/I2C.
/// </summary>
/// <remarks>
/// Why not Iot.Device.Mlx90614.Mlx90614.ReadObjectTemperature(): in 4.2.0 it reads two bytes and ignores the
/// PEC byte that follows, so a corrupted read on a long cable to the leg goes unnoticed, and it does not look at
/// the error flag. We do the same SMBus "read word" ourselves with the PEC (MLX90614 datasheet, "SMBus
/// communication": read word = S SA_W Cmd Sr SA_R LSB MSB PEC P; PEC = CRC-8, polynomial x^8+x^2+x+1, over
/// every byte from the first address byte on).
/// Ownership: owns <c>i2cDevice</c> and disposes it.
/// </remarks>
public sealed class Mlx90614Thermometer : ISkinThermometer
{
    /// <summary>Default SMBus address (datasheet, "SMBus communication": factory default 0x5A).</summary>
    public const byte DefaultI2cAddress = 0x5A;

    /// <summary>RAM address of T_OBJ1 (datasheet, "RAM" table: 0x07 Tobj1; 0x06 is Ta).</summary>
    public const byte ObjectTemperature1Register = 0x07;

    /// <summary>RAM address of the die (ambient) temperature Ta.</summary>
    public const byte AmbientTemperatureRegister = 0x06;

    /// <summary>Resolution of the temperature RAM words: 0.02 K per LSB (datasheet, "Temperature reading").</summary>
    public const double KelvinPerLsb = 0.02;

    private readonly I2cDevice _i2cDevice;
    private bool _disposed;

    public Mlx90614Thermometer(I2cDevice i2cDevice, string? bus = null)
    {
        _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
        Bus = bus ?? $"i2c{i2cDevice.ConnectionSettings.BusId}@0x{i2cDevice.ConnectionSettings.DeviceAddress:X2}";
    }

    public string Chip => "MLX90614";

    public string Bus { get; }

    /// <summary>Object temperature (T_OBJ1): the skin under the lens.</summary>
    public bool TryReadCelsius(double timeSeconds, out float celsius, [NotNullWhen(false)] out SensorFault? fault) =>
        TryReadRegister(ObjectTemperature1Register, timeSeconds, out celsius, out fault);

    /// <summary>Reads a temperature RAM word (0x06 Ta, 0x07 Tobj1) with PEC check.</summary>
    public bool TryReadRegister(byte register, double timeSeconds, out float celsius, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        celsius = float.NaN;
        Span<byte> command = [register];
        Span<byte> response = stackalloc byte[3];
        try
        {
            _i2cDevice.WriteRead(command, response);
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            fault = new SensorFault(Chip, Bus, -1, null, BusExceptions.Classify(e), e.Message, timeSeconds);
            return false;
        }

        var address = (byte)_i2cDevice.ConnectionSettings.DeviceAddress;
        var expectedPec = SmbusPec.Compute([(byte)(address << 1), register, (byte)((address << 1) | 1), response[0], response[1]]);
        if (expectedPec != response[2])
        {
            fault = new SensorFault(Chip, Bus, -1, null, SensorFaultKind.ChecksumError,
                $"PEC 0x{response[2]:X2} does not match 0x{expectedPec:X2} for register 0x{register:X2}.", timeSeconds);
            return false;
        }

        var raw = BinaryPrimitives.ReadUInt16LittleEndian(response);
        if ((raw & 0x8000) != 0)
        {
            // Bit 15 of a temperature word is the error flag (datasheet, "Temperature reading").
            fault = new SensorFault(Chip, Bus, -1, null, SensorFaultKind.NoData, $"Error flag set in 0x{raw:X4}.", timeSeconds);
            return false;
        }

        celsius = (float)((raw * KelvinPerLsb) - 273.15);
        fault = null;
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _i2cDevice.Dispose();
        _disposed = true;
    }
}

/// <summary>SMBus packet error code: CRC-8 with polynomial x^8+x^2+x+1 (0x07), initial value 0 (System Management Bus specification 2.0, "Packet Error Checking").</summary>
/// <remarks>Written here rather than taken from a package because it is eight lines and no binding exposes it.</remarks>
public static class SmbusPec
{
    public static byte Compute(ReadOnlySpan<byte> bytes)
    {
        byte crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x07) : (byte)(crc << 1);
            }
        }

        return crc;
    }
}

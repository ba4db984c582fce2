using System.Device.I2c;
using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;

namespace CrampSense.Sensors.Temperature;

/// <summary>
/// Skin temperature from a Microchip MCP9808 digital sensor (±0.25 °C typ., 0.0625 °C resolution) over I2C,
/// through the <see cref="Iot.Device.Mcp9808.Mcp9808"/> binding.
/// </summary>
/// <remarks>
/// The binding is created on the first read and again after every fault: its constructor checks the
/// manufacturer id 0x0054 and device id 0x04 (DS25095, registers 0x06/0x07), which is how a missing or
/// different chip is found. Ownership: owns <c>i2cDevice</c> and disposes it; the binding only borrows it.
/// </remarks>
public sealed class Mcp9808Thermometer : ISkinThermometer
{
    /// <summary>Address with A2..A0 tied low (DS25095, slave address 0011 A2 A1 A0).</summary>
    public const byte DefaultI2cAddress = 0x18;

    private readonly I2cDevice _i2cDevice;
    private Iot.Device.Mcp9808.Mcp9808? _binding;
    private bool _disposed;

    public Mcp9808Thermometer(I2cDevice i2cDevice, string? bus = null)
    {
        _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
        Bus = bus ?? $"i2c{i2cDevice.ConnectionSettings.BusId}@0x{i2cDevice.ConnectionSettings.DeviceAddress:X2}";
    }

    public string Chip => "MCP9808";

    public string Bus { get; }

    public bool TryReadCelsius(double timeSeconds, out float celsius, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        celsius = float.NaN;
        double value;
        try
        {
            _binding ??= new Iot.Device.Mcp9808.Mcp9808(new NonOwningI2cDevice(_i2cDevice));
            value = _binding.Temperature.DegreesCelsius;
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            _binding = null;
            fault = new SensorFault(Chip, Bus, -1, null, BusExceptions.Classify(e), e.Message, timeSeconds);
            return false;
        }

        if (double.IsNaN(value))
        {
            // Some binding versions return NaN for a 0xFFFF word (no conversion ready); never pass NaN on.
            fault = new SensorFault(Chip, Bus, -1, null, SensorFaultKind.NoData, "No conversion ready (0xFFFF).", timeSeconds);
            return false;
        }

        celsius = (float)value;
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

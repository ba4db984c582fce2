using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;
using Iot.Device.OneWire;

namespace CrampSense.Sensors.Temperature;

/// <summary>
/// Skin temperature from a Maxim DS18B20 on the Linux 1-Wire bus (w1-gpio overlay) through
/// <see cref="OneWireThermometerDevice"/>. A read starts a 12-bit conversion and takes up to 750 ms
/// (DS18B20 datasheet, tCONV) — about 1 s through sysfs — so it must only ever be called from the
/// temperature worker, never from the EMG sampling thread.
/// </summary>
/// <remarks>The kernel checks the scratchpad CRC; a bad CRC surfaces as an exception and is reported as a fault.
/// The OneWireThermometerDevice holds no OS handle, so there is nothing to dispose.</remarks>
public sealed class Ds18b20Thermometer : ISkinThermometer
{
    private readonly Func<double> _readCelsius;

    /// <param name="busId">1-Wire bus, e.g. <c>w1_bus_master1</c>.</param>
    /// <param name="deviceId">Device id under /sys/bus/w1/devices, e.g. <c>28-0316a2791aff</c>.</param>
    public Ds18b20Thermometer(string busId, string deviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(busId);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        var device = new OneWireThermometerDevice(busId, deviceId);
        _readCelsius = () => device.ReadTemperature().DegreesCelsius;
        Bus = $"w1:{deviceId}";
    }

    /// <summary>For tests: a reader standing in for the sysfs file the binding reads.</summary>
    internal Ds18b20Thermometer(string bus, Func<double> readCelsius)
    {
        _readCelsius = readCelsius;
        Bus = bus;
    }

    public string Chip => "DS18B20";

    public string Bus { get; }

    public bool TryReadCelsius(double timeSeconds, out float celsius, [NotNullWhen(false)] out SensorFault? fault)
    {
        celsius = float.NaN;
        double value;
        try
        {
            value = _readCelsius();
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e))
        {
            var kind = e.Message.Contains("CRC", StringComparison.OrdinalIgnoreCase) ? SensorFaultKind.ChecksumError : BusExceptions.Classify(e);
            fault = new SensorFault(Chip, Bus, -1, null, kind, e.Message, timeSeconds);
            return false;
        }

        // 85 °C is the power-on reset value of the temperature register (DS18B20 datasheet, "Operation —
        // measuring temperature"): seen on skin it means the conversion never ran.
        if (!double.IsFinite(value) || value == 85.0)
        {
            fault = new SensorFault(Chip, Bus, -1, null, SensorFaultKind.NoData, $"Implausible reading {value} °C (power-on value).", timeSeconds);
            return false;
        }

        celsius = (float)value;
        fault = null;
        return true;
    }

    public void Dispose()
    {
    }
}

using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;

namespace CrampSense.Sensors.Temperature;

/// <summary>A skin-temperature chip read about once a second, off the EMG sampling thread.</summary>
public interface ISkinThermometer : IDisposable
{
    /// <summary>Chip name for reports, e.g. MLX90614.</summary>
    string Chip { get; }

    /// <summary>Bus address for reports, e.g. i2c1@0x5A.</summary>
    string Bus { get; }

    /// <summary>Reads the temperature once; on failure nothing is made up and the fault says why.</summary>
    bool TryReadCelsius(double timeSeconds, out float celsius, [NotNullWhen(false)] out SensorFault? fault);
}

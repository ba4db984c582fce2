namespace CrampSense.Wearable;

/// <summary>One site's summary over one telemetry period; <see cref="ContractMapping.ToTelemetryMessage"/> gives its contract form.</summary>
/// <param name="Site">The muscle site.</param>
/// <param name="EnvelopeMicrovolts">Mean EMG envelope, µV (2 decimals).</param>
/// <param name="PercentOfMax">The envelope in % of the calibrated maximum; null without a profile.</param>
/// <param name="Class">The most likely activity class over the period, in the contract's vocabulary (<c>TelemetryClasses</c>).</param>
/// <param name="CrampActive">A cramp was running on the site when the period closed.</param>
/// <param name="SkinTemperatureCelsius">The newest skin temperature, if measured.</param>
/// <param name="HumMicrovolts">Mean RMS of the mains hum removed, µV.</param>
public sealed record SiteTelemetry(
    string Site,
    double EnvelopeMicrovolts,
    double? PercentOfMax,
    string Class,
    bool CrampActive,
    double? SkinTemperatureCelsius,
    double? HumMicrovolts);

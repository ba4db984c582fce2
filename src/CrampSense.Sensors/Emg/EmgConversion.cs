using CrampSense.Signals.Features;

namespace CrampSense.Sensors.Emg;

/// <summary>
/// ADC counts → millivolts at the electrodes for a successive-approximation ADC with an external reference.
/// MCP3008 (DS21295, §4.0 Equation 4-1): code = 1024 · V_IN / V_REF; MCP3208 (DS21298, §4.0 Equation 4-1):
/// code = 4096 · V_IN / V_REF. Hence V_IN = code · V_REF / 2^bits, and at the electrodes
/// (V_IN − V_offset) / gain.
/// </summary>
public readonly struct EmgConversion
{
    private readonly float _millivoltsPerCount;
    private readonly float _offsetMillivolts;

    public EmgConversion(int resolutionBits, double referenceVolts, double gain, double offsetVolts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resolutionBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resolutionBits, 24);
        if (!double.IsFinite(referenceVolts) || referenceVolts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceVolts), referenceVolts, "The reference voltage must be positive.");
        }

        if (!double.IsFinite(gain) || gain <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "Gain must be positive.");
        }

        ResolutionBits = resolutionBits;
        FullScaleCount = (1 << resolutionBits) - 1;
        var voltsPerCount = referenceVolts / (1 << resolutionBits);
        _millivoltsPerCount = (float)(voltsPerCount / gain * 1000.0);
        _offsetMillivolts = (float)(offsetVolts / gain * 1000.0);
    }

    public int ResolutionBits { get; }

    /// <summary>The highest code the ADC returns (1023 for 10 bits, 4095 for 12 bits).</summary>
    public int FullScaleCount { get; }

    /// <summary>Size of one ADC step at the electrodes, in millivolts (the quantisation of every value).</summary>
    public float MillivoltsPerCount => _millivoltsPerCount;

    /// <summary>
    /// The input range at the electrodes: the values of code 0 and of the highest code (MCP3008, 3.3 V, mid-scale
    /// bias, gain 200: −8.25 … +8.234 mV). The quality monitor counts samples near either end as clipped.
    /// </summary>
    public FullScaleRange FullScale => new(ToMillivolts(0), ToMillivolts(FullScaleCount));

    /// <summary>Millivolts at the electrodes for an ADC code.</summary>
    public float ToMillivolts(int count) => (count * _millivoltsPerCount) - _offsetMillivolts;
}

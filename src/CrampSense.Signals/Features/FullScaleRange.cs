using System.Globalization;

namespace CrampSense.Signals.Features;

/// <summary>
/// The input range of one EMG channel at the electrodes, mV: the values the ADC gives for its lowest and highest
/// code. A sample at (or within a step or two of) either end is clipped. For the documented front end (MCP3008,
/// V_REF 3.3 V, mid-scale bias, gain 200) it is −8.25 … +8.234 mV.
/// </summary>
public readonly record struct FullScaleRange
{
    /// <summary>Creates a range from <paramref name="lowMillivolts"/> to <paramref name="highMillivolts"/>; low must lie below high.</summary>
    public FullScaleRange(double lowMillivolts, double highMillivolts)
    {
        if (!double.IsFinite(lowMillivolts) || !double.IsFinite(highMillivolts) || !(highMillivolts > lowMillivolts))
        {
            throw new ArgumentOutOfRangeException(nameof(highMillivolts), $"A full-scale range needs finite ends with low below high (was {lowMillivolts.ToString(CultureInfo.InvariantCulture)} … {highMillivolts.ToString(CultureInfo.InvariantCulture)} mV).");
        }

        LowMillivolts = lowMillivolts;
        HighMillivolts = highMillivolts;
    }

    /// <summary>Value of the lowest ADC code, mV.</summary>
    public double LowMillivolts { get; }

    /// <summary>Value of the highest ADC code, mV.</summary>
    public double HighMillivolts { get; }

    /// <summary>Half the span, mV (8.24 for ±8.25 mV).</summary>
    public double HalfSpanMillivolts => (HighMillivolts - LowMillivolts) / 2;

    /// <summary>±<paramref name="fullScaleMillivolts"/> (a positive number of millivolts).</summary>
    public static FullScaleRange Symmetric(double fullScaleMillivolts)
    {
        if (!double.IsFinite(fullScaleMillivolts) || fullScaleMillivolts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fullScaleMillivolts), fullScaleMillivolts, "The full scale must be a positive, finite number of millivolts.");
        }

        return new FullScaleRange(-fullScaleMillivolts, fullScaleMillivolts);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LowMillivolts:0.####} … {HighMillivolts:0.####} mV");
}

using NWaves.Filters.Base;
using NWaves.Filters.Butterworth;
using NWaves.Filters.Fda;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// Butterworth designs in hertz, turned into second-order sections. The design itself is NWaves'
/// (<see cref="PrototypeButterworth"/> poles, bilinear transform in <see cref="DesignFilter"/>, pole/zero
/// pairing in <see cref="DesignFilter.TfToSos"/>); this class only converts hertz to NWaves' normalised
/// frequency (f / fs) in one place.
/// </summary>
public static class ButterworthDesign
{
    /// <summary>
    /// Band-pass of prototype order <paramref name="order"/> (2·order poles, <paramref name="order"/> sections,
    /// like scipy's <c>butter(order, [low, high], 'bandpass', output='sos')</c>).
    /// </summary>
    public static SecondOrderSection[] BandPass(double sampleRateHz, double lowCutoffHz, double highCutoffHz, int order)
    {
        CheckEdge(sampleRateHz, lowCutoffHz, nameof(lowCutoffHz));
        CheckEdge(sampleRateHz, highCutoffHz, nameof(highCutoffHz));
        if (lowCutoffHz >= highCutoffHz)
        {
            throw new ArgumentOutOfRangeException(nameof(highCutoffHz), highCutoffHz, $"The upper edge must lie above the lower edge ({lowCutoffHz} Hz).");
        }

        CheckOrder(order);
        var tf = DesignFilter.IirBpTf(lowCutoffHz / sampleRateHz, highCutoffHz / sampleRateHz, PrototypeButterworth.Poles(order));
        return ToSections(tf);
    }

    /// <summary>High-pass of order <paramref name="order"/>.</summary>
    public static SecondOrderSection[] HighPass(double sampleRateHz, double cutoffHz, int order)
    {
        CheckEdge(sampleRateHz, cutoffHz, nameof(cutoffHz));
        CheckOrder(order);
        return ToSections(DesignFilter.IirHpTf(cutoffHz / sampleRateHz, PrototypeButterworth.Poles(order)));
    }

    /// <summary>Low-pass of order <paramref name="order"/>.</summary>
    public static SecondOrderSection[] LowPass(double sampleRateHz, double cutoffHz, int order)
    {
        CheckEdge(sampleRateHz, cutoffHz, nameof(cutoffHz));
        CheckOrder(order);
        return ToSections(DesignFilter.IirLpTf(cutoffHz / sampleRateHz, PrototypeButterworth.Poles(order)));
    }

    internal static SecondOrderSection[] ToSections(TransferFunction tf)
    {
        var sos = DesignFilter.TfToSos(tf);
        var sections = new SecondOrderSection[sos.Length];
        for (int i = 0; i < sos.Length; i++)
        {
            sections[i] = SecondOrderSection.FromCoefficients(sos[i].Numerator, sos[i].Denominator);
        }

        return sections;
    }

    private static void CheckEdge(double sampleRateHz, double edgeHz, string name)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!double.IsFinite(edgeHz) || edgeHz <= 0 || edgeHz >= sampleRateHz / 2)
        {
            throw new ArgumentOutOfRangeException(name, edgeHz, $"A cut-off must lie between 0 and the Nyquist frequency ({sampleRateHz / 2} Hz).");
        }
    }

    private static void CheckOrder(int order)
    {
        if (order is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "The Butterworth order must be between 1 and 10.");
        }
    }
}

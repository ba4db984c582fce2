using NWaves.Filters.Fda;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// Second-order IIR notch at the mains frequency (50 or 60 Hz), designed by NWaves'
/// <see cref="DesignFilter.IirNotch"/> (the same design as scipy's <c>iirnotch</c>). Off by default in the
/// pipeline: SENIAM/ISEK advise against notch filtering surface EMG because the notch also removes EMG power
/// at the mains frequency, in the middle of the EMG spectrum.
/// </summary>
public sealed class PowerLineNotch : IStreamingFilter
{
    private readonly BiquadCascade _cascade;

    /// <summary>Designs the notch.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="notchHz">Centre frequency, usually 50 or 60 Hz.</param>
    /// <param name="qualityFactor">Centre frequency over -3 dB bandwidth; 30 gives a 1.7 Hz wide notch at 50 Hz.</param>
    public PowerLineNotch(double sampleRateHz, double notchHz = 50, double qualityFactor = 30)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!double.IsFinite(notchHz) || notchHz <= 0 || notchHz >= sampleRateHz / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(notchHz), notchHz, $"The notch frequency must lie between 0 and the Nyquist frequency ({sampleRateHz / 2} Hz).");
        }

        if (!double.IsFinite(qualityFactor) || qualityFactor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityFactor), qualityFactor, "The quality factor must be positive.");
        }

        NotchHz = notchHz;
        QualityFactor = qualityFactor;
        _cascade = new BiquadCascade(ButterworthDesign.ToSections(DesignFilter.IirNotch(notchHz / sampleRateHz, qualityFactor)), sampleRateHz);
    }

    public double NotchHz { get; }

    public double QualityFactor { get; }

    /// <summary>The designed section.</summary>
    public SecondOrderSection Section => _cascade.Sections[0];

    /// <inheritdoc/>
    public float Process(float sample) => (float)_cascade.ProcessDouble(sample);

    /// <summary>Filters one sample in double precision.</summary>
    public double ProcessDouble(double sample) => _cascade.ProcessDouble(sample);

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => _cascade.Process(input, output);

    /// <inheritdoc/>
    public void Reset() => _cascade.Reset();

    /// <summary>Analytic magnitude response |H(f)| of the design.</summary>
    public double Magnitude(double frequencyHz) => _cascade.Magnitude(frequencyHz);
}

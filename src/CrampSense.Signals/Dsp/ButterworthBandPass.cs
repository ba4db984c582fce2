namespace CrampSense.Signals.Dsp;

/// <summary>
/// The causal EMG band-pass: a Butterworth band-pass (default 20–450 Hz, prototype order 4, i.e. four
/// second-order sections) whose upper edge is clamped to 0.45·fs for lower sample rates.
/// </summary>
/// <remarks>
/// Degradation at low sample rates: the upper edge becomes min(high, 0.45·fs). When that leaves a band
/// narrower than 1.5 : 1 (below about fs = 67 Hz with the defaults), a band-pass makes no sense any more and
/// the filter becomes a high-pass of the same order at min(low, 0.25·fs), which still removes motion artifact
/// and baseline wander. At fs = 100 Hz the defaults give a 20–45 Hz band-pass. See docs/signal-pipeline.md.
/// </remarks>
public sealed class ButterworthBandPass : IStreamingFilter
{
    /// <summary>Upper edge limit as a fraction of the sample rate, leaving room below Nyquist for the roll-off.</summary>
    public const double MaxUpperEdgeFraction = 0.45;

    /// <summary>Narrowest band (upper/lower edge ratio) still designed as a band-pass.</summary>
    public const double MinBandRatio = 1.5;

    private readonly BiquadCascade _cascade;

    /// <summary>Designs the filter.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="lowCutoffHz">Lower -3 dB edge; SENIAM recommends a 10–20 Hz high-pass for surface EMG.</param>
    /// <param name="highCutoffHz">Upper -3 dB edge before clamping to 0.45·fs.</param>
    /// <param name="order">Prototype order (number of second-order sections of the band-pass).</param>
    public ButterworthBandPass(double sampleRateHz, double lowCutoffHz = 20, double highCutoffHz = 450, int order = 4)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!double.IsFinite(lowCutoffHz) || lowCutoffHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lowCutoffHz), lowCutoffHz, "The lower edge must be a positive number of hertz.");
        }

        if (!double.IsFinite(highCutoffHz) || highCutoffHz <= lowCutoffHz)
        {
            throw new ArgumentOutOfRangeException(nameof(highCutoffHz), highCutoffHz, $"The upper edge must lie above the lower edge ({lowCutoffHz} Hz).");
        }

        SampleRateHz = sampleRateHz;
        double upper = Math.Min(highCutoffHz, MaxUpperEdgeFraction * sampleRateHz);
        if (upper >= MinBandRatio * lowCutoffHz)
        {
            IsBandPass = true;
            LowCutoffHz = lowCutoffHz;
            HighCutoffHz = upper;
            _cascade = new BiquadCascade(ButterworthDesign.BandPass(sampleRateHz, lowCutoffHz, upper, order), sampleRateHz);
        }
        else
        {
            IsBandPass = false;
            LowCutoffHz = Math.Min(lowCutoffHz, 0.25 * sampleRateHz);
            HighCutoffHz = sampleRateHz / 2;
            _cascade = new BiquadCascade(ButterworthDesign.HighPass(sampleRateHz, LowCutoffHz, order), sampleRateHz);
        }
    }

    public double SampleRateHz { get; }

    /// <summary>Lower edge actually used, in Hz.</summary>
    public double LowCutoffHz { get; }

    /// <summary>Upper edge actually used, in Hz (fs/2 when the filter degraded to a high-pass).</summary>
    public double HighCutoffHz { get; }

    /// <summary>False when the sample rate was too low for a band-pass and a high-pass is used instead.</summary>
    public bool IsBandPass { get; }

    /// <summary>The designed sections.</summary>
    public IReadOnlyList<SecondOrderSection> Sections => _cascade.Sections;

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

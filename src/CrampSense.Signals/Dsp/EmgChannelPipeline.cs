namespace CrampSense.Signals.Dsp;

/// <summary>
/// What a plotter needs from one EMG channel: the conditioned signal (<see cref="EmgChannelFilter"/>) and its
/// linear envelope, sample by sample or in blocks.
/// </summary>
/// <example>
/// <code>
/// var channel = new EmgChannelPipeline(1000);
/// channel.Process(rawMillivolts, filtered, envelope);   // spans of equal length
/// </code>
/// </example>
public sealed class EmgChannelPipeline
{
    private readonly EmgChannelFilter _filter;
    private readonly LinearEnvelope _envelope;

    public EmgChannelPipeline(double sampleRateHz, EmgFilterOptions? options = null)
    {
        options ??= EmgFilterOptions.Default;
        _filter = new EmgChannelFilter(sampleRateHz, options);
        _envelope = new LinearEnvelope(sampleRateHz, options.EnvelopeCutoffHz);
    }

    /// <summary>The conditioning filter (DC removal, band-pass, mains-interference canceller, optional notch).</summary>
    public EmgChannelFilter Filter => _filter;

    /// <summary>Processes one raw sample; returns the linear envelope and gives the filtered sample.</summary>
    public float Process(float raw, out float filtered)
    {
        double y = _filter.ProcessDouble(raw);
        filtered = (float)y;
        return (float)_envelope.ProcessDouble(y);
    }

    /// <summary>Processes a block of raw samples into the filtered signal and its envelope.</summary>
    public void Process(ReadOnlySpan<float> raw, Span<float> filtered, Span<float> envelope)
    {
        if (filtered.Length < raw.Length || envelope.Length < raw.Length)
        {
            throw new ArgumentException($"Outputs hold {filtered.Length} and {envelope.Length} samples, input {raw.Length}.");
        }

        for (int n = 0; n < raw.Length; n++)
        {
            double y = _filter.ProcessDouble(raw[n]);
            filtered[n] = (float)y;
            envelope[n] = (float)_envelope.ProcessDouble(y);
        }
    }

    /// <summary>Returns both stages to their initial state.</summary>
    public void Reset()
    {
        _filter.Reset();
        _envelope.Reset();
    }
}

namespace CrampSense.Signals.Dsp;

/// <summary>
/// Per-channel conditioning of raw EMG, all causal: DC removal → Butterworth band-pass → mains-interference
/// canceller → optional fixed mains notch. A non-finite input sample (NaN, ±∞) is replaced by the last finite
/// input so one bad ADC read cannot poison the IIR state for good; the caller flags it (see the feature
/// extractor's quality flags).
/// </summary>
/// <remarks>
/// The canceller sits after the band-pass: its input is then free of DC, electrode drift and motion artefacts
/// (below 20 Hz), which would otherwise leak into its 10 Hz-wide detection baseband and jitter its weights, and
/// free of anything above the pass band. The band-pass passes the hum harmonics it removes (50–250 Hz) with
/// their amplitude nearly unchanged, and the hum stays a sum of sinusoids after any linear filter.
/// </remarks>
public sealed class EmgChannelFilter : IStreamingFilter
{
    private readonly DcBlocker _dc;
    private readonly ButterworthBandPass _bandPass;
    private readonly MainsInterferenceCanceller? _mains;
    private readonly PowerLineNotch? _notch;
    private float _lastFinite;

    public EmgChannelFilter(double sampleRateHz, EmgFilterOptions? options = null)
    {
        options ??= EmgFilterOptions.Default;
        options.ThrowIfInvalid(sampleRateHz);
        SampleRateHz = sampleRateHz;
        _dc = new DcBlocker(sampleRateHz, options.DcRemovalHz);
        _bandPass = new ButterworthBandPass(sampleRateHz, options.HighPassHz, options.LowPassHz, options.ButterworthOrder);
        _mains = options.Mains == MainsFrequency.Off ? null : new MainsInterferenceCanceller(sampleRateHz, options.Mains, options.MainsTimeConstantSeconds);
        _notch = options.NotchHz is double notch ? new PowerLineNotch(sampleRateHz, notch, options.NotchQualityFactor) : null;
    }

    public double SampleRateHz { get; }

    /// <summary>The band-pass in use (its edges after clamping to the sample rate).</summary>
    public ButterworthBandPass BandPass => _bandPass;

    /// <summary>The mains-interference canceller (hum present, tracked frequency, hum level), or null when off.</summary>
    public MainsInterferenceCanceller? Mains => _mains;

    /// <summary>The fixed notch, or null when off (the default).</summary>
    public PowerLineNotch? Notch => _notch;

    /// <inheritdoc/>
    public float Process(float sample) => (float)ProcessDouble(sample);

    /// <summary>Filters one sample; the result stays in double for stages that follow.</summary>
    public double ProcessDouble(float sample)
    {
        if (float.IsFinite(sample))
        {
            _lastFinite = sample;
        }
        else
        {
            sample = _lastFinite;
        }

        double y = _bandPass.ProcessDouble(_dc.ProcessDouble(sample));
        if (_mains is not null)
        {
            y = _mains.ProcessDouble(y);
        }

        return _notch is null ? y : _notch.ProcessDouble(y);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset()
    {
        _dc.Reset();
        _bandPass.Reset();
        _mains?.Reset();
        _notch?.Reset();
        _lastFinite = 0;
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(EmgChannelFilter filter) : IStreamingStep
    {
        public float Process(float sample) => (float)filter.ProcessDouble(sample);
    }
}

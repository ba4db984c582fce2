namespace CrampSense.Signals.Dsp;

/// <summary>
/// Linear envelope: full-wave rectification followed by a 2nd-order Butterworth low-pass (default 6 Hz;
/// linear envelopes use 3–10 Hz, NeuroKit2's <c>emg_amplitude</c> uses 8 Hz 2nd order). Input is expected to
/// be band-passed EMG; output is in the input's unit.
/// </summary>
public sealed class LinearEnvelope : IStreamingFilter
{
    /// <summary>Default low-pass corner in Hz.</summary>
    public const double DefaultCutoffHz = 6;

    private readonly BiquadCascade _lowPass;

    /// <summary>Creates the envelope with a low-pass corner of <paramref name="cutoffHz"/>.</summary>
    public LinearEnvelope(double sampleRateHz, double cutoffHz = DefaultCutoffHz)
    {
        CutoffHz = cutoffHz;
        _lowPass = new BiquadCascade(ButterworthDesign.LowPass(sampleRateHz, cutoffHz, 2), sampleRateHz);
    }

    public double CutoffHz { get; }

    /// <inheritdoc/>
    public float Process(float sample) => (float)_lowPass.ProcessDouble(Math.Abs(sample));

    /// <summary>Rectifies and smooths one sample in double precision.</summary>
    public double ProcessDouble(double sample) => _lowPass.ProcessDouble(Math.Abs(sample));

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset() => _lowPass.Reset();

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(LinearEnvelope filter) : IStreamingStep
    {
        public float Process(float sample) => (float)filter.ProcessDouble(sample);
    }
}

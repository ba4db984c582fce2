namespace CrampSense.Signals.Dsp;

/// <summary>
/// Teager–Kaiser energy operator ψ(x[n]) = x[n]² − x[n−1]·x[n+1], made causal with one sample of delay:
/// the value returned for input x[n] is ψ of x[n−1]. For a sine A·sin(ωn) ψ is the constant A²·sin²(ω),
/// so it grows with both amplitude and frequency (used for EMG onset detection, Solnik et al. 2010).
/// </summary>
public sealed class TeagerKaiserEnergy : IStreamingFilter
{
    private float _previous;
    private float _beforePrevious;

    /// <inheritdoc/>
    public float Process(float sample)
    {
        float psi = (float)(((double)_previous * _previous) - ((double)sample * _beforePrevious));
        _beforePrevious = _previous;
        _previous = sample;
        return psi;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset()
    {
        _previous = 0;
        _beforePrevious = 0;
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(TeagerKaiserEnergy filter) : IStreamingStep
    {
        public float Process(float sample) => filter.Process(sample);
    }
}

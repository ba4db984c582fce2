namespace CrampSense.Signals.Dsp;

/// <summary>
/// DC removal: the one-pole, one-zero high-pass y[n] = x[n] − x[n−1] + R·y[n−1], R = exp(−2π·fc/fs).
/// The first sample primes the state (x[−1] = x[0]), so a constant electrode or ADC offset gives zero
/// output from the start instead of a step that would ring the band-pass after it.
/// </summary>
/// <remarks>
/// Written here rather than taken from NWaves' <c>DcRemovalFilter</c> for the span API, the double state
/// and the first-sample priming; the filter is two lines.
/// </remarks>
public sealed class DcBlocker : IStreamingFilter
{
    private readonly double _pole;
    private double _previousInput;
    private double _previousOutput;
    private bool _primed;

    /// <summary>Creates a DC blocker with corner <paramref name="cutoffHz"/> (default 0.5 Hz, far below the EMG band).</summary>
    public DcBlocker(double sampleRateHz, double cutoffHz = 0.5)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!double.IsFinite(cutoffHz) || cutoffHz <= 0 || cutoffHz >= sampleRateHz / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"The corner must lie between 0 and the Nyquist frequency ({sampleRateHz / 2} Hz).");
        }

        CutoffHz = cutoffHz;
        _pole = Math.Exp(-2 * Math.PI * cutoffHz / sampleRateHz);
    }

    public double CutoffHz { get; }

    /// <summary>R = exp(−2π·fc/fs), for <see cref="EmgChannelFilterBank"/>, which runs the same filter in vector lanes.</summary>
    internal double Pole => _pole;

    /// <inheritdoc/>
    public float Process(float sample) => (float)ProcessDouble(sample);

    /// <summary>Filters one sample in double precision.</summary>
    public double ProcessDouble(double sample)
    {
        if (!_primed)
        {
            _previousInput = sample;
            _primed = true;
        }

        double y = sample - _previousInput + (_pole * _previousOutput);
        _previousInput = sample;
        _previousOutput = y;
        return y;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset()
    {
        _previousInput = 0;
        _previousOutput = 0;
        _primed = false;
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(DcBlocker filter) : IStreamingStep
    {
        public float Process(float sample) => (float)filter.ProcessDouble(sample);
    }
}

using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// <see cref="LinearEnvelope"/> for several channels, one row per call: full-wave rectification, then the same
/// 2nd-order Butterworth low-pass on every channel in vector lanes (<see cref="BiquadCascadeBank"/>). Each channel's
/// output is bit for bit that of its own <see cref="LinearEnvelope"/>.
/// </summary>
public sealed class LinearEnvelopeBank
{
    private readonly BiquadCascadeBank _lowPass;

    /// <summary>Creates envelopes for <paramref name="channels"/> channels with a low-pass corner of <paramref name="cutoffHz"/>.</summary>
    public LinearEnvelopeBank(double sampleRateHz, int channels, double cutoffHz = LinearEnvelope.DefaultCutoffHz)
        : this(sampleRateHz, channels, cutoffHz, VectorLanes.Widest)
    {
    }

    /// <summary>As the public constructor, with the lane width forced (1, 2 or 4) so tests can compare the paths.</summary>
    internal LinearEnvelopeBank(double sampleRateHz, int channels, double cutoffHz, int lanes)
    {
        CutoffHz = cutoffHz;
        _lowPass = new BiquadCascadeBank(ButterworthDesign.LowPass(sampleRateHz, cutoffHz, 2), channels, lanes);
    }

    public double CutoffHz { get; }

    /// <summary>Number of channels.</summary>
    public int Channels => _lowPass.Channels;

    /// <summary>Rectifies and smooths one row: <paramref name="output"/>[c] receives channel c's envelope of <paramref name="input"/>[c].</summary>
    /// <exception cref="ArgumentException">Either span is shorter than <see cref="Channels"/>.</exception>
    [MethodImpl(HotPath.Compiled)]
    public void Process(ReadOnlySpan<double> input, Span<double> output)
    {
        int channels = Channels;
        if (input.Length < channels || output.Length < channels)
        {
            throw new ArgumentException($"The row holds {input.Length} samples and its output {output.Length}; the bank has {channels} channels.", nameof(input));
        }

        for (int c = 0; c < channels; c++)
        {
            output[c] = Math.Abs(input[c]);
        }

        _lowPass.Process(output);
    }

    /// <summary>Returns every channel to its initial state.</summary>
    public void Reset() => _lowPass.Reset();
}

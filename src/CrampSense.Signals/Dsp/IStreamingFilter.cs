namespace CrampSense.Signals.Dsp;

/// <summary>
/// A causal filter that keeps its own state between calls, in the shape of NWaves' <c>IOnlineFilter</c>
/// but with a span block form. Feeding a signal sample by sample or in blocks of any size gives the same
/// output bit for bit.
/// </summary>
public interface IStreamingFilter
{
    /// <summary>Filters one sample and returns the output sample.</summary>
    float Process(float sample);

    /// <summary>
    /// Filters a block. <paramref name="output"/> must be at least as long as <paramref name="input"/>;
    /// it may be the same memory as the input (in-place filtering).
    /// </summary>
    void Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Returns the filter to the state it had when it was created.</summary>
    void Reset();
}

/// <summary>The argument check every block <c>Process(input, output)</c> makes.</summary>
internal static class StreamingBlock
{
    /// <summary>Throws when <paramref name="output"/> is shorter than <paramref name="input"/>.</summary>
    public static void ThrowIfOutputTooShort(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"Output holds {output.Length} samples, input {input.Length}.", nameof(output));
        }
    }
}

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

/// <summary>One filter's sample step, as a struct (one per filter) so that <see cref="StreamingBlock.Run"/> is compiled for it.</summary>
internal interface IStreamingStep
{
    /// <summary>Filters one sample.</summary>
    float Process(float sample);
}

/// <summary>The block loop and argument check every block <c>Process(input, output)</c> shares (issue 15 §5).</summary>
internal static class StreamingBlock
{
    /// <summary>
    /// Runs <paramref name="step"/> over <paramref name="input"/> into <paramref name="output"/> (which may be the same
    /// memory). A struct type argument gets its own compiled loop with the step called directly, so the shared loop
    /// costs no interface or virtual call per sample.
    /// </summary>
    public static void Run<TStep>(TStep step, ReadOnlySpan<float> input, Span<float> output)
        where TStep : struct, IStreamingStep
    {
        ThrowIfOutputTooShort(input, output);
        for (int n = 0; n < input.Length; n++)
        {
            output[n] = step.Process(input[n]);
        }
    }

    /// <summary>Throws when <paramref name="output"/> is shorter than <paramref name="input"/>.</summary>
    public static void ThrowIfOutputTooShort(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"Output holds {output.Length} samples, input {input.Length}.", nameof(output));
        }
    }
}

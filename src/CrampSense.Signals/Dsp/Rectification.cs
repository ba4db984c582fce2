namespace CrampSense.Signals.Dsp;

/// <summary>Full-wave rectification (absolute value); stateless.</summary>
public static class Rectification
{
    /// <summary>Rectifies one sample.</summary>
    public static float FullWave(float sample) => Math.Abs(sample);

    /// <summary>Rectifies a block; <paramref name="output"/> may alias <paramref name="input"/>.</summary>
    public static void FullWave(ReadOnlySpan<float> input, Span<float> output)
    {
        StreamingBlock.ThrowIfOutputTooShort(input, output);

        for (int n = 0; n < input.Length; n++)
        {
            output[n] = Math.Abs(input[n]);
        }
    }
}

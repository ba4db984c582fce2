using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Features;

/// <summary>Shape of the linear envelope over one window.</summary>
/// <param name="Mean">Mean, mV.</param>
/// <param name="StandardDeviation">Population standard deviation, mV.</param>
/// <param name="CoefficientOfVariation">SD / mean (0 when the mean is not positive).</param>
/// <param name="SlopePerSecond">Least-squares slope against time, mV/s.</param>
public readonly record struct EnvelopeStatistics(float Mean, float StandardDeviation, float CoefficientOfVariation, float SlopePerSecond)
{
    /// <summary>Computes the statistics of <paramref name="envelope"/> (oldest sample first).</summary>
    [MethodImpl(HotPath.Compiled)]
    public static EnvelopeStatistics Compute(ReadOnlySpan<float> envelope, double sampleRateHz)
    {
        int n = envelope.Length;
        if (n < 2)
        {
            throw new ArgumentException("An envelope window needs at least 2 samples.", nameof(envelope));
        }

        // Two interleaved sets of accumulators shorten the floating-point add chains (fixed order: deterministic).
        double sum0 = 0, sum1 = 0, squares0 = 0, squares1 = 0, indexed0 = 0, indexed1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2)
        {
            double e0 = envelope[i];
            double e1 = envelope[i + 1];
            sum0 += e0;
            sum1 += e1;
            squares0 += e0 * e0;
            squares1 += e1 * e1;
            indexed0 += i * e0;
            indexed1 += (i + 1) * e1;
        }

        if (i < n)
        {
            double e = envelope[i];
            sum0 += e;
            squares0 += e * e;
            indexed0 += i * e;
        }

        double sum = sum0 + sum1;
        double sumSquares = squares0 + squares1;
        double sumIndexed = indexed0 + indexed1;

        double mean = sum / n;
        double variance = Math.Max(0, (sumSquares / n) - (mean * mean));
        double sd = Math.Sqrt(variance);

        // Slope of e against i: Σ(i − ī)(e − ē) / Σ(i − ī)², with Σ(i − ī)² = n(n² − 1)/12.
        double centeredIndexSquares = n * (((double)n * n) - 1) / 12.0;
        double slopePerSample = (sumIndexed - (((n - 1) / 2.0) * sum)) / centeredIndexSquares;
        return new EnvelopeStatistics(
            (float)mean,
            (float)sd,
            mean > 0 ? (float)(sd / mean) : 0f,
            (float)(slopePerSample * sampleRateHz));
    }
}

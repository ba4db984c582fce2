using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Features;

/// <summary>
/// Time-domain features of one window (Hudgins et al. 1993; deadband forms as in Phinyomark et al. 2012,
/// "Feature reduction and selection for EMG signal classification"). Counts and lengths are given per second
/// so they do not depend on the window length.
/// </summary>
public readonly record struct TimeDomainFeatures(
    float Rms,
    float Mav,
    float WaveformLengthPerSecond,
    float ZeroCrossingsPerSecond,
    float SlopeSignChangesPerSecond,
    float WillisonAmplitudePerSecond,
    float TeagerEnergy)
{
    /// <summary>Computes the features of <paramref name="window"/>.</summary>
    /// <param name="window">Band-passed EMG, oldest sample first, mV.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="deadbandMillivolts">Zero crossings and slope-sign changes count only when the step involved is at least this large (noise deadband).</param>
    /// <param name="willisonThresholdMillivolts">Willison amplitude counts steps |x[i+1] − x[i]| at or above this.</param>
    [MethodImpl(HotPath.Compiled)]
    public static TimeDomainFeatures Compute(ReadOnlySpan<float> window, double sampleRateHz, float deadbandMillivolts, float willisonThresholdMillivolts)
    {
        int n = window.Length;
        if (n < 3)
        {
            throw new ArgumentException("A feature window needs at least 3 samples.", nameof(window));
        }

        double sumSquares = 0;
        double sumAbs = 0;
        double length = 0;
        double teager = 0;
        int zeroCrossings = 0;
        int slopeSignChanges = 0;
        int willison = 0;

        float previous = window[0];
        sumSquares += (double)previous * previous;
        sumAbs += Math.Abs(previous);
        float current = window[1];
        for (int i = 1; i < n; i++)
        {
            float step = current - previous;
            float absStep = Math.Abs(step);
            sumSquares += (double)current * current;
            sumAbs += Math.Abs(current);
            length += absStep;
            if (((previous > 0 && current < 0) || (previous < 0 && current > 0)) && absStep >= deadbandMillivolts)
            {
                zeroCrossings++;
            }

            if (absStep >= willisonThresholdMillivolts)
            {
                willison++;
            }

            if (i < n - 1)
            {
                float next = window[i + 1];
                float stepAhead = current - next;
                if (step * stepAhead > 0 && (absStep >= deadbandMillivolts || Math.Abs(stepAhead) >= deadbandMillivolts))
                {
                    slopeSignChanges++;
                }

                teager += ((double)current * current) - ((double)previous * next);
                previous = current;
                current = next;
            }
        }

        double seconds = n / sampleRateHz;
        return new TimeDomainFeatures(
            (float)Math.Sqrt(sumSquares / n),
            (float)(sumAbs / n),
            (float)(length / seconds),
            (float)(zeroCrossings / seconds),
            (float)(slopeSignChanges / seconds),
            (float)(willison / seconds),
            (float)(teager / (n - 2)));
    }
}

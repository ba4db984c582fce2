using System.Globalization;

namespace CrampSense.Detection.Calibration;

/// <summary>
/// Estimates a site's rest floor from the envelope of a rest recording: a low percentile (default the 10th) of
/// the envelope values. A low percentile rather than the mean, so that the odd twitch or movement during the
/// "rest" recording does not raise the floor. Keeps every value (a 10-minute rest at 1 kHz is 2.4 MB); this runs
/// once, offline, not on the live path.
/// </summary>
public sealed class RestFloorEstimator
{
    /// <summary>The percentile used by default.</summary>
    public const double DefaultPercentile = 10.0;

    private readonly List<float> _values = [];

    /// <summary>Number of envelope values added.</summary>
    public int Count => _values.Count;

    /// <summary>Adds one envelope value, µV.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, infinite or negative; the message gives its index.</exception>
    public void Add(float envelopeMicrovolts)
    {
        if (!float.IsFinite(envelopeMicrovolts) || envelopeMicrovolts < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(envelopeMicrovolts),
                envelopeMicrovolts,
                string.Create(CultureInfo.InvariantCulture, $"Envelope value #{_values.Count} must be a finite, non-negative number of µV."));
        }

        _values.Add(envelopeMicrovolts);
    }

    /// <summary>Adds a block of envelope values, µV.</summary>
    public void Add(ReadOnlySpan<float> envelopeMicrovolts)
    {
        foreach (float value in envelopeMicrovolts)
        {
            Add(value);
        }
    }

    /// <summary>The rest floor, µV: the <paramref name="percentile"/> of the values added.</summary>
    /// <exception cref="InvalidOperationException">No values were added.</exception>
    public double Estimate(double percentile = DefaultPercentile)
    {
        if (_values.Count == 0)
        {
            throw new InvalidOperationException("No rest envelope values were added; the rest floor cannot be estimated.");
        }

        return Evaluation.EventEvaluation.Percentile(_values.Select(v => (double)v), percentile)!.Value;
    }
}

using System.Globalization;

namespace CrampSense.Detection.Calibration;

/// <summary>
/// Estimates a site's maximal voluntary contraction (MVC) amplitude from the envelope of a maximal-effort
/// recording: the highest mean over any window of <c>windowSeconds</c> (default 0.5 s), so a single spike does
/// not count as the maximum. Streams in O(window) memory.
/// </summary>
public sealed class MaxVoluntaryEstimator
{
    /// <summary>Default averaging window, s.</summary>
    public const double DefaultWindowSeconds = 0.5;

    private readonly float[] _ring;
    private int _next;
    private long _count;
    private double _sum;
    private double _highest = double.NaN;

    /// <summary>Creates the estimator for an envelope stream of <paramref name="envelopeRateHz"/> values per second.</summary>
    public MaxVoluntaryEstimator(double envelopeRateHz, double windowSeconds = DefaultWindowSeconds)
    {
        if (!double.IsFinite(envelopeRateHz) || envelopeRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(envelopeRateHz), envelopeRateHz, "The envelope rate must be a finite, positive number of Hz.");
        }

        if (!double.IsFinite(windowSeconds) || windowSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "The averaging window must be a finite, positive number of seconds.");
        }

        _ring = new float[Math.Max(1, (int)Math.Round(envelopeRateHz * windowSeconds))];
    }

    /// <summary>Number of values in the averaging window.</summary>
    public int WindowLength => _ring.Length;

    /// <summary>Number of envelope values added.</summary>
    public long Count => _count;

    /// <summary>The highest window mean so far, µV; null until a full window has been added.</summary>
    public double? HighestWindowMean => double.IsNaN(_highest) ? null : _highest;

    /// <summary>Adds one envelope value, µV.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, infinite or negative; the message gives its index.</exception>
    public void Add(float envelopeMicrovolts)
    {
        if (!float.IsFinite(envelopeMicrovolts) || envelopeMicrovolts < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(envelopeMicrovolts),
                envelopeMicrovolts,
                string.Create(CultureInfo.InvariantCulture, $"Envelope value #{_count} must be a finite, non-negative number of µV."));
        }

        _sum += envelopeMicrovolts - _ring[_next];
        _ring[_next] = envelopeMicrovolts;
        _next = (_next + 1) % _ring.Length;
        _count++;
        if (_count >= _ring.Length)
        {
            // Re-add the window exactly now and then so rounding drift of the running sum cannot build up.
            if (_next == 0)
            {
                _sum = 0;
                foreach (float v in _ring)
                {
                    _sum += v;
                }
            }

            double mean = _sum / _ring.Length;
            if (double.IsNaN(_highest) || mean > _highest)
            {
                _highest = mean;
            }
        }
    }

    /// <summary>Adds a block of envelope values, µV.</summary>
    public void Add(ReadOnlySpan<float> envelopeMicrovolts)
    {
        foreach (float value in envelopeMicrovolts)
        {
            Add(value);
        }
    }
}

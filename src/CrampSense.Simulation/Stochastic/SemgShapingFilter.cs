using System.Numerics;

namespace CrampSense.Simulation.Stochastic;

/// <summary>
/// Streaming filter that turns white Gaussian noise into surface EMG with a parametric spectrum, causally and at
/// a fixed cost per sample (three first-order sections and a short delay line), so hours render quickly.
/// <para>
/// Spectrum: Shwedyk, Balasubramanian &amp; Scott (1977, IEEE Trans. Biomed. Eng. 24:317) modelled the sEMG power
/// spectrum as P(f) = K·f_h⁴·f² / ((f² + f_l²)(f² + f_h²)²), the power response of H(s) = s·ω_h² / ((s + ω_l)(s + ω_h)²);
/// it is realised here by the bilinear transform of that H(s), prewarped per corner (one high-pass, two low-pass
/// first-order sections), whose power response is the same form in warped frequency tan(ω/2).
/// </para>
/// <para>
/// Electrodes: a bipolar pair with inter-electrode distance d sees the travelling potential twice, τ = d / v
/// apart, so its transfer is 1 − e^(−j2πfτ), |H| = 2|sin(π f d / v)| (Lindström &amp; Magnusson 1977, Proc. IEEE
/// 65:653). The delay is fractional; it is realised by linear interpolation, and the design uses the exact
/// response of that interpolated difference.
/// </para>
/// <para>
/// Fatigue: conduction velocity v falls during a sustained contraction; the whole spectrum then compresses by
/// v/v₀ and the amplitude grows (Lindström's P(f) = (1/v²)·G(f d / v), power ∝ 1/v; median frequency
/// proportional to conduction velocity, Stulen &amp; De Luca 1981, IEEE Trans. Biomed. Eng. 28:515).
/// <see cref="SetCompression"/> re-designs the sections for v/v₀ while keeping their state.
/// </para>
/// Written here rather than with NWaves because the sections are re-designed block by block from a closed form
/// (their state must survive the change) and the median-frequency design needs their exact power response.
/// </summary>
internal sealed class SemgShapingFilter
{
    /// <summary>Highest corner the bilinear sections are designed for, as a fraction of the sample rate.</summary>
    private const double MaximumCornerFraction = 0.45;

    /// <summary>Frequencies at which the power response is evaluated for the median and the normalisation.</summary>
    private const int GridPoints = 256;

    private readonly double _sampleRateHz;
    private readonly double _lowCornerHz;
    private readonly double _highCornerHz;
    private readonly double _restDelaySamples;
    private readonly double[] _delayLine;
    private int _delayPosition;
    private double _hpB0, _hpA1, _lpB0, _lpA1;
    private double _hpX1, _hpY1, _lp1X1, _lp1Y1, _lp2X1, _lp2Y1;
    private double _delaySamples;
    private double _gain;

    /// <param name="lowCornerHz">f_l of the Shwedyk spectrum at rest (no fatigue).</param>
    /// <param name="highCornerHz">f_h of the Shwedyk spectrum at rest.</param>
    /// <param name="electrodeDelaySeconds">d / v at rest: inter-electrode distance over conduction velocity.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    public SemgShapingFilter(double lowCornerHz, double highCornerHz, double electrodeDelaySeconds, double sampleRateHz)
    {
        _sampleRateHz = sampleRateHz;
        _lowCornerHz = lowCornerHz;
        _highCornerHz = highCornerHz;
        _restDelaySamples = electrodeDelaySeconds * sampleRateHz;

        // Room for the delay at the strongest compression (v down to a third of rest).
        _delayLine = new double[(int)Math.Ceiling(_restDelaySamples * 3) + 3];
        SetCompression(1);
    }

    /// <summary>Current compression v/v₀ (1 = rest, smaller = fatigued).</summary>
    public double Compression { get; private set; }

    /// <summary>
    /// Designs the Shwedyk corners so that the whole filter (spectrum × electrode) has the given median
    /// frequency: both corners are scaled together (their ratio kept) by bisection on the exact power response.
    /// Returns the corners; when the median cannot be reached below the design limit, the limit's corners.
    /// </summary>
    public static (double LowCornerHz, double HighCornerHz) DesignForMedian(double medianHz, double cornerRatio, double electrodeDelaySeconds, double sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(medianHz);
        ArgumentOutOfRangeException.ThrowIfLessThan(cornerRatio, 1);
        // The high corner is clamped at the design limit, so the low one may go up to it (high medians at 500 Hz).
        double low = Math.Log(0.1), high = Math.Log(sampleRateHz * MaximumCornerFraction);
        for (var i = 0; i < 50; i++)
        {
            var mid = 0.5 * (low + high);
            var fl = Math.Exp(mid);
            if (MedianFrequency(fl, fl * cornerRatio, electrodeDelaySeconds * sampleRateHz, sampleRateHz) < medianHz)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        var corner = Math.Exp(0.5 * (low + high));
        return (corner, Math.Min(corner * cornerRatio, sampleRateHz * MaximumCornerFraction));
    }

    /// <summary>Median frequency of the filter's power response (spectrum × electrode), Hz.</summary>
    public static double MedianFrequency(double lowCornerHz, double highCornerHz, double delaySamples, double sampleRateHz)
    {
        Span<double> power = stackalloc double[GridPoints];
        var total = PowerResponse(lowCornerHz, highCornerHz, delaySamples, sampleRateHz, power);
        var cumulative = 0.0;
        for (var k = 0; k < GridPoints; k++)
        {
            cumulative += power[k];
            if (cumulative >= total / 2)
            {
                // Interpolate inside the grid cell.
                var before = cumulative - power[k];
                var fraction = power[k] > 0 ? ((total / 2) - before) / power[k] : 0.5;
                return (k + fraction) * sampleRateHz / 2 / GridPoints;
            }
        }

        return sampleRateHz / 2;
    }

    /// <summary>Median frequency of the filter as it is now (with its compression), Hz.</summary>
    public double CurrentMedianFrequency() =>
        MedianFrequency(Corner(_lowCornerHz * Compression), Corner(_highCornerHz * Compression), _delaySamples, _sampleRateHz);

    /// <summary>Re-designs for a conduction velocity of <paramref name="compression"/> × rest (0.33–1), keeping the state.</summary>
    public void SetCompression(double compression)
    {
        Compression = Math.Clamp(compression, 0.34, 1);
        var fl = Corner(_lowCornerHz * Compression);
        var fh = Corner(_highCornerHz * Compression);
        var tl = Math.Tan(Math.PI * fl / _sampleRateHz);
        var th = Math.Tan(Math.PI * fh / _sampleRateHz);
        _hpB0 = 1 / (1 + tl);
        _hpA1 = -(1 - tl) / (1 + tl);
        _lpB0 = th / (1 + th);
        _lpA1 = -(1 - th) / (1 + th);
        _delaySamples = _restDelaySamples / Compression;

        // Unit output variance for unit-variance white input, times Lindström's amplitude growth (power ∝ 1/v).
        Span<double> power = stackalloc double[GridPoints];
        var variance = PowerResponse(fl, fh, _delaySamples, _sampleRateHz, power) / GridPoints;
        _gain = 1 / Math.Sqrt(variance * Compression);
    }

    /// <summary>Filters one sample.</summary>
    public double Process(double x)
    {
        var hp = (_hpB0 * (x - _hpX1)) - (_hpA1 * _hpY1);
        _hpX1 = x;
        _hpY1 = hp;
        var lp1 = (_lpB0 * (hp + _lp1X1)) - (_lpA1 * _lp1Y1);
        _lp1X1 = hp;
        _lp1Y1 = lp1;
        var lp2 = (_lpB0 * (lp1 + _lp2X1)) - (_lpA1 * _lp2Y1);
        _lp2X1 = lp1;
        _lp2Y1 = lp2;

        // Bipolar difference: y(t) − y(t − d/v), the delayed sample linearly interpolated.
        var length = _delayLine.Length;
        _delayLine[_delayPosition] = lp2;
        var whole = (int)_delaySamples;
        var fraction = _delaySamples - whole;
        var a = _delayLine[(_delayPosition - whole + length) % length];
        var b = _delayLine[(_delayPosition - whole - 1 + length + length) % length];
        _delayPosition = (_delayPosition + 1) % length;
        return _gain * (lp2 - (((1 - fraction) * a) + (fraction * b)));
    }

    /// <summary>Clears the state (the design stays).</summary>
    public void Reset()
    {
        _hpX1 = _hpY1 = _lp1X1 = _lp1Y1 = _lp2X1 = _lp2Y1 = 0;
        Array.Clear(_delayLine);
        _delayPosition = 0;
    }

    private double Corner(double hz) => Math.Min(hz, _sampleRateHz * MaximumCornerFraction);

    /// <summary>Power response on a uniform grid of cell centres over 0…fs/2 into <paramref name="power"/>; returns the sum.</summary>
    private static double PowerResponse(double lowCornerHz, double highCornerHz, double delaySamples, double sampleRateHz, Span<double> power)
    {
        var tl = Math.Tan(Math.PI * Math.Min(lowCornerHz, sampleRateHz * MaximumCornerFraction) / sampleRateHz);
        var th = Math.Tan(Math.PI * Math.Min(highCornerHz, sampleRateHz * MaximumCornerFraction) / sampleRateHz);
        var whole = (int)delaySamples;
        var fraction = delaySamples - whole;
        var total = 0.0;
        for (var k = 0; k < power.Length; k++)
        {
            var omega = Math.PI * (k + 0.5) / power.Length;
            var w = Math.Tan(omega / 2);
            var w2 = w * w;
            var highPass = w2 / (w2 + (tl * tl));
            var lowPass = (th * th) / (w2 + (th * th));
            var delayed = Complex.FromPolarCoordinates(1, -omega * whole) * ((1 - fraction) + (fraction * Complex.FromPolarCoordinates(1, -omega)));
            var electrode = (1 - delayed).Magnitude;
            power[k] = highPass * lowPass * lowPass * electrode * electrode;
            total += power[k];
        }

        return total;
    }
}

namespace CrampSense.Signals.Features;

/// <summary>
/// Latest skin temperature and its trend: an exponentially weighted least-squares line through the samples,
/// each weighted exp(−age / τ). Constant memory, and it does not care how sparse or irregular the samples are.
/// </summary>
public sealed class SkinTemperatureTracker
{
    private readonly double _timeConstantSeconds;

    // Weighted sums over the samples with times u relative to the newest sample and temperatures y relative
    // to the first sample (keeps the sums well conditioned).
    private double _s0;
    private double _su;
    private double _suu;
    private double _sy;
    private double _suy;
    private double _lastTime;
    private double _reference;
    private int _count;

    /// <summary>Creates a tracker whose trend forgets with time constant <paramref name="trendTimeConstantSeconds"/>.</summary>
    public SkinTemperatureTracker(double trendTimeConstantSeconds = 60)
    {
        if (!double.IsFinite(trendTimeConstantSeconds) || trendTimeConstantSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trendTimeConstantSeconds), trendTimeConstantSeconds, "The trend time constant must be a positive number of seconds.");
        }

        _timeConstantSeconds = trendTimeConstantSeconds;
        Reset();
    }

    /// <summary>Latest temperature, °C (NaN before the first sample).</summary>
    public double Celsius { get; private set; }

    /// <summary>Trend, °C per minute (NaN before two samples at different times).</summary>
    public double TrendCelsiusPerMinute { get; private set; }

    /// <summary>Adds a sample taken at <paramref name="timeSeconds"/>; non-finite values are ignored.</summary>
    public void Add(double timeSeconds, double celsius)
    {
        if (!double.IsFinite(celsius) || !double.IsFinite(timeSeconds))
        {
            return;
        }

        Celsius = celsius;
        if (_count == 0)
        {
            _reference = celsius;
        }
        else
        {
            double dt = Math.Max(0, timeSeconds - _lastTime);
            double decay = Math.Exp(-dt / _timeConstantSeconds);
            _s0 *= decay;
            _su *= decay;
            _suu *= decay;
            _sy *= decay;
            _suy *= decay;

            // Move the time origin to the new sample: u' = u − dt.
            _suu += (-2 * dt * _su) + (dt * dt * _s0);
            _su -= dt * _s0;
            _suy -= dt * _sy;
        }

        double y = celsius - _reference;
        _s0 += 1;
        _sy += y;
        _lastTime = timeSeconds;
        _count++;

        double denominator = (_s0 * _suu) - (_su * _su);
        TrendCelsiusPerMinute = denominator > 1e-12 * Math.Max(1, _s0 * _suu)
            ? 60 * ((_s0 * _suy) - (_su * _sy)) / denominator
            : double.NaN;
    }

    /// <summary>Forgets every sample.</summary>
    public void Reset()
    {
        _s0 = _su = _suu = _sy = _suy = 0;
        _lastTime = 0;
        _reference = 0;
        _count = 0;
        Celsius = double.NaN;
        TrendCelsiusPerMinute = double.NaN;
    }
}

namespace CrampSense.Signals.Features;

/// <summary>
/// The usual level of a slowly varying quantity (a channel's mains hum): an asymmetric exponential tracker that rises
/// slowly towards higher values and falls faster towards lower ones, so a sudden rise stands out against it while a
/// level that stays becomes usual. (The EMG rest floor is a different estimator: <see cref="RestFloorTracker"/>.)
/// </summary>
public sealed class UsualLevelTracker
{
    private readonly double _riseGain;
    private readonly double _fallGain;

    /// <summary>Creates a tracker updated every <paramref name="updateIntervalSeconds"/>.</summary>
    /// <param name="updateIntervalSeconds">Time between updates (the feature hop), s.</param>
    /// <param name="riseTimeConstantSeconds">Time constant when the value is above the level, s (slow).</param>
    /// <param name="fallTimeConstantSeconds">Time constant when the value is below the level, s (fast).</param>
    /// <param name="minimumLevel">Smallest level used for <see cref="Ratio"/>, so a silent channel cannot divide by zero.</param>
    public UsualLevelTracker(double updateIntervalSeconds, double riseTimeConstantSeconds, double fallTimeConstantSeconds, double minimumLevel)
    {
        if (!(updateIntervalSeconds > 0) || !(riseTimeConstantSeconds > 0) || !(fallTimeConstantSeconds > 0) || !(minimumLevel > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(updateIntervalSeconds), "Update interval, time constants and minimum floor must be positive.");
        }

        _riseGain = 1 - Math.Exp(-updateIntervalSeconds / riseTimeConstantSeconds);
        _fallGain = 1 - Math.Exp(-updateIntervalSeconds / fallTimeConstantSeconds);
        MinimumLevel = minimumLevel;
        Reset();
    }

    /// <summary>Current level (NaN before the first update).</summary>
    public double Level { get; private set; }

    public double MinimumLevel { get; }

    /// <summary>Moves the floor towards <paramref name="value"/>; the first value sets it directly.</summary>
    public double Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return Level;
        }

        if (double.IsNaN(Level))
        {
            Level = value;
        }
        else
        {
            Level += (value < Level ? _fallGain : _riseGain) * (value - Level);
        }

        return Level;
    }

    /// <summary><paramref name="value"/> over the floor (floor at least <see cref="MinimumLevel"/>); NaN before the first update.</summary>
    public double Ratio(double value) => double.IsNaN(Level) ? double.NaN : value / Math.Max(Level, MinimumLevel);

    /// <summary>Forgets the level.</summary>
    public void Reset() => Level = double.NaN;
}

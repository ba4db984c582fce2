namespace CrampSense.Signals.Features;

/// <summary>
/// Adaptive rest floor of an amplitude measure (the window RMS): an asymmetric exponential tracker that
/// falls fast towards lower values and rises slowly towards higher ones, so it settles near the quiet
/// baseline between contractions and follows slow drift (electrode settling, sweat) without following
/// activity.
/// </summary>
public sealed class RestFloorTracker
{
    private readonly double _riseGain;
    private readonly double _fallGain;

    /// <summary>Creates a tracker updated every <paramref name="updateIntervalSeconds"/>.</summary>
    /// <param name="updateIntervalSeconds">Time between updates (the feature hop), s.</param>
    /// <param name="riseTimeConstantSeconds">Time constant when the value is above the floor, s (slow).</param>
    /// <param name="fallTimeConstantSeconds">Time constant when the value is below the floor, s (fast).</param>
    /// <param name="minimumFloor">Smallest floor used for <see cref="Ratio"/>, so a silent channel cannot divide by zero.</param>
    public RestFloorTracker(double updateIntervalSeconds, double riseTimeConstantSeconds, double fallTimeConstantSeconds, double minimumFloor)
    {
        if (!(updateIntervalSeconds > 0) || !(riseTimeConstantSeconds > 0) || !(fallTimeConstantSeconds > 0) || !(minimumFloor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(updateIntervalSeconds), "Update interval, time constants and minimum floor must be positive.");
        }

        _riseGain = 1 - Math.Exp(-updateIntervalSeconds / riseTimeConstantSeconds);
        _fallGain = 1 - Math.Exp(-updateIntervalSeconds / fallTimeConstantSeconds);
        MinimumFloor = minimumFloor;
        Reset();
    }

    /// <summary>Current floor (NaN before the first update).</summary>
    public double Floor { get; private set; }

    public double MinimumFloor { get; }

    /// <summary>Moves the floor towards <paramref name="value"/>; the first value sets it directly.</summary>
    public double Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return Floor;
        }

        if (double.IsNaN(Floor))
        {
            Floor = value;
        }
        else
        {
            Floor += (value < Floor ? _fallGain : _riseGain) * (value - Floor);
        }

        return Floor;
    }

    /// <summary><paramref name="value"/> over the floor (floor at least <see cref="MinimumFloor"/>); NaN before the first update.</summary>
    public double Ratio(double value) => double.IsNaN(Floor) ? double.NaN : value / Math.Max(Floor, MinimumFloor);

    /// <summary>Forgets the floor.</summary>
    public void Reset() => Floor = double.NaN;
}

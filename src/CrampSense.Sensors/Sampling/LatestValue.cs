namespace CrampSense.Sensors.Sampling;

/// <summary>
/// The newest reading of a slow sensor, written by its worker and picked up by the sampling thread, which
/// attaches it to the next EMG frame. A short uncontended lock, no allocation.
/// </summary>
public sealed class LatestValue<T>
    where T : struct
{
    private readonly Lock _gate = new();
    private T _value;
    private long _version;

    public void Publish(T value)
    {
        lock (_gate)
        {
            _value = value;
            _version++;
        }
    }

    /// <summary>Returns the value if it is newer than <paramref name="seenVersion"/>, and advances it.</summary>
    public bool TryTakeNew(ref long seenVersion, out T value)
    {
        lock (_gate)
        {
            value = _value;
            if (_version == seenVersion)
            {
                return false;
            }

            seenVersion = _version;
            return true;
        }
    }
}

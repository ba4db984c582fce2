namespace CrampSense.Sensors.Sampling;

/// <summary>
/// The hand-off of a burst-read sensor to the sampling thread: a fixed ring of readings, each with the timestamp
/// (ticks of the acquisition's <see cref="TimeProvider"/>) at which the chip sampled it. The worker publishes a
/// burst; the sampling thread takes, per frame, the newest reading due by the frame's time, so a 100 Hz IMU read
/// ten times a second still lands on one frame in ten, each at its own time, not ten at once. A short
/// uncontended lock (as <see cref="LatestValue{T}"/>), preallocated arrays: no allocation.
/// </summary>
public sealed class TimedReadings<T>
    where T : struct
{
    private readonly Lock _gate = new();
    private readonly long[] _ticks;
    private readonly T[] _values;
    private long _published;
    private long _next;

    public TimedReadings(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ticks = new long[capacity];
        _values = new T[capacity];
    }

    public int Capacity => _values.Length;

    /// <summary>Readings published so far.</summary>
    public long Published
    {
        get
        {
            lock (_gate)
            {
                return _published;
            }
        }
    }

    /// <summary>Readings overwritten by newer ones before the consumer reached them (the consumer lagged a ring's worth).</summary>
    public long Overwritten { get; private set; }

    /// <summary>Readings passed over because a newer one was due by the same frame (they arrived after their frame).</summary>
    public long Skipped { get; private set; }

    /// <summary>Appends a reading sampled at <paramref name="ticks"/> (readings come in time order).</summary>
    public void Publish(long ticks, T value)
    {
        lock (_gate)
        {
            if (_published - _next >= _values.Length)
            {
                _next++;
                Overwritten++;
            }

            var slot = (int)(_published % _values.Length);
            _ticks[slot] = ticks;
            _values[slot] = value;
            _published++;
        }
    }

    /// <summary>The newest reading published (taken or not); false before the first.</summary>
    public bool TryPeekNewest(out T value)
    {
        lock (_gate)
        {
            value = _published == 0 ? default : _values[(int)((_published - 1) % _values.Length)];
            return _published > 0;
        }
    }

    /// <summary>
    /// Takes the newest untaken reading sampled at or before <paramref name="cutoffTicks"/> and passes over the older
    /// untaken ones (counted in <see cref="Skipped"/>); false when none is due.
    /// </summary>
    public bool TryTakeDue(long cutoffTicks, out T value)
    {
        lock (_gate)
        {
            value = default;
            var found = false;
            while (_next < _published)
            {
                var slot = (int)(_next % _values.Length);
                if (_ticks[slot] > cutoffTicks)
                {
                    break;
                }

                if (found)
                {
                    Skipped++;
                }

                value = _values[slot];
                found = true;
                _next++;
            }

            return found;
        }
    }
}

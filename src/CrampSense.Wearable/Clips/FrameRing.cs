using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// The last <see cref="Capacity"/> raw frames of every site with their temperature and acceleration, in arrays
/// allocated once (struct of arrays, 26 + 4 × sites bytes a frame). <see cref="Add"/> copies a frame in and
/// allocates nothing; <see cref="CopyRange"/> (once per clip) copies a span out into new frames.
/// </summary>
public sealed class FrameRing
{
    private readonly int _sites;
    private readonly double[] _time;
    private readonly float[] _emg;
    private readonly float[] _temperature;
    private readonly bool[] _hasTemperature;
    private readonly float[] _acceleration;
    private readonly bool[] _hasAcceleration;
    private long _written;

    public FrameRing(int siteCount, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(siteCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _sites = siteCount;
        Capacity = capacity;
        _time = new double[capacity];
        _emg = new float[checked(capacity * siteCount)];
        _temperature = new float[capacity];
        _hasTemperature = new bool[capacity];
        _acceleration = new float[checked(capacity * 3)];
        _hasAcceleration = new bool[capacity];
    }

    /// <summary>Frames the ring holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Frames held now.</summary>
    public int Count => (int)Math.Min(_written, Capacity);

    /// <summary>Bytes of the ring's arrays.</summary>
    public long Bytes => ((long)Capacity * (8 + 4 + 1 + 12 + 1)) + ((long)Capacity * _sites * 4);

    /// <summary>Time of the oldest frame held, or NaN when empty.</summary>
    public double OldestSeconds => _written == 0 ? double.NaN : _time[(int)((_written - Count) % Capacity)];

    /// <summary>Time of the newest frame, or NaN when empty.</summary>
    public double NewestSeconds => _written == 0 ? double.NaN : _time[(int)((_written - 1) % Capacity)];

    /// <summary>Copies <paramref name="frame"/> in, overwriting the oldest when full.</summary>
    /// <exception cref="ArgumentException">The frame has another site count.</exception>
    public void Add(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.EmgMillivolts.Length != _sites)
        {
            throw new ArgumentException($"The frame has {frame.EmgMillivolts.Length} EMG sites, the ring {_sites}.", nameof(frame));
        }

        var i = (int)(_written % Capacity);
        _time[i] = frame.TimeSeconds;
        frame.EmgMillivolts.AsSpan().CopyTo(_emg.AsSpan(i * _sites, _sites));
        _hasTemperature[i] = frame.HasSkinTemperature;
        _temperature[i] = frame.SkinTemperatureCelsius;
        _hasAcceleration[i] = frame.HasAcceleration;
        _acceleration[i * 3] = frame.AccelerationXG;
        _acceleration[(i * 3) + 1] = frame.AccelerationYG;
        _acceleration[(i * 3) + 2] = frame.AccelerationZG;
        _written++;
    }

    /// <summary>
    /// New frames for the held frames with <paramref name="fromSeconds"/> ≤ t ≤ <paramref name="toSeconds"/>, their
    /// times shifted so the first is at 0 (a clip starts at 0 like any recording); <paramref name="originSeconds"/>
    /// is the first one's own time (NaN when none is in the range).
    /// </summary>
    public RecordingFrame[] CopyRange(double fromSeconds, double toSeconds, out double originSeconds)
    {
        var count = Count;
        var first = _written - count;
        var selected = new List<RecordingFrame>();
        originSeconds = double.NaN;
        for (var n = first; n < _written; n++)
        {
            var i = (int)(n % Capacity);
            var t = _time[i];
            if (t < fromSeconds || t > toSeconds)
            {
                continue;
            }

            if (double.IsNaN(originSeconds))
            {
                originSeconds = t;
            }

            var frame = new RecordingFrame(_sites) { TimeSeconds = t - originSeconds };
            _emg.AsSpan(i * _sites, _sites).CopyTo(frame.EmgMillivolts);
            frame.HasSkinTemperature = _hasTemperature[i];
            frame.SkinTemperatureCelsius = _temperature[i];
            frame.HasAcceleration = _hasAcceleration[i];
            frame.AccelerationXG = _acceleration[i * 3];
            frame.AccelerationYG = _acceleration[(i * 3) + 1];
            frame.AccelerationZG = _acceleration[(i * 3) + 2];
            selected.Add(frame);
        }

        return [.. selected];
    }
}

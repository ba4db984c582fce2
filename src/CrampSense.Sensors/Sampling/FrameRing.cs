using CrampSense.Signals.Recordings;

namespace CrampSense.Sensors.Sampling;

/// <summary>
/// The bounded single-producer single-consumer hand-off from the sampling thread to the pipeline: a
/// preallocated ring of <see cref="RecordingFrame"/>s, so nothing is allocated per sample.
/// </summary>
/// <remarks>
/// Policy when the consumer lags: the ring is full, the producer <b>drops the newest frame</b> and counts it
/// (<see cref="Dropped"/>). Drop-newest keeps the producer from ever touching the consumer's read index, so the
/// ring stays lock-free and the consumer never sees a frame change under it. Each frame carries its sample
/// index, so the consumer sees the gap; nothing is interpolated.
/// </remarks>
public sealed class FrameRing : IDisposable
{
    private readonly RecordingFrame[] _frames;
    private readonly long[] _indices;
    private readonly int _mask;
    private readonly ManualResetEventSlim _available = new(false);
    private long _head; // next slot to write (producer-owned)
    private long _tail; // next slot to read (consumer-owned)
    private long _dropped;

    /// <param name="capacity">Frames held; rounded up to a power of two.</param>
    /// <param name="siteCount">EMG sites per frame.</param>
    public FrameRing(int capacity, int siteCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _frames = new RecordingFrame[size];
        _indices = new long[size];
        for (var i = 0; i < size; i++)
        {
            _frames[i] = new RecordingFrame(siteCount);
        }

        _mask = size - 1;
    }

    public int Capacity => _frames.Length;

    /// <summary>Frames waiting for the consumer.</summary>
    public int Count => (int)(Volatile.Read(ref _head) - Volatile.Read(ref _tail));

    /// <summary>Frames the producer discarded because the ring was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Producer: the frame to fill next, or null when full (the frame is then counted as dropped).</summary>
    public RecordingFrame? TryBeginWrite()
    {
        var head = _head;
        if (head - Volatile.Read(ref _tail) >= _frames.Length)
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }

        return _frames[head & _mask];
    }

    /// <summary>Producer: publishes the frame returned by <see cref="TryBeginWrite"/>.</summary>
    public void CommitWrite(long sampleIndex)
    {
        _indices[_head & _mask] = sampleIndex;
        Volatile.Write(ref _head, _head + 1);
        _available.Set();
    }

    /// <summary>Consumer: copies the oldest frame into <paramref name="destination"/>.</summary>
    public bool TryRead(RecordingFrame destination, out long sampleIndex)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var tail = _tail;
        if (tail == Volatile.Read(ref _head))
        {
            sampleIndex = -1;
            return false;
        }

        destination.CopyFrom(_frames[tail & _mask]);
        sampleIndex = _indices[tail & _mask];
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer: waits until a frame may be available (or the timeout/cancellation).</summary>
    public bool WaitForData(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _available.Reset();
        if (Count > 0)
        {
            return true;
        }

        return _available.Wait(timeout, cancellationToken);
    }

    public void Dispose() => _available.Dispose();
}

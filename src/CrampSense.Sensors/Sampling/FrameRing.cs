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
/// index, so the consumer sees the gap; nothing is interpolated. A producer that may wait (a replay: its
/// samples do not go stale) checks <see cref="IsFull"/> and blocks in <see cref="WaitForSpace"/> instead.
/// Wake-ups: a commit wakes a consumer blocked in <see cref="WaitForData"/> only once <see cref="WakeThreshold"/>
/// frames wait (or the producer calls <see cref="WakeConsumer"/>), so a 1 kHz producer wakes the consumer tens of
/// times a second instead of a thousand; the consumer's timeout bounds how long fewer frames wait.
/// </remarks>
public sealed class FrameRing : IDisposable
{
    private readonly RecordingFrame[] _frames;
    private readonly long[] _indices;
    private readonly int _mask;
    private readonly int _wakeThreshold;
    private readonly ManualResetEventSlim _available = new(false);
    private readonly ManualResetEventSlim _space = new(true);
    private long _head; // next slot to write (producer-owned)
    private long _tail; // next slot to read (consumer-owned)
    private long _dropped;

    /// <param name="capacity">Frames held; rounded up to a power of two.</param>
    /// <param name="siteCount">EMG sites per frame.</param>
    /// <param name="wakeThreshold">
    /// Frames waiting before a commit wakes the consumer (default: 1/16 of the capacity, 64 frames for the 1 024 of a
    /// 1 kHz source: the detector works in 50 ms hops, so waking per hop loses nothing; at most the capacity).
    /// </param>
    public FrameRing(int capacity, int siteCount, int? wakeThreshold = null)
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
        _wakeThreshold = Math.Clamp(wakeThreshold ?? (size / 16), 1, size);
    }

    /// <summary>Frames waiting before a commit wakes a consumer blocked in <see cref="WaitForData"/>.</summary>
    public int WakeThreshold => _wakeThreshold;

    /// <summary>True when a consumer's <see cref="WaitForData"/> would return at once (for tests of the wake-up policy).</summary>
    internal bool ConsumerWakeSignalled => _available.IsSet;

    public int Capacity => _frames.Length;

    /// <summary>Frames waiting for the consumer.</summary>
    public int Count => (int)(Volatile.Read(ref _head) - Volatile.Read(ref _tail));

    /// <summary>Producer: true when the next <see cref="TryBeginWrite"/> would drop.</summary>
    public bool IsFull => _head - Volatile.Read(ref _tail) >= _frames.Length;

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
        var head = _head + 1;
        Volatile.Write(ref _head, head);
        // Setting the event on every commit was a kernel wake-up of the consumer per frame (or, with the consumer
        // polling instead, an interlocked operation per frame for nothing); a batch of frames per wake-up is enough.
        if (head - Volatile.Read(ref _tail) >= _wakeThreshold)
        {
            _available.Set();
        }
    }

    /// <summary>Producer: wakes a waiting consumer whatever the frame count (at the end of a recording, on stop).</summary>
    public void WakeConsumer() => _available.Set();

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
        // A full fence (not only a release): the producer resets _space and then reads _tail, so this write
        // must not pass the read of IsSet below, or a waiting producer could miss its wake-up.
        Interlocked.Exchange(ref _tail, tail + 1);
        if (!_space.IsSet)
        {
            _space.Set(); // a waiting producer (WaitForSpace) may go on
        }

        return true;
    }

    /// <summary>
    /// Consumer: returns at once when a frame waits; otherwise waits until <see cref="WakeThreshold"/> frames wait, the
    /// producer calls <see cref="WakeConsumer"/>, the timeout or the cancellation. True when woken before the timeout.
    /// </summary>
    public bool WaitForData(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _available.Reset();
        if (Count > 0)
        {
            return true;
        }

        return _available.Wait(timeout, cancellationToken);
    }

    /// <summary>
    /// Producer: waits until the consumer has freed a slot (or the timeout/cancellation). Returns true when
    /// there is room. The event is reset before the check, so a read between the two is never missed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool WaitForSpace(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _space.Reset();
        if (!IsFull)
        {
            return true;
        }

        return _space.Wait(timeout, cancellationToken) && !IsFull;
    }

    public void Dispose()
    {
        _available.Dispose();
        _space.Dispose();
    }
}

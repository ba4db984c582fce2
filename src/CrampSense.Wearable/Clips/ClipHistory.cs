using System.Collections;
using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// The last <see cref="Capacity"/> raw frames of every site with their temperature and acceleration, in chunks of
/// <see cref="ChunkFrames"/> frames allocated once (struct of arrays, 26 + 4 × sites bytes a frame). <see cref="Add"/>
/// copies a frame in and allocates nothing. <see cref="Snapshot"/> (once per clip, on the detection thread) copies
/// nothing: it leases the chunks that hold a span and hands them to the clip writer, which reads the frames out on
/// its own thread. A leased chunk is never written again: the next <see cref="Add"/> into it first copies it into a
/// spare chunk (one chunk's arrays, a few kB) that takes its place (a new one only while no spare is free); the
/// leased one becomes a spare once its clips are written.
/// </summary>
/// <remarks>
/// Why chunks handed over by reference rather than a copy: a clip is up to the whole buffer (120 000 frames for the
/// default 60 s + 30 s around a 30 s cramp), and copying it into frames took ~50 ms of the detection thread per clip.
/// </remarks>
public sealed class ClipHistory
{
    /// <summary>Frames of one chunk (about a second at 1 kHz).</summary>
    public const int DefaultChunkFrames = 1024;

    private readonly int _sites;
    private readonly Chunk[] _slots;
    private readonly Lock _gate = new(); // leases, retiring and the spares: taken per clip and at chunk boundaries only
    private readonly Stack<Chunk> _spares = new();
    private long _written;

    public ClipHistory(int siteCount, int capacity, int chunkFrames = DefaultChunkFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(siteCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkFrames);
        _sites = siteCount;
        Capacity = capacity;
        ChunkFrames = Math.Min(chunkFrames, capacity);
        _slots = new Chunk[(capacity + ChunkFrames - 1) / ChunkFrames];
        for (var s = 0; s < _slots.Length; s++)
        {
            _slots[s] = new Chunk(ChunkFrames, siteCount);
        }
    }

    /// <summary>Frames the ring holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Frames of a chunk.</summary>
    public int ChunkFrames { get; }

    /// <summary>Frames held now.</summary>
    public int Count => (int)Math.Min(_written, Capacity);

    /// <summary>Bytes of the ring's arrays (its chunks; spares taken while clips are written are not counted).</summary>
    public long Bytes => (long)_slots.Length * ChunkFrames * (8 + 4 + 1 + 12 + 1 + (_sites * 4L));

    /// <summary>Chunks allocated after the start because every spare was leased (a writer far behind).</summary>
    public int ChunksAddedWhileLeased { get; private set; }

    /// <summary>Time of the oldest frame held, or NaN when empty.</summary>
    public double OldestSeconds => _written == 0 ? double.NaN : TimeOf(_written - Count);

    /// <summary>Time of the newest frame, or NaN when empty.</summary>
    public double NewestSeconds => _written == 0 ? double.NaN : TimeOf(_written - 1);

    /// <summary>Copies <paramref name="frame"/> in, overwriting the oldest when full.</summary>
    /// <exception cref="ArgumentException">The frame has another site count.</exception>
    public void Add(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.EmgMillivolts.Length != _sites)
        {
            throw new ArgumentException($"The frame has {frame.EmgMillivolts.Length} EMG sites, the ring {_sites}.", nameof(frame));
        }

        var (slot, i) = Locate(_written);
        var chunk = _slots[slot];
        if (Volatile.Read(ref chunk.Leases) > 0)
        {
            // The chunk being written also holds the oldest frames (past the write position), which a clip may
            // include: write on into a copy and leave the leased one as it is.
            chunk = Replace(slot);
        }

        chunk.Time[i] = frame.TimeSeconds;
        frame.EmgMillivolts.AsSpan().CopyTo(chunk.Emg.AsSpan(i * _sites, _sites));
        chunk.HasTemperature[i] = frame.HasSkinTemperature;
        chunk.Temperature[i] = frame.SkinTemperatureCelsius;
        chunk.HasAcceleration[i] = frame.HasAcceleration;
        chunk.Acceleration[i * 3] = frame.AccelerationXG;
        chunk.Acceleration[(i * 3) + 1] = frame.AccelerationYG;
        chunk.Acceleration[(i * 3) + 2] = frame.AccelerationZG;
        _written++;
    }

    /// <summary>
    /// The held frames with <paramref name="fromSeconds"/> ≤ t ≤ <paramref name="toSeconds"/> (times rise through a
    /// session, so they are one run), their times shifted so the first is at 0 (a clip starts at 0 like any
    /// recording), read out lazily from leased chunks: dispose it when written. <paramref name="originSeconds"/> is
    /// the first one's own time (NaN when none is in the range). Call from the thread that adds.
    /// </summary>
    public RingSnapshot Snapshot(double fromSeconds, double toSeconds, out double originSeconds)
    {
        var start = FirstAfter(_written - Count, t => t < fromSeconds);
        var end = FirstAfter(start, t => t <= toSeconds);

        originSeconds = end > start ? TimeOf(start) : double.NaN;
        var chunks = new List<(Chunk Chunk, int Offset, int Count)>();
        lock (_gate)
        {
            for (var n = start; n < end;)
            {
                var (slot, i) = Locate(n);
                var count = (int)Math.Min(end - n, ChunkFrames - i);
                count = Math.Min(count, (Capacity - (int)(n % Capacity)));
                var chunk = _slots[slot];
                chunk.Leases++;
                chunks.Add((chunk, i, count));
                n += count;
            }
        }

        return new RingSnapshot(this, [.. chunks], (int)(end - start), originSeconds);
    }

    /// <summary>New frames for the held frames in a span (see <see cref="Snapshot"/>), copied out at once.</summary>
    public RecordingFrame[] CopyRange(double fromSeconds, double toSeconds, out double originSeconds)
    {
        using var snapshot = Snapshot(fromSeconds, toSeconds, out originSeconds);
        return [.. snapshot];
    }

    internal int SiteCount => _sites;

    internal void Release(IEnumerable<Chunk> chunks)
    {
        lock (_gate)
        {
            foreach (var chunk in chunks)
            {
                if (--chunk.Leases == 0 && chunk.Retired)
                {
                    chunk.Retired = false;
                    _spares.Push(chunk);
                }
            }
        }
    }

    private Chunk Replace(int slot)
    {
        lock (_gate)
        {
            var leased = _slots[slot];
            if (leased.Leases == 0)
            {
                return leased; // released meanwhile
            }

            leased.Retired = true;
            if (!_spares.TryPop(out var spare))
            {
                spare = new Chunk(ChunkFrames, _sites);
                ChunksAddedWhileLeased++;
            }

            leased.CopyTo(spare);
            _slots[slot] = spare;
            return spare;
        }
    }

    private (int Slot, int Index) Locate(long n)
    {
        var p = (int)(n % Capacity);
        return (p / ChunkFrames, p % ChunkFrames);
    }

    /// <summary>
    /// The first frame number from <paramref name="low"/> on whose time is not <paramref name="before"/> (times rise,
    /// so the frames that are form one run from <paramref name="low"/>): a binary search, ~17 looks at 120 000 frames
    /// where a scan took ~2 ms of the detection thread per clip.
    /// </summary>
    private long FirstAfter(long low, Func<double, bool> before)
    {
        var high = _written;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (before(TimeOf(middle)))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private double TimeOf(long n)
    {
        var (slot, i) = Locate(n);
        return _slots[slot].Time[i];
    }

    internal sealed class Chunk(int frames, int sites)
    {
        public readonly double[] Time = new double[frames];
        public readonly float[] Emg = new float[checked(frames * sites)];
        public readonly float[] Temperature = new float[frames];
        public readonly bool[] HasTemperature = new bool[frames];
        public readonly float[] Acceleration = new float[checked(frames * 3)];
        public readonly bool[] HasAcceleration = new bool[frames];

        public void CopyTo(Chunk other)
        {
            Time.CopyTo(other.Time, 0);
            Emg.CopyTo(other.Emg, 0);
            Temperature.CopyTo(other.Temperature, 0);
            HasTemperature.CopyTo(other.HasTemperature, 0);
            Acceleration.CopyTo(other.Acceleration, 0);
            HasAcceleration.CopyTo(other.HasAcceleration, 0);
        }

        /// <summary>Clips still to read this chunk (guarded by the ring's lock; read without it only to skip the lock).</summary>
        public int Leases;

        /// <summary>Taken out of the ring while leased: a spare once released.</summary>
        public bool Retired;
    }
}

/// <summary>
/// A span of a <see cref="ClipHistory"/> handed to the clip writer: its frames as new <see cref="RecordingFrame"/>s
/// made as they are read (on the writer's thread), times from 0. Dispose it once written (or dropped) so its chunks
/// can be reused.
/// </summary>
public sealed class RingSnapshot : IReadOnlyList<RecordingFrame>, IDisposable
{
    private readonly ClipHistory _ring;
    private readonly (ClipHistory.Chunk Chunk, int Offset, int Count)[] _chunks;
    private readonly double _origin;
    private int _disposed;
    private int _cursorChunk;
    private int _cursorStart;

    internal RingSnapshot(ClipHistory ring, (ClipHistory.Chunk Chunk, int Offset, int Count)[] chunks, int count, double origin)
    {
        _ring = ring;
        _chunks = chunks;
        Count = count;
        _origin = origin;
    }

    public int Count { get; }

    public RecordingFrame this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

            // Sequential reads (the writer's) move the cursor a chunk at a time; others walk from the start.
            if (index < _cursorStart)
            {
                _cursorChunk = 0;
                _cursorStart = 0;
            }

            while (index >= _cursorStart + _chunks[_cursorChunk].Count)
            {
                _cursorStart += _chunks[_cursorChunk].Count;
                _cursorChunk++;
            }

            var (chunk, offset, _) = _chunks[_cursorChunk];
            var i = offset + (index - _cursorStart);
            var sites = _ring.SiteCount;
            var frame = new RecordingFrame(sites) { TimeSeconds = chunk.Time[i] - _origin };
            chunk.Emg.AsSpan(i * sites, sites).CopyTo(frame.EmgMillivolts);
            frame.HasSkinTemperature = chunk.HasTemperature[i];
            frame.SkinTemperatureCelsius = chunk.Temperature[i];
            frame.HasAcceleration = chunk.HasAcceleration[i];
            frame.AccelerationXG = chunk.Acceleration[i * 3];
            frame.AccelerationYG = chunk.Acceleration[(i * 3) + 1];
            frame.AccelerationZG = chunk.Acceleration[(i * 3) + 2];
            return frame;
        }
    }

    public IEnumerator<RecordingFrame> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Gives the chunks back to the ring; reading afterwards throws.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ring.Release(_chunks.Select(c => c.Chunk));
        }
    }
}

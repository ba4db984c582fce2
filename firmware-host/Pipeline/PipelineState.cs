using CrampSense.Sensors.Sampling;
using CrampSense.Wearable;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The service's state for the live view, the watchdog and tests: written by the pipeline, read anywhere.
/// Thread-safe; the per-window update replaces one immutable array (no lock on the hot path).
/// </summary>
public sealed class PipelineState
{
    private const int Kept = 8;
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _events = new();
    private readonly LinkedList<string> _prompts = new();
    private readonly LinkedList<string> _log = new();
    private SiteSnapshot[] _sites = [];
    private long _heartbeat;
    private long _frames;
    private double _sessionSeconds;
    private volatile string? _source;
    private volatile string? _sourceError;
    private volatile string? _haptic;
    private volatile string? _replayFailure;
    private long _eventCount;
    private long _promptCount;
    private long _windowCount;
    private SamplingStatistics? _sampling;
    private long _pastDroppedSlots;
    private long _pastFaultedSlots;
    private long _pastHandOffDropped;

    /// <summary>The source in use (null until opened).</summary>
    public string? Source { get => _source; set => _source = value; }

    /// <summary>Why the source is not running (it is retried), or null.</summary>
    public string? SourceError { get => _sourceError; set => _sourceError = value; }

    /// <summary>Why a replayed recording ended before its end (a bad row), or null: the program then exits non-zero.</summary>
    public string? ReplayFailure { get => _replayFailure; set => _replayFailure = value; }

    /// <summary>The last haptic pattern played, with its time.</summary>
    public string? LastHaptic { get => _haptic; set => _haptic = value; }

    /// <summary>Per-site state after the last window.</summary>
    public IReadOnlyList<SiteSnapshot> Sites => Volatile.Read(ref _sites);

    /// <summary>Session time of the last frame, s.</summary>
    public double SessionSeconds => Volatile.Read(ref _sessionSeconds);

    public long Frames => Interlocked.Read(ref _frames);

    public long Windows => Interlocked.Read(ref _windowCount);

    public long EventCount => Interlocked.Read(ref _eventCount);

    public long PromptCount => Interlocked.Read(ref _promptCount);

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last time the detection loop was responsive.</summary>
    public long Heartbeat => Interlocked.Read(ref _heartbeat);

    /// <summary>
    /// Sampling slots lost since the service started, over every source session: dropped (the thread woke too late),
    /// faulted (a failed ADC read) and frames discarded at the hand-off (the detector's ring was full).
    /// </summary>
    public (long DroppedSlots, long FaultedSlots, long HandOffDropped) LostSamples
    {
        get
        {
            lock (_gate)
            {
                var current = _sampling?.Snapshot();
                return (_pastDroppedSlots + (current?.DroppedSlots ?? 0), _pastFaultedSlots + (current?.FaultedSlots ?? 0), _pastHandOffDropped + (current?.HandOffDropped ?? 0));
            }
        }
    }

    public IReadOnlyList<string> RecentEvents => Copy(_events);

    public IReadOnlyList<string> RecentPrompts => Copy(_prompts);

    public IReadOnlyList<string> RecentLog => Copy(_log);

    internal void Beat(long timestamp) => Interlocked.Exchange(ref _heartbeat, timestamp);

    internal void OnFrames(long count, double sessionSeconds)
    {
        Interlocked.Add(ref _frames, count);
        Volatile.Write(ref _sessionSeconds, sessionSeconds);
    }

    internal void OnWindow(SiteSnapshot[] sites)
    {
        Interlocked.Increment(ref _windowCount);
        Volatile.Write(ref _sites, sites);
    }

    internal void OnEvent(string line)
    {
        Interlocked.Increment(ref _eventCount);
        Add(_events, line);
    }

    internal void OnPrompt(string line)
    {
        Interlocked.Increment(ref _promptCount);
        Add(_prompts, line);
    }

    internal void OnLog(string line) => Add(_log, line);

    /// <summary>A source session started: its sampling counters count from now on.</summary>
    internal void OnSourceOpened(SamplingStatistics sampling)
    {
        lock (_gate)
        {
            _sampling = sampling;
        }
    }

    /// <summary>A source session ended with <paramref name="report"/>: its counts are kept, the source is let go.</summary>
    internal void OnSourceClosed(SamplingReport report)
    {
        lock (_gate)
        {
            _pastDroppedSlots += report.DroppedSlots;
            _pastFaultedSlots += report.FaultedSlots;
            _pastHandOffDropped += report.HandOffDropped;
            _sampling = null;
        }
    }

    private void Add(LinkedList<string> list, string line)
    {
        lock (_gate)
        {
            list.AddFirst(line);
            while (list.Count > Kept)
            {
                list.RemoveLast();
            }
        }
    }

    private string[] Copy(LinkedList<string> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}

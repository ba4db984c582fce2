namespace CrampSense.Cli.Detection;

/// <summary>
/// Waits for a recording that another process is still writing to grow, by looking at its length at a fixed
/// interval on a <see cref="TimeProvider"/> (a fake clock in tests).
/// </summary>
/// <remarks>
/// Why polling and not <see cref="FileSystemWatcher"/>: a watcher (inotify here) misses changes made from another
/// machine on a network or FUSE mount (a Pi's clip folder over sshfs or SMB, the typical way a researcher watches
/// one) and drops events when its buffer overflows; one <c>fstat</c> every quarter second costs nothing next to
/// the replay and works on every file system.
/// </remarks>
internal sealed class RecordingGrowthWaiter
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private long _knownLength;

    /// <param name="path">The recording's name, checked for <see cref="RecordingGrowth.Gone"/>.</param>
    /// <param name="stream">The open recording; its length is what grows.</param>
    /// <param name="pollInterval">How often the length is looked at.</param>
    /// <param name="idleTimeout">How long the file may stay the same length before the replay ends.</param>
    /// <param name="time">The clock the waits run on.</param>
    /// <param name="cancellation">Ctrl-C.</param>
    public RecordingGrowthWaiter(string path, FileStream stream, TimeSpan pollInterval, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(idleTimeout, TimeSpan.Zero);
        _path = path;
        _stream = stream;
        _pollInterval = pollInterval;
        _idleTimeout = idleTimeout;
        _time = time;
        _cancellation = cancellation;
        _knownLength = stream.Length;
    }

    /// <summary>Waits until the file grows past the length it had when last looked at, is gone, stays the same for the idle time, or the wait is cancelled.</summary>
    public async Task<RecordingGrowth> WaitAsync()
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            if (_stream.Length is var length && length > _knownLength)
            {
                _knownLength = length;
                return RecordingGrowth.Grew;
            }

            if (!File.Exists(_path))
            {
                return RecordingGrowth.Gone;
            }

            if (_time.GetElapsedTime(start) >= _idleTimeout)
            {
                return RecordingGrowth.Idle;
            }

            try
            {
                await Task.Delay(_pollInterval, _time, _cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                return RecordingGrowth.Cancelled;
            }
        }
    }
}

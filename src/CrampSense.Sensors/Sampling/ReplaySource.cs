using CrampSense.Sensors.Faults;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Sensors.Sampling;

/// <summary>
/// Replays a recording (<see cref="RecordingReader"/>) or the simulator's output (<see cref="SimulatedRecording"/>)
/// as if it came from the sensors: each frame is
/// published when its <c>t_s</c> is due on the monotonic clock, at 1× or faster, through the same
/// <see cref="FrameRing"/> as live acquisition. With <see cref="Unpaced"/> speed the replay runs as fast as the
/// consumer takes frames.
/// </summary>
/// <remarks>
/// Consumer lag: a replay never drops. When the ring is full the replay thread waits for the consumer
/// (<see cref="FrameRing.WaitForSpace"/>) and publishes the frames that fell due meanwhile as soon as there is
/// room (their lateness is counted), at any speed. Dropping would make the detector's input, and so its onsets
/// and event ids, depend on the machine's load; the frames of a recording never go stale, unlike a sensor's,
/// whose drops <see cref="AcquisitionEngine"/> counts and reports. A bad row ends the replay with
/// <see cref="Failure"/> set (the reader's message names line and column). Ownership: the reader's TextReader
/// belongs to the caller.
/// </remarks>
public sealed class ReplaySource : IFrameSource
{
    /// <summary>Speed meaning "as fast as the consumer reads".</summary>
    public const double Unpaced = double.PositiveInfinity;

    /// <summary><see cref="Step"/>: the replay is over.</summary>
    internal const long Finished = -1;

    /// <summary><see cref="Step"/>: the next frame is due but the ring is full; wait for the consumer.</summary>
    internal const long WaitingForRoom = -2;

    private readonly Func<RecordingFrame, bool> _readFrame;
    private readonly TimeProvider _time;
    private readonly RecordingFrame _pending;
    private readonly CancellationTokenSource _stop = new();
    private bool _hasPending;
    private long _index;
    private long _startTicks;
    private Thread? _thread;
    private volatile bool _completed;
    private bool _disposed;

    /// <param name="reader">The recording, positioned before its first row.</param>
    /// <param name="speed">1 for real time, 10 for ten times faster, <see cref="Unpaced"/> for no pacing.</param>
    /// <param name="timeProvider">Monotonic clock the frames are paced on.</param>
    /// <param name="ringCapacity">Frames the hand-off ring holds.</param>
    public ReplaySource(RecordingReader reader, double speed, TimeProvider timeProvider, int ringCapacity = 2048)
        : this((reader ?? throw new ArgumentNullException(nameof(reader))).Layout, reader.TryReadFrame, speed, timeProvider, ringCapacity)
    {
    }

    /// <summary>
    /// The simulator, paced like the sensors (speed 1) so that the service runs identically without
    /// hardware; the simulation's <see cref="SimulatedRecording.Truth"/> says what is in it.
    /// </summary>
    /// <param name="simulation">A started simulation (Simulator.Start).</param>
    /// <param name="speed">1 for real time, more for faster, <see cref="Unpaced"/> for no pacing.</param>
    /// <param name="timeProvider">Monotonic clock the frames are paced on.</param>
    /// <param name="ringCapacity">Frames the hand-off ring holds.</param>
    public ReplaySource(SimulatedRecording simulation, double speed, TimeProvider timeProvider, int ringCapacity = 2048)
        : this((simulation ?? throw new ArgumentNullException(nameof(simulation))).Layout, simulation.TryReadFrame, speed, timeProvider, ringCapacity)
    {
    }

    /// <summary>
    /// Any frame producer with a fixed layout (e.g. simulated segments chained into one session), paced like
    /// the sensors.
    /// </summary>
    /// <param name="layout">What the frames hold.</param>
    /// <param name="readFrame">Fills the next frame (sized for <paramref name="layout"/>); false at the end.</param>
    /// <param name="speed">1 for real time, more for faster, <see cref="Unpaced"/> for no pacing.</param>
    /// <param name="timeProvider">Monotonic clock the frames are paced on.</param>
    /// <param name="ringCapacity">Frames the hand-off ring holds.</param>
    public ReplaySource(RecordingLayout layout, Func<RecordingFrame, bool> readFrame, double speed, TimeProvider timeProvider, int ringCapacity = 2048)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _readFrame = readFrame ?? throw new ArgumentNullException(nameof(readFrame));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        if (double.IsNaN(speed) || speed < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Replay speed must be at least 1 (real time), or Unpaced.");
        }

        Speed = speed;
        Layout = layout;
        _pending = Layout.CreateFrame();
        Frames = new FrameRing(ringCapacity, Layout.Sites.Count);
        Statistics = new SamplingStatistics(Layout.SampleRateHz * (double.IsPositiveInfinity(speed) ? 1 : speed), timeProvider.TimestampFrequency);
        _startTicks = timeProvider.GetTimestamp();
    }

    public double Speed { get; }

    public RecordingLayout Layout { get; }

    public FrameRing Frames { get; }

    public SamplingStatistics Statistics { get; }

    /// <summary>A recording has no sensor faults; the log stays empty (its truth sidecar says what is in it).</summary>
    public SensorStatusLog Status { get; } = new();

    public bool Completed => _completed;

    /// <summary>The reader's error that ended the replay early, or null.</summary>
    public Exception? Failure { get; private set; }

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_thread is not null)
        {
            throw new InvalidOperationException("The replay is already running.");
        }

        ResetClock(_time.GetTimestamp());
        _thread = new Thread(Run) { IsBackground = true, Name = "crampsense-replay" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        Frames.Dispose();
        _stop.Dispose();
        _disposed = true;
    }

    internal void ResetClock(long startTicks) => _startTicks = startTicks;

    /// <summary>
    /// One step at <paramref name="nowTicks"/>: publishes the next frame if it is due and the ring has room.
    /// Returns <paramref name="nowTicks"/> when it published, the due timestamp of the next frame when that is
    /// later, <see cref="WaitingForRoom"/> when the ring is full, or <see cref="Finished"/>.
    /// </summary>
    internal long Step(long nowTicks)
    {
        if (_completed)
        {
            return Finished;
        }

        if (!_hasPending)
        {
            try
            {
                _hasPending = _readFrame(_pending);
            }
            catch (RecordingFormatException e)
            {
                Failure = e;
            }

            if (!_hasPending)
            {
                _completed = true;
                return Finished;
            }
        }

        var due = DueTicks(_pending.TimeSeconds);
        if (nowTicks < due)
        {
            return due;
        }

        if (Frames.IsFull)
        {
            return WaitingForRoom; // the frame stays pending: wait for the consumer rather than drop
        }

        var slot = Frames.TryBeginWrite()!; // not full, and this thread is the only producer
        slot.CopyFrom(_pending);
        Frames.CommitWrite(_index);
        Statistics.RecordSample(nowTicks, nowTicks - due);
        _index++;
        _hasPending = false;
        return nowTicks;
    }

    private long DueTicks(double timeSeconds) =>
        double.IsPositiveInfinity(Speed) ? _startTicks : _startTicks + (long)(timeSeconds / Speed * _time.TimestampFrequency);

    private void Run()
    {
        var stopping = _stop.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var now = _time.GetTimestamp();
                var next = Step(now);
                if (next == Finished)
                {
                    Frames.WakeConsumer(); // the last frames may be fewer than the ring's wake threshold
                    return;
                }

                if (next == WaitingForRoom)
                {
                    // Woken by the consumer's next read, or by Stop through the token; the bound only guards a missed wake-up.
                    Frames.WaitForSpace(WaitForRoomBound, stopping);
                    continue;
                }

                if (next <= now)
                {
                    continue; // published; the next frame may be due as well
                }

                // Paced: sleep until the next frame is due, but at least a burst period. At 1 kHz a per-frame wait
                // would be shorter than .NET's 1 ms sleep granularity and turn into a busy core; this way the frames
                // due meanwhile go out together, at most a burst late (measured as lateness). The consumer works in
                // 50 ms hops, so a few milliseconds change nothing downstream.
                var wait = _time.GetElapsedTime(now, next);
                stopping.WaitHandle.WaitOne(wait < BurstPeriod ? BurstPeriod : wait);
            }
        }
        catch (OperationCanceledException)
        {
            // Stop while waiting for room.
        }
    }

    private static readonly TimeSpan WaitForRoomBound = TimeSpan.FromMilliseconds(200);

    /// <summary>Shortest sleep of the paced replay thread (see <see cref="Run"/>).</summary>
    private static readonly TimeSpan BurstPeriod = TimeSpan.FromMilliseconds(4);
}

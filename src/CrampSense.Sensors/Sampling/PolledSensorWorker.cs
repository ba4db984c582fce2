using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;

namespace CrampSense.Sensors.Sampling;

/// <summary>A read of a slow sensor: the value, or the fault.</summary>
public delegate bool SensorRead<T>(double timeSeconds, out T value, [NotNullWhen(false)] out SensorFault? fault);

/// <summary>
/// A burst read of a sensor that buffers its own samples (a FIFO): publishes every reading with its sample time into
/// <paramref name="destination"/>, or returns the fault.
/// </summary>
public delegate bool SensorBurstRead<T>(in SensorPoll poll, TimedReadings<T> destination, [NotNullWhen(false)] out SensorFault? fault)
    where T : struct;

/// <summary>When a poll happens: <paramref name="Ticks"/> of the worker's clock (<paramref name="TicksPerSecond"/>), and seconds since the worker started.</summary>
public readonly record struct SensorPoll(long Ticks, long TicksPerSecond, double TimeSeconds);

/// <summary>
/// Polls one slow sensor (skin temperature at 1 Hz, IMU at 50–100 Hz) on its own thread, so a slow read
/// (DS18B20 ≈ 1 s) or a hung I2C bus never delays the EMG sampling thread. Good readings go to a
/// <see cref="LatestValue{T}"/>; a failure opens a fault in the <see cref="SensorStatusLog"/> once and the
/// sensor is retried with exponential back-off until it reads again, which closes the fault.
/// </summary>
/// <remarks>A sensor with its own FIFO (the MPU-6050) is polled for bursts instead (<see cref="SensorBurstRead{T}"/>): its
/// readings, each with its sample time, go to <see cref="Readings"/>, and <see cref="HandOffDelay"/> says how far behind
/// the frames' time the sampling thread must pick them so that each arrives before its frame.
/// The decision per poll is <see cref="PollOnce"/>, a step function tests drive with any clock.
/// Ownership: disposes <c>ownedSensor</c> (the chip object behind <c>read</c>) when given.</remarks>
public sealed class PolledSensorWorker<T> : IDisposable
    where T : struct
{
    private readonly SensorRead<T>? _read;
    private readonly SensorBurstRead<T>? _burstRead;
    private readonly TimeProvider _time;
    private readonly SensorStatusLog _status;
    private readonly long _periodTicks;
    // spinCount 0: ManualResetEventSlim.Wait spins and yields before it blocks, on every call; a worker that waits
    // 10 ms between polls gains nothing from that (the 100 Hz MPU-6050 worker used 17 % of the service's CPU,
    // firmware-host/README.md "Resource budget"), and Stop needs no low-latency wake-up.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private SensorRetryBackoff _backoff;
    private long _startTicks;
    private long _nextDueTicks;
    private Thread? _thread;
    private SensorFault? _openFault;
    private IDisposable? _ownedSensor;

    public PolledSensorWorker(
        string chip,
        string bus,
        SensorRead<T> read,
        double rateHz,
        TimeProvider timeProvider,
        SensorStatusLog status,
        TimeSpan? initialBackoff = null,
        TimeSpan? maximumBackoff = null,
        IDisposable? ownedSensor = null)
        : this(chip, bus, rateHz, timeProvider, status, initialBackoff, maximumBackoff, ownedSensor, readingsCapacity: 4)
    {
        _read = read ?? throw new ArgumentNullException(nameof(read));
    }

    /// <summary>
    /// A worker that polls a buffering sensor for bursts <paramref name="pollRateHz"/> times a second into a
    /// <see cref="Readings"/> of <paramref name="readingsCapacity"/>: at least the most a burst can bring plus the
    /// readings that wait out <see cref="HandOffDelay"/>.
    /// </summary>
    public PolledSensorWorker(
        string chip,
        string bus,
        SensorBurstRead<T> read,
        double pollRateHz,
        TimeProvider timeProvider,
        SensorStatusLog status,
        int readingsCapacity,
        TimeSpan? initialBackoff = null,
        TimeSpan? maximumBackoff = null,
        IDisposable? ownedSensor = null)
        : this(chip, bus, pollRateHz, timeProvider, status, initialBackoff, maximumBackoff, ownedSensor, readingsCapacity)
    {
        _burstRead = read ?? throw new ArgumentNullException(nameof(read));

        // A reading reaches the ring up to one poll period after it was sampled (plus the burst's own transfer); half a
        // period more lets a poll that the scheduler wakes up to 50 ms late (at 10 Hz) lose nothing.
        HandOffDelay = TimeSpan.FromSeconds(1.5 / pollRateHz);
    }

    private PolledSensorWorker(
        string chip,
        string bus,
        double rateHz,
        TimeProvider timeProvider,
        SensorStatusLog status,
        TimeSpan? initialBackoff,
        TimeSpan? maximumBackoff,
        IDisposable? ownedSensor,
        int readingsCapacity)
    {
        _ownedSensor = ownedSensor;
        Readings = new TimedReadings<T>(readingsCapacity);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _status = status ?? throw new ArgumentNullException(nameof(status));
        if (!double.IsFinite(rateHz) || rateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "The poll rate must be positive.");
        }

        Chip = chip;
        Bus = bus;
        RateHz = rateHz;
        _periodTicks = (long)(timeProvider.TimestampFrequency / rateHz);
        _backoff = new SensorRetryBackoff(initialBackoff ?? TimeSpan.FromSeconds(1), maximumBackoff ?? TimeSpan.FromSeconds(30), timeProvider.TimestampFrequency);
        _startTicks = timeProvider.GetTimestamp();
        _nextDueTicks = _startTicks;
    }

    public string Chip { get; }

    public string Bus { get; }

    public double RateHz { get; }

    /// <summary>The newest good reading.</summary>
    public LatestValue<T> Latest { get; } = new();

    /// <summary>Every good reading with its sample time (a single read is stamped with its poll's time).</summary>
    public TimedReadings<T> Readings { get; }

    /// <summary>How long after its sample time a reading may reach <see cref="Readings"/>: zero for single reads.</summary>
    public TimeSpan HandOffDelay { get; }

    /// <summary>Good reads (single readings or bursts) so far.</summary>
    public long GoodReads { get; private set; }

    /// <summary>Failed attempts so far.</summary>
    public long Failures { get; private set; }

    /// <summary>Delay before the next retry while faulted; zero when healthy.</summary>
    public TimeSpan CurrentBackoff => _backoff.CurrentDelay;

    /// <summary>
    /// One poll at <paramref name="nowTicks"/>: reads when due (and not backing off), publishes or reports.
    /// Returns the timestamp of the next poll.
    /// </summary>
    public long PollOnce(long nowTicks)
    {
        if (nowTicks < _nextDueTicks || !_backoff.MayAttempt(nowTicks))
        {
            return Math.Max(_nextDueTicks, nowTicks + 1);
        }

        var timeSeconds = (nowTicks - _startTicks) / (double)_time.TimestampFrequency;
        if (TryRead(nowTicks, timeSeconds, out var fault))
        {
            _backoff.RecordSuccess();
            if (_openFault is not null)
            {
                _status.ReportRecovered(_openFault.Chip, _openFault.Bus, _openFault.Channel);
                _openFault = null;
            }

            // Keep the grid: the next poll is a period after this one's due time, not after the read.
            _nextDueTicks = Math.Max(_nextDueTicks + _periodTicks, nowTicks + 1);
            return _nextDueTicks;
        }

        Failures++;
        _backoff.RecordFailure(nowTicks);
        if (_openFault is null)
        {
            _openFault = fault;
            _status.ReportFault(fault);
        }

        _nextDueTicks = nowTicks + (long)(_backoff.CurrentDelay.TotalSeconds * _time.TimestampFrequency);
        return _nextDueTicks;
    }

    private bool TryRead(long nowTicks, double timeSeconds, [NotNullWhen(false)] out SensorFault? fault)
    {
        if (_burstRead is not null)
        {
            if (!_burstRead(new SensorPoll(nowTicks, _time.TimestampFrequency, timeSeconds), Readings, out fault))
            {
                return false;
            }

            if (Readings.TryPeekNewest(out var newest))
            {
                Latest.Publish(newest);
            }
        }
        else
        {
            if (!_read!(timeSeconds, out var value, out fault))
            {
                return false;
            }

            Readings.Publish(nowTicks, value);
            Latest.Publish(value);
        }

        GoodReads++;
        return true;
    }

    /// <summary>Starts the worker thread.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The worker is already running.");
        }

        _startTicks = _time.GetTimestamp();
        _nextDueTicks = _startTicks;
        _thread = new Thread(Run) { IsBackground = true, Name = $"crampsense-{Chip}" };
        _thread.Start();
    }

    /// <summary>Stops the worker thread (waits for a read in progress to finish).</summary>
    public void Stop()
    {
        _stop.Set();
        _thread?.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        _ownedSensor?.Dispose();
        _ownedSensor = null;
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsSet)
        {
            var next = PollOnce(_time.GetTimestamp());
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                // Wait(TimeSpan) truncates to whole milliseconds: a 0.7 ms remainder would become Wait(0) and the
                // thread would spin until the poll is due (≈ 9 % of a core for a 100 Hz IMU). Round up instead.
                _stop.Wait((int)Math.Ceiling(wait.TotalMilliseconds));
            }
        }
    }
}

using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Motion;
using CrampSense.Signals.Recordings;

namespace CrampSense.Sensors.Sampling;

/// <summary>How the sampling thread waits for its slots (docs/hardware.md, "Sampling: pacing modes").</summary>
public enum SamplingPacing
{
    /// <summary>
    /// Sleep until about 2 ms before each slot, then spin on the clock and read the slot when it is due: each
    /// sample is read within microseconds of its slot time, at the price of one busy core at 1–2 kHz.
    /// </summary>
    Spin = 0,

    /// <summary>
    /// Sleep until a batch of slots is due (every <see cref="AcquisitionSettings.BatchPeriod"/>), then read the
    /// due slots back to back, each stamped with its slot time. Few wake-ups and no spinning, but a sample is
    /// read up to one batch after its slot time and the reads of a batch are only an SPI transaction apart:
    /// the signal is really sampled in bursts at 1 / batch period.
    /// </summary>
    Batch = 1,

    /// <summary>
    /// Sleep precisely until each slot (Linux clock_nanosleep, sub-millisecond), then read it: samples are read
    /// at their slot time plus the kernel's wake-up latency (timer slack 50 µs plus scheduling), with one short
    /// wake-up per slot instead of a busy core. Elsewhere than Linux it behaves like <see cref="Spin"/>.
    /// </summary>
    Sleep = 2,
}

/// <summary>Tuning of the <see cref="AcquisitionEngine"/>.</summary>
public sealed record AcquisitionSettings
{
    /// <summary>EMG sample rate per channel (1000–2000 Hz).</summary>
    public double EmgRateHz { get; init; } = 1000;

    /// <summary>Frames the hand-off ring holds (≈ 1 s at 1 kHz by default).</summary>
    public int RingCapacity { get; init; } = 1024;

    /// <summary>
    /// The default of <see cref="LatenessTolerancePeriods"/> and of <c>Sensors:Emg:LatenessTolerancePeriods</c>
    /// (<see cref="Configuration.EmgOptions"/>): 4 periods (4 ms at 1 kHz). A wake-up of the sampling thread a few
    /// milliseconds late (the scheduler on a busy core, a gen0 GC pause that holds the thread when it returns from its
    /// sleep) is caught up with a short burst instead of a gap; with 1 the service dropped 290 slots in 134 s on the
    /// build VM (docs/hardware.md, "Sampling: pacing modes").
    /// </summary>
    public const double DefaultLatenessTolerancePeriods = 4;

    /// <summary>
    /// How late, in sample periods, a slot may still be read (1 = strict: a slot is dropped once the next one
    /// is due). Raising it trades timing accuracy (reported as lateness/jitter) for fewer gaps on a busy system.
    /// </summary>
    public double LatenessTolerancePeriods { get; init; } = DefaultLatenessTolerancePeriods;

    /// <summary>How the sampling thread waits: precise sleep per slot (default), spin, or sleep per batch of slots.</summary>
    public SamplingPacing Pacing { get; init; } = SamplingPacing.Sleep;

    /// <summary>
    /// <see cref="SamplingPacing.Batch"/> only: how often the thread wakes to read the slots due since the last
    /// batch. A slot then may be up to one batch plus <see cref="LatenessTolerancePeriods"/> late before it is dropped.
    /// </summary>
    public TimeSpan BatchPeriod { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Length of a lead-off decision window.</summary>
    public TimeSpan LeadOffWindow { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>First retry of a failed ADC; doubles up to <see cref="MaximumBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaximumBackoff { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The EMG sampling thread: paced by the monotonic clock of a <see cref="TimeProvider"/>, it reads every wired
/// ADC channel once per slot, watches each channel for lead-off, attaches the newest skin temperature and the
/// acceleration sampled by the slot's time (less the motion worker's hand-off delay: the IMU is read from its FIFO in
/// bursts), and hands the frame to the pipeline through a <see cref="FrameRing"/>.
/// </summary>
/// <remarks>
/// Timestamps: a frame's <see cref="RecordingFrame.TimeSeconds"/> is its slot's nominal time, index / rate
/// from <see cref="Start"/>; the actual read delay is measured as lateness/jitter in <see cref="Statistics"/>.
/// Slots are lost in three counted ways: the thread woke too late (dropped), the ADC failed (faulted), the
/// consumer lagged (hand-off dropped). A lost slot leaves a gap in the sample indices; nothing is invented.
/// An ADC failure opens one fault and is retried with back-off while temperature and motion keep being read
/// by their own workers. Ownership: the engine owns the ADC and the workers it is given and disposes them.
/// </remarks>
public sealed class AcquisitionEngine : IFrameSource
{
    private readonly Mcp3xxxEmgAdc _adc;
    private readonly TimeProvider _time;
    private readonly PolledSensorWorker<float>? _temperature;
    private readonly PolledSensorWorker<ImuReading>? _motion;
    private readonly LeadOffDetector[] _leadOff;
    private readonly SensorFaultKind?[] _leadOffOpen;
    private readonly int[] _counts;
    private readonly float[] _millivolts;
    // No spinning before a wait blocks (see PolledSensorWorker): Spin and Batch pacing wait on it between slots.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private SamplePacer _pacer;
    private SensorRetryBackoff _adcBackoff;
    private SensorFault? _adcFault;
    private long _startTicks;
    private long _temperatureVersion;
    private readonly long _motionDelayTicks;
    private Thread? _thread;
    private bool _disposed;

    public AcquisitionEngine(
        Mcp3xxxEmgAdc adc,
        AcquisitionSettings settings,
        TimeProvider timeProvider,
        SensorStatusLog status,
        PolledSensorWorker<float>? temperature = null,
        PolledSensorWorker<ImuReading>? motion = null)
    {
        _adc = adc ?? throw new ArgumentNullException(nameof(adc));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Status = status ?? throw new ArgumentNullException(nameof(status));
        _temperature = temperature;
        _motion = motion;
        _motionDelayTicks = motion is null ? 0 : (long)Math.Ceiling(motion.HandOffDelay.TotalSeconds * timeProvider.TimestampFrequency);

        var channels = adc.Channels.Count;
        Layout = new RecordingLayout(settings.EmgRateHz, adc.Channels.Select(c => c.Site), temperature is not null, motion is not null);
        Frames = new FrameRing(settings.RingCapacity, channels);
        Statistics = new SamplingStatistics(settings.EmgRateHz, timeProvider.TimestampFrequency);
        var window = Math.Max(2, (int)Math.Round(settings.LeadOffWindow.TotalSeconds * settings.EmgRateHz));
        LeadOffWindowSamples = window;
        _leadOff = adc.Conversions.ToArray().Select(c => new LeadOffDetector(window, c.FullScaleCount)).ToArray();
        _leadOffOpen = new SensorFaultKind?[channels];
        _counts = new int[channels];
        _millivolts = new float[channels];
        _adcBackoff = new SensorRetryBackoff(settings.InitialBackoff, settings.MaximumBackoff, timeProvider.TimestampFrequency);
        if (settings.Pacing == SamplingPacing.Batch && settings.BatchPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.BatchPeriod, "The batch period must be positive.");
        }

        BatchSlots = settings.Pacing == SamplingPacing.Batch ? Math.Max(1, (int)Math.Round(settings.BatchPeriod.TotalSeconds * settings.EmgRateHz)) : 1;
        _startTicks = timeProvider.GetTimestamp();
        _pacer = CreatePacer(_startTicks);
    }

    /// <summary>Slots read per wake-up: 1 when spinning, batch period × rate in batch mode.</summary>
    public int BatchSlots { get; }

    public AcquisitionSettings Settings { get; }

    /// <summary>What the frames hold: rate, sites in channel order, whether temperature/acceleration appear.</summary>
    public RecordingLayout Layout { get; }

    /// <summary>The hand-off to the pipeline (single consumer).</summary>
    public FrameRing Frames { get; }

    public SamplingStatistics Statistics { get; }

    public SensorStatusLog Status { get; }

    /// <summary>Live sensors never complete.</summary>
    public bool Completed => false;

    /// <summary>The ADC (for reports: chip, bus, channel map).</summary>
    public Mcp3xxxEmgAdc Adc => _adc;

    /// <summary>Samples per lead-off decision: no verdict exists before this many slots were read.</summary>
    public int LeadOffWindowSamples { get; }

    /// <summary>Peak-to-peak (codes) of the last lead-off window of each channel.</summary>
    public int LastPeakToPeak(int channelIndex) => _leadOff[channelIndex].LastPeakToPeak;

    /// <summary>Lead-off verdict of the last window of each channel (null: connected).</summary>
    public SensorFaultKind? LeadOffVerdict(int channelIndex) => _leadOff[channelIndex].Verdict;

    /// <summary>Starts the slow-sensor workers and the sampling thread; slot 0 is due now.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_thread is not null)
        {
            throw new InvalidOperationException("Acquisition is already running.");
        }

        _temperature?.Start();
        _motion?.Start();
        ResetClock(_time.GetTimestamp());
        _thread = new Thread(Run) { IsBackground = true, Name = "crampsense-emg", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Stops the sampling thread and the workers.</summary>
    public void Stop()
    {
        _stop.Set();
        _thread?.Join();
        _thread = null;
        _temperature?.Stop();
        _motion?.Stop();
    }

    /// <summary>Restarts the slot grid at <paramref name="startTicks"/> (for tests and <see cref="Start"/>).</summary>
    internal void ResetClock(long startTicks)
    {
        _startTicks = startTicks;
        _pacer = CreatePacer(startTicks);
    }

    /// <summary>
    /// In batch mode the first slot of a batch is by design read (batch − 1) periods late, and the wake-up
    /// itself may be up to a millisecond late (sleeps have ms granularity): the tolerance grows by one batch so
    /// that only a batch later than that loses slots.
    /// </summary>
    private SamplePacer CreatePacer(long startTicks) => new(
        Settings.EmgRateHz,
        _time.TimestampFrequency,
        startTicks,
        Settings.LatenessTolerancePeriods + (Settings.Pacing == SamplingPacing.Batch ? BatchSlots : 0));

    /// <summary>Ticks until the last slot of the next batch is due (batch mode's wake-up time).</summary>
    internal long TicksUntilNextBatch(long nowTicks) => Math.Max(0, _pacer.DueTicks(_pacer.NextIndex + BatchSlots - 1) - nowTicks);

    /// <summary>
    /// One batch-mode wake-up: reads every slot due now, back to back, each at the clock's current time (so
    /// lateness is the real read delay). Bounded, so the thread checks for Stop even when it cannot keep up.
    /// Returns the slots taken (read, faulted or dropped on hand-off).
    /// </summary>
    internal int StepBatch()
    {
        var taken = 0;
        var limit = (2 * BatchSlots) + (int)Math.Ceiling(Settings.LatenessTolerancePeriods);
        while (taken < limit && Step(_time.GetTimestamp()))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>Ticks until the next slot is due.</summary>
    internal long TicksUntilNextSlot(long nowTicks) => _pacer.TicksUntilDue(nowTicks);

    /// <summary>
    /// One step of the sampling thread at <paramref name="nowTicks"/>: takes the due slot (if any), reads it,
    /// and publishes the frame. Returns false when no slot was due. Allocation-free unless a fault opens.
    /// </summary>
    internal bool Step(long nowTicks)
    {
        if (!_pacer.TryTakeSlot(nowTicks, out var index, out var dropped, out var lateness))
        {
            return false;
        }

        if (dropped > 0)
        {
            Statistics.RecordDropped(dropped);
        }

        if (!_adcBackoff.MayAttempt(nowTicks))
        {
            Statistics.RecordFaulted();
            return true;
        }

        var timeSeconds = index / Settings.EmgRateHz;
        if (!_adc.TryRead(_counts, _millivolts, timeSeconds, out var fault))
        {
            _adcBackoff.RecordFailure(nowTicks);
            Statistics.RecordFaulted();
            if (_adcFault is null)
            {
                // One fault per chip, whichever channel failed first.
                _adcFault = fault with { Channel = -1, Site = null };
                Status.ReportFault(_adcFault);
            }

            return true;
        }

        if (_adcFault is not null)
        {
            Status.ReportRecovered(_adcFault.Chip, _adcFault.Bus, -1);
            _adcFault = null;
        }

        _adcBackoff.RecordSuccess();
        CheckLeadOff(timeSeconds);

        var frame = Frames.TryBeginWrite();
        if (frame is null)
        {
            Statistics.RecordHandOffDropped();
            return true;
        }

        frame.TimeSeconds = timeSeconds;
        _millivolts.CopyTo(frame.EmgMillivolts, 0);
        frame.ClearSlowSignals();
        if (_temperature is not null && _temperature.Latest.TryTakeNew(ref _temperatureVersion, out var celsius))
        {
            frame.HasSkinTemperature = true;
            frame.SkinTemperatureCelsius = celsius;
        }

        // The reading sampled by this slot's time minus the worker's hand-off delay: a burst-read IMU's readings land one
        // frame each, at their own times (a constant delay), instead of a burst's worth on one frame.
        if (_motion is not null && _motion.Readings.TryTakeDue(_pacer.DueTicks(index) - _motionDelayTicks, out var imu))
        {
            frame.HasAcceleration = true;
            frame.AccelerationXG = imu.AccelerationG.X;
            frame.AccelerationYG = imu.AccelerationG.Y;
            frame.AccelerationZG = imu.AccelerationG.Z;
        }

        Frames.CommitWrite(index);
        Statistics.RecordSample(nowTicks, lateness);
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        _temperature?.Dispose();
        _motion?.Dispose();
        _adc.Dispose();
        Frames.Dispose();
        _stop.Dispose();
        _disposed = true;
    }

    private void CheckLeadOff(double timeSeconds)
    {
        for (var i = 0; i < _leadOff.Length; i++)
        {
            if (!_leadOff[i].Add(_counts[i]))
            {
                continue;
            }

            var verdict = _leadOff[i].Verdict;
            if (verdict == _leadOffOpen[i])
            {
                continue;
            }

            var channel = _adc.Channels[i];
            if (_leadOffOpen[i] is not null)
            {
                Status.ReportRecovered(_adc.Chip, _adc.Bus, channel.AdcChannel);
            }

            if (verdict is SensorFaultKind kind)
            {
                var message = kind == SensorFaultKind.Railed
                    ? $"Input at the ADC rail (code {_counts[i]}): electrode off or amplifier saturated."
                    : $"Input flat ({_leadOff[i].LastPeakToPeak} codes peak-to-peak over {Settings.LeadOffWindow.TotalMilliseconds} ms): electrode off?";
                Status.ReportFault(new SensorFault(_adc.Chip, _adc.Bus, channel.AdcChannel, channel.Site, kind, message, timeSeconds));
            }

            _leadOffOpen[i] = verdict;
        }
    }

    private void Run()
    {
        if (Settings.Pacing == SamplingPacing.Batch)
        {
            RunBatches();
            return;
        }

        if (Settings.Pacing == SamplingPacing.Sleep && PreciseSleep.IsAvailable)
        {
            RunSleeping();
            return;
        }

        while (!_stop.IsSet)
        {
            var now = _time.GetTimestamp();
            var wait = _pacer.TicksUntilDue(now);
            if (wait == 0)
            {
                Step(now);
                continue;
            }

            // Thread.Sleep/Wait has ~1 ms granularity on Linux and Thread.Yield may hand the core away for a
            // whole time slice, so: sleep while the slot is more than 2 ms away, then spin on the clock. At
            // 1–2 kHz this keeps one core busy — the price of slot-accurate timing without a hardware-timed ADC.
            var waitSeconds = wait / (double)_time.TimestampFrequency;
            if (waitSeconds > 0.002)
            {
                _stop.Wait(TimeSpan.FromSeconds(waitSeconds - 0.0015));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private void RunSleeping()
    {
        while (!_stop.IsSet)
        {
            var now = _time.GetTimestamp();
            var wait = _pacer.TicksUntilDue(now);
            if (wait == 0)
            {
                Step(now);
                continue;
            }

            // At most one period (≤ 1 ms): Stop is noticed within a slot.
            PreciseSleep.Sleep((long)(wait * 1e9 / _time.TimestampFrequency));
        }
    }

    private void RunBatches()
    {
        while (!_stop.IsSet)
        {
            StepBatch();
            var wait = TicksUntilNextBatch(_time.GetTimestamp());
            if (wait > 0)
            {
                // Wait(TimeSpan) truncates to whole milliseconds; round up so that the thread never wakes before
                // the batch is due (and then has nothing to read but a sub-millisecond wait, i.e. a busy loop).
                var milliseconds = (int)Math.Ceiling(wait * 1000.0 / _time.TimestampFrequency);
                _stop.Wait(milliseconds);
            }
        }
    }
}

using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Motion;
using CrampSense.Signals.Recordings;

namespace CrampSense.Sensors.Sampling;

/// <summary>Health of one EMG channel as the sampling thread sees it now (flags).</summary>
[Flags]
public enum EmgChannelHealth
{
    /// <summary>Reading and connected.</summary>
    None = 0,

    /// <summary>The last lead-off window was at an ADC rail.</summary>
    Railed = 1,

    /// <summary>The last lead-off window was flat (lead-off).</summary>
    Flat = 2,

    /// <summary>The ADC is failing or backing off: samples of every channel are missing.</summary>
    AdcFault = 4,
}

/// <summary>Tuning of the <see cref="AcquisitionEngine"/>.</summary>
public sealed record AcquisitionSettings
{
    /// <summary>EMG sample rate per channel (1000–2000 Hz).</summary>
    public double EmgRateHz { get; init; } = 1000;

    /// <summary>Frames the hand-off ring holds (≈ 1 s at 1 kHz by default).</summary>
    public int RingCapacity { get; init; } = 1024;

    /// <summary>
    /// How late, in sample periods, a slot may still be read (1 = strict: a slot is dropped once the next one
    /// is due). Raising it trades timing accuracy (reported as lateness/jitter) for fewer gaps on a busy system.
    /// </summary>
    public double LatenessTolerancePeriods { get; init; } = 1;

    /// <summary>Length of a lead-off decision window.</summary>
    public TimeSpan LeadOffWindow { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>First retry of a failed ADC; doubles up to <see cref="MaximumBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaximumBackoff { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The EMG sampling thread: paced by the monotonic clock of a <see cref="TimeProvider"/>, it reads every wired
/// ADC channel once per slot, watches each channel for lead-off, attaches the newest skin temperature and
/// acceleration, and hands the frame to the pipeline through a <see cref="FrameRing"/>.
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
    private readonly ManualResetEventSlim _stop = new(false);
    private SamplePacer _pacer;
    private RetryBackoff _adcBackoff;
    private SensorFault? _adcFault;
    private long _startTicks;
    private long _temperatureVersion;
    private long _motionVersion;
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
        _adcBackoff = new RetryBackoff(settings.InitialBackoff, settings.MaximumBackoff, timeProvider.TimestampFrequency);
        _startTicks = timeProvider.GetTimestamp();
        _pacer = new SamplePacer(settings.EmgRateHz, timeProvider.TimestampFrequency, _startTicks, settings.LatenessTolerancePeriods);
    }

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

    /// <summary>
    /// Health of channel <paramref name="channelIndex"/> (site order) for the pipeline to mark its windows
    /// (e.g. as the detector's SignalFaults), so that a railed or flat electrode never reads as a contraction.
    /// Allocation-free; reflects the sampling thread's latest state, which runs ahead of the consumer by at
    /// most the frames waiting in the ring.
    /// </summary>
    public EmgChannelHealth ChannelHealth(int channelIndex)
    {
        var health = Volatile.Read(ref _adcFault) is null ? EmgChannelHealth.None : EmgChannelHealth.AdcFault;
        return health | (_leadOffOpen[channelIndex] switch
        {
            SensorFaultKind.Railed => EmgChannelHealth.Railed,
            SensorFaultKind.Flat => EmgChannelHealth.Flat,
            _ => EmgChannelHealth.None,
        });
    }

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
        _pacer = new SamplePacer(Settings.EmgRateHz, _time.TimestampFrequency, startTicks, Settings.LatenessTolerancePeriods);
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

        if (_motion is not null && _motion.Latest.TryTakeNew(ref _motionVersion, out var imu))
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
}

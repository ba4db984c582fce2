using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using CrampSense.Coaching;
using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.FirmwareHost.Configuration;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Sampling;
using CrampSense.Signals.Features;
using CrampSense.Wearable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using CoachPatterns = CrampSense.Coaching.HapticPattern;
using MotorPattern = CrampSense.Sensors.Haptics.HapticPattern;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The service's pipeline: frames from the source (on the source's own sampling thread) → the detector on one
/// dedicated thread → events, sensor faults and 1 Hz telemetry into a queue → one dispatcher that puts them into
/// the MQTT outbox, asks the coach, publishes its prompts and plays the motor. Each part is fenced off: a sensor
/// that fails to open is reported and retried, a publish or motor failure is logged, and detection goes on.
/// </summary>
/// <remarks>
/// Stopping (SIGTERM): the source is stopped, the frames already sampled are processed (so the current window
/// completes), the detector is flushed (a running cramp ends with <c>end_of_recording</c>), every event is put
/// into the outbox, and the broker gets up to <c>Host:DrainSeconds</c> to take them before the messaging
/// service publishes <c>offline</c> and disconnects. What the broker did not take stays in the outbox.
/// </remarks>
internal sealed partial class DetectionPipeline(
    CrampSenseHostOptions options,
    IFrameSourceFactory sources,
    MqttPublisher publisher,
    MessagingOptions messaging,
    CoachOptions coachOptions,
    PipelineState state,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DetectionPipeline> logger) : BackgroundService
{
    /// <summary>Logical name of the model built into the host (models/crampsense-detector.zip).</summary>
    public const string EmbeddedModel = "crampsense-detector.zip";

    private static readonly TimeSpan CoachTickPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SnapshotPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConsumerPollPeriod = TimeSpan.FromMilliseconds(10);
    private volatile HapticMotor? _motor;

    /// <summary>The publisher through the contract's port: storage failures arrive as <see cref="IOException"/>.</summary>
    private IContractPublisher Outbox => publisher;

    private enum Outcome
    {
        Stopped,
        Ended,
        Failed,
    }

    /// <summary>Set when the last session ended because the recording or <c>Host:DurationSeconds</c> ended.</summary>
    public bool Ended { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = LoadModel();
        var profile = LoadProfile();
        var clock = new SessionClock(time.GetUtcNow());
        var coach = new CrampCoach(messaging.DeviceId, coachOptions, clock, TimeZoneInfo.Local);
        using var history = OpenHistory(coach, clock);
        var outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        var dispatcher = Task.Run(() => DispatchAsync(outgoing.Reader, coach, history), CancellationToken.None);
        LogStarting(logger, messaging.DeviceId, model.Version, messaging.EffectiveHost, messaging.EffectivePort);

        while (!stoppingToken.IsCancellationRequested)
        {
            state.Beat(time.GetTimestamp());
            SourceSession session;
            try
            {
                session = sources.Open();
            }
            catch (Exception ex) when (IsSourceFailure(ex))
            {
                ReportSourceFailure(outgoing.Writer, clock, ex);
                if (!await WaitBeforeRetryAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            Outcome outcome;
            using (session)
            {
                state.Source = session.Description;
                state.SourceError = null;
                _motor = session.Motor;
                var sites = string.Join(",", session.Source.Layout.Sites);
                LogSourceOpened(logger, session.Description, sites, session.Source.Layout.SampleRateHz);
                outcome = await Task.Factory.StartNew(
                    () => RunDetection(session, model, profile, clock, outgoing.Writer, stoppingToken),
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).ConfigureAwait(false);
                if (outcome != Outcome.Failed)
                {
                    // Let the dispatcher finish with this session's motor before it is closed.
                    outgoing.Writer.TryComplete();
                    await dispatcher.ConfigureAwait(false);
                }

                _motor = null;
            }

            if (outcome == Outcome.Failed)
            {
                if (!await WaitBeforeRetryAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            Ended = outcome == Outcome.Ended;
            break;
        }

        outgoing.Writer.TryComplete();
        await dispatcher.ConfigureAwait(false);
        await DrainAsync(Ended ? messaging.OperationTimeout : options.DrainTimeout).ConfigureAwait(false);
        LogStopped(logger, state.EventCount, state.PromptCount, publisher.Outbox.Statistics.Pending);
        if (Ended && options.ExitAtEnd)
        {
            lifetime.StopApplication();
        }
    }

    private static bool IsSourceFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException
            or DllNotFoundException or System.ComponentModel.Win32Exception or ArgumentException or TypeInitializationException
            or Signals.Recordings.RecordingFormatException; // a recording replaced by a malformed one since the start

    private async Task<bool> WaitBeforeRetryAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.SourceRetry, time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ReportSourceFailure(ChannelWriter<Outgoing> writer, SessionClock clock, Exception ex)
    {
        state.SourceError = ex.Message;
        LogSourceFailed(logger, ex.Message, options.SourceRetry.TotalSeconds);
        writer.TryWrite(new SensorItem(
            new SensorStatusEvent(SensorStatusChange.Faulted, new SensorFault("sensors", $"Source:Kind={options.SourceKind}", -1, null, SensorFaultKind.BusError, ex.Message, clock.GetUtcNow().Subtract(clock.Start).TotalSeconds)),
            clock.GetUtcNow()));
    }

    private Outcome RunDetection(SourceSession session, CrampModel model, PersonalProfile? profile, SessionClock clock, ChannelWriter<Outgoing> writer, CancellationToken stopping)
    {
        var source = session.Source;
        var layout = source.Layout;
        var sink = new QueueingSink(writer, clock);
        // On the sensors the full scale of every channel follows from its ADC and gain; a recording carries its full_scale_mv key.
        var features = source is AcquisitionEngine engine
            ? new FeatureExtractorOptions { SiteFullScale = engine.Adc.FullScaleBySite() }
            : FeatureExtractorOptions.Default;
        var detector = new CrampDetector(layout, model, sink, new CrampDetectorOptions { Device = messaging.DeviceId, Profile = profile, Features = features });
        var telemetry = new TelemetryAggregator(layout.Sites, profile, options.TelemetryPeriod);
        var frame = layout.CreateFrame();
        var crampActive = new Func<int, bool>(s => detector.TrackerState(s) == CrampTrackerState.Cramp);
        var nextTick = CoachTickPeriod.TotalSeconds;
        var activity = new ActivityEstimator();
        var nextSnapshot = 0.0;
        var limit = options.Duration?.TotalSeconds ?? double.PositiveInfinity;
        long pendingFrames = 0;
        var outcome = Outcome.Stopped;
        try
        {
            source.Start();
        }
        catch (Exception ex) when (IsSourceFailure(ex))
        {
            ReportSourceFailure(writer, clock, ex);
            return Outcome.Failed;
        }

        var timeOffset = double.NaN;
        try
        {
            while (true)
            {
                if (source.Frames.TryRead(frame, out _))
                {
                    ProcessFrame();
                    if (detector.LastRowSeconds >= limit)
                    {
                        outcome = Outcome.Ended;
                        break;
                    }

                    if ((++pendingFrames & 0xFF) != 0)
                    {
                        continue;
                    }
                }

                state.OnFrames(pendingFrames, detector.LastRowSeconds);
                pendingFrames = 0;
                state.Beat(time.GetTimestamp());
                ForwardSensorStatus(source.Status, writer, clock);
                if (detector.LastRowSeconds >= limit)
                {
                    outcome = Outcome.Ended;
                    break;
                }

                if (stopping.IsCancellationRequested)
                {
                    outcome = Outcome.Stopped;
                    break;
                }

                if (source.Frames.Count == 0)
                {
                    if (source.Completed)
                    {
                        outcome = Outcome.Ended;
                        if (source is ReplaySource { Failure: { } failure })
                        {
                            LogReplayFailed(logger, failure.Message);
                            state.ReplayFailure = failure.Message;
                        }

                        break;
                    }

                    // Poll every few milliseconds instead of waking on every frame (the ring signals each commit:
                    // 1 000 wake-ups a second at 1 kHz, which cost more CPU than the detector). The detector works
                    // in 50 ms hops and the ring holds seconds, so the delay changes nothing.
                    stopping.WaitHandle.WaitOne(ConsumerPollPeriod);
                }
            }
        }
        finally
        {
            // Finish what was sampled: stop the source, take the frames still in the ring, end running cramps.
            source.Stop();
            while (source.Frames.TryRead(frame, out _) && detector.LastRowSeconds < limit)
            {
                ProcessFrame();
            }

            var end = detector.LastRowSeconds + (1.0 / layout.SampleRateHz);
            detector.Flush(end);
            ForwardSensorStatus(source.Status, writer, clock);
            state.OnFrames(pendingFrames, detector.LastRowSeconds);
            var report = source.Statistics.Snapshot();
            var outcomeName = outcome.ToString();
            LogSessionEnded(logger, outcomeName, end, report.DroppedSlots, report.HandOffDropped);
        }

        return outcome;

        void ProcessFrame()
        {
            // The session clock continues across sessions (a sensor re-opened after a failure starts at 0 again).
            if (double.IsNaN(timeOffset))
            {
                timeOffset = Math.Max(0, clock.GetUtcNow().Subtract(clock.Start).TotalSeconds - frame.TimeSeconds);
            }

            clock.AdvanceTo(frame.TimeSeconds + timeOffset);
            try
            {
                if (!detector.Process(frame))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                LogDetectorFailed(logger, ex.Message);
                return;
            }

            var windows = detector.Assessments;
            var seconds = windows[0].EndSeconds;
            if (telemetry.Add(windows, crampActive, messaging.DeviceId, clock.GetUtcNow()) is { } messages)
            {
                writer.TryWrite(new TelemetryItem(messages));
            }

            var moving = false;
            double? skin = null;
            for (var s = 0; s < windows.Length; s++)
            {
                moving |= windows[s].HasMotionContext;
                if (windows[s].HasSkinTemperature)
                {
                    skin = windows[s].SkinTemperatureCelsius;
                }
            }

            if (activity.Update(seconds + timeOffset, moving, skin, out var context))
            {
                writer.TryWrite(new ActivityItem(context, clock.GetUtcNow()));
            }

            if (seconds >= nextTick)
            {
                nextTick = seconds + CoachTickPeriod.TotalSeconds;
                writer.TryWrite(TickItem.Instance);
            }

            if (seconds >= nextSnapshot)
            {
                nextSnapshot = seconds + SnapshotPeriod.TotalSeconds;
                var snapshot = new SiteSnapshot[windows.Length];
                for (var s = 0; s < windows.Length; s++)
                {
                    ref readonly var w = ref windows[s];
                    snapshot[s] = new SiteSnapshot(layout.Sites[s], w.EnvelopeMicrovolts, TelemetryAggregator.ClassName(in w), w.Probabilities.Cramp, detector.TrackerState(s), w.HasSkinTemperature ? w.SkinTemperatureCelsius : null);
                }

                state.OnWindow(snapshot);
            }
        }
    }

    private static void ForwardSensorStatus(SensorStatusLog status, ChannelWriter<Outgoing> writer, SessionClock clock)
    {
        while (status.TryDequeue(out var change))
        {
            writer.TryWrite(new SensorItem(change!, clock.GetUtcNow()));
        }
    }

    /// <summary>
    /// The durable cramp history beside the outbox, with its cramps of the last <c>Coach:SeeDoctor:FrequentWindow</c>
    /// given to the coach; null (the coach then remembers only this run) when the file cannot be used.
    /// </summary>
    private CrampHistoryStore? OpenHistory(CrampCoach coach, TimeProvider clock)
    {
        var path = CrampHistoryStore.PathBeside(messaging.OutboxPath);
        try
        {
            var store = CrampHistoryStore.Open(path, clock.GetUtcNow() - coachOptions.SeeDoctor.FrequentWindow);
            var past = store.Load();
            coach.SeedHistory(past);
            LogHistoryLoaded(logger, past.Count, path);
            return store;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            LogPartFailed(logger, $"cramp history ({path})", ex.Message);
            return null;
        }
    }

    private void RecordHistory(CrampHistoryStore? history, EventItem e)
    {
        try
        {
            history?.Record(e.Event, e.At);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // A full or broken disk costs the history of this cramp, never the detection or the outbox.
            LogPartFailed(logger, "cramp history", ex.Message);
        }
    }

    private async Task DispatchAsync(ChannelReader<Outgoing> reader, CrampCoach coach, CrampHistoryStore? history)
    {
        await foreach (var item in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (item)
            {
                case EventItem e:
                    // Durable before announced: the outbox commit (fsync'ed) comes first, then the live view, the
                    // log, the motor and the coach; a kill -9 in between loses nothing that anyone was told about.
                    await Guarded("event", () => CrampEventPublication.PublishAsync(Outbox, e.Event, e.At, coach: null, CancellationToken.None).AsTask()).ConfigureAwait(false);
                    Announce(e.Event, e.At);
                    RecordHistory(history, e);

                    if (e.Event.Type == CrampEventKind.CrampWarning)
                    {
                        Play(MotorPattern.Warning, e.At);
                    }

                    await PromptAsync(() => coach.OnEvent(e.Event), e.At).ConfigureAwait(false);
                    break;
                case TelemetryItem t:
                    foreach (var message in t.Messages)
                    {
                        await Guarded("telemetry", () => Outbox.PublishTelemetryAsync(message, CancellationToken.None).AsTask()).ConfigureAwait(false);
                    }

                    break;
                case SensorItem s:
                    await SensorStatusAsync(s).ConfigureAwait(false);
                    break;
                case ActivityItem a:
                    await PromptAsync(() => coach.OnActivity(a.Context), a.At).ConfigureAwait(false);
                    break;
                case TickItem:
                    await PromptAsync(coach.Tick, null).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task SensorStatusAsync(SensorItem item)
    {
        var fault = item.Status.Fault;
        if (item.Status.Change == SensorStatusChange.Recovered)
        {
            LogSensorRecovered(logger, fault.Chip, fault.Bus, fault.Channel);
            return;
        }

        LogSensorFault(logger, fault.ToString());
        var code = FaultCode(fault.Kind);
        var message = ContractMapping.ToSensorFaultMessage(messaging.DeviceId, fault.Site, code, fault.ToString(), item.At);
        state.OnEvent(string.Create(CultureInfo.InvariantCulture, $"{item.At:HH:mm:ss} sensor_fault {message.Site}: {fault.Chip} {code}"));
        await Guarded("fault", () => Outbox.PublishFaultAsync(message, CancellationToken.None).AsTask()).ConfigureAwait(false);
        Play(MotorPattern.Warning, item.At);
    }

    /// <summary>Contract fault codes for sensor faults (snake case of the kind).</summary>
    internal static string FaultCode(SensorFaultKind kind) => kind switch
    {
        SensorFaultKind.BusError => FaultCodes.BusError,
        SensorFaultKind.ChipMissing => FaultCodes.ChipMissing,
        SensorFaultKind.ChecksumError => FaultCodes.ChecksumError,
        SensorFaultKind.Railed => FaultCodes.Railed,
        SensorFaultKind.Flat => FaultCodes.Flat,
        _ => FaultCodes.NoData,
    };

    private async Task PromptAsync(Func<IReadOnlyList<CoachPrompt>> ask, DateTimeOffset? at)
    {
        IReadOnlyList<CoachPrompt> prompts;
        try
        {
            prompts = ask();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            LogPartFailed(logger, "coach", ex.Message);
            return;
        }

        foreach (var prompt in prompts)
        {
            var kind = CoachPrompt.KindName(prompt.Kind);
            state.OnPrompt(string.Create(CultureInfo.InvariantCulture, $"{prompt.CreatedAt:HH:mm:ss} {kind} {prompt.Site}: {prompt.Title}"));
            LogPrompt(logger, kind, prompt.Site, prompt.Title, prompt.HapticPattern);
            await Guarded("prompt", () => Outbox.PublishPromptAsync(ContractMapping.ToPromptMessage(prompt, messaging.DeviceId), CancellationToken.None).AsTask()).ConfigureAwait(false);
            Play(prompt.HapticPattern switch
            {
                CoachPatterns.CrampAlert => MotorPattern.CrampAlert,
                CoachPatterns.Attention => MotorPattern.Warning,
                _ => MotorPattern.Prompt,
            }, at ?? prompt.CreatedAt);
        }
    }

    private void Play(MotorPattern pattern, DateTimeOffset at)
    {
        var motor = _motor;
        if (motor is null)
        {
            return;
        }

        try
        {
            if (motor.Play(pattern))
            {
                state.LastHaptic = string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {pattern.Name} on {(motor.UsesPwm ? motor.Output : "GPIO" + motor.Pin.ToString(CultureInfo.InvariantCulture))}");
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException)
        {
            LogPartFailed(logger, "haptic motor", ex.Message);
        }
    }

    private async Task Guarded(string what, Func<Task> publish)
    {
        try
        {
            await publish().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            LogPartFailed(logger, "outbox (" + what + ")", ex.Message);
        }
    }

    private async Task DrainAsync(TimeSpan timeout)
    {
        if (!publisher.IsConnected || publisher.Outbox.Statistics.Pending == 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        try
        {
            await publisher.WaitUntilDeliveredAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(logger, publisher.Outbox.Statistics.Pending, timeout.TotalSeconds);
        }
    }

    private CrampModel LoadModel()
    {
        if (options.ModelPath is { } path)
        {
            using var file = File.OpenRead(path);
            return CrampModel.Load(file, Path.GetFileNameWithoutExtension(path));
        }

        using var embedded = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedModel)
            ?? throw new InvalidOperationException("No model embedded in this build; set Detection:ModelPath.");
        return CrampModel.Load(embedded);
    }

    private PersonalProfile? LoadProfile()
    {
        if (options.ProfilePath is not { } path)
        {
            return null;
        }

        using var text = File.OpenText(path);
        return PersonalProfile.Load(text, path);
    }

    /// <summary>
    /// Receives the detector's events on the detection thread and queues them for the dispatcher (never blocks,
    /// never throws). It announces nothing: the dispatcher logs and shows an event only once it is in the outbox.
    /// </summary>
    private sealed class QueueingSink(ChannelWriter<Outgoing> writer, SessionClock clock) : ICrampEventSink
    {
        public void OnEvent(CrampEvent cramp) =>
            writer.TryWrite(new EventItem(cramp, clock.At(CrampEventPublication.EmittedSeconds(cramp))));
    }

    /// <summary>The live view's line and the log line of an event, once it is durable.</summary>
    private void Announce(CrampEvent cramp, DateTimeOffset at)
    {
        var type = TypeName(cramp.Type);
        state.OnEvent(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {type} {cramp.Site} onset {cramp.OnsetSeconds:0.0} s{(cramp.DurationSeconds is double d ? $", {d:0.0} s" : string.Empty)}"));
        LogEvent(logger, type, cramp.Site, cramp.OnsetSeconds, cramp.DurationSeconds, cramp.Id);
    }

    private static string TypeName(CrampEventKind kind) => kind switch
    {
        CrampEventKind.CrampStarted => EventMessage.CrampStarted,
        CrampEventKind.CrampEnded => EventMessage.CrampEnded,
        CrampEventKind.CrampWarning => EventMessage.CrampWarning,
        _ => "signal_fault",
    };

    private abstract record Outgoing;

    private sealed record EventItem(CrampEvent Event, DateTimeOffset At) : Outgoing;

    private sealed record TelemetryItem(List<TelemetryMessage> Messages) : Outgoing;

    private sealed record SensorItem(SensorStatusEvent Status, DateTimeOffset At) : Outgoing;

    private sealed record ActivityItem(ActivityContext Context, DateTimeOffset At) : Outgoing;

    private sealed record TickItem : Outgoing
    {
        public static TickItem Instance { get; } = new();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CrampSense host starting: device {Device}, model {ModelVersion}, MQTT {Host}:{Port}")]
    private static partial void LogStarting(ILogger logger, string device, string modelVersion, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source}: sites {Sites} at {RateHz} Hz")]
    private static partial void LogSourceOpened(ILogger logger, string source, string sites, double rateHz);

    [LoggerMessage(Level = LogLevel.Error, Message = "Source failed to open: {Reason}; detection waits, retrying in {RetrySeconds} s")]
    private static partial void LogSourceFailed(ILogger logger, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cramp history: {Count} cramp(s) of the last days from {Path}")]
    private static partial void LogHistoryLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording stopped early: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session ended ({Outcome}) at {EndSeconds:0.###} s; dropped slots {Dropped}, hand-off drops {HandOffDropped}")]
    private static partial void LogSessionEnded(ILogger logger, string outcome, double endSeconds, long dropped, long handOffDropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Detector failed on a frame: {Reason}; continuing")]
    private static partial void LogDetectorFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Part} failed: {Reason}; detection goes on")]
    private static partial void LogPartFailed(ILogger logger, string part, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor fault: {Fault}")]
    private static partial void LogSensorFault(ILogger logger, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor recovered: {Chip} on {Bus} channel {Channel}")]
    private static partial void LogSensorRecovered(ILogger logger, string chip, string bus, int channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Type} on {Site}: onset {OnsetSeconds:0.###} s, duration {DurationSeconds} s ({EventId})")]
    private static partial void LogEvent(ILogger logger, string type, string site, double onsetSeconds, double? durationSeconds, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Prompt {Kind} for {Site}: {Title} (haptic {Haptic})")]
    private static partial void LogPrompt(ILogger logger, string kind, string? site, string title, string haptic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pending} message(s) not yet taken by the broker after {Seconds} s; they stay in the outbox for the next start")]
    private static partial void LogDrainTimedOut(ILogger logger, long pending, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline stopped: {Events} events, {Prompts} prompts; {Pending} message(s) pending in the outbox")]
    private static partial void LogStopped(ILogger logger, long events, long prompts, long pending);
}

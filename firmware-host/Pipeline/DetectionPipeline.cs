using System.Globalization;
using CrampSense.Coaching;
using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.FirmwareHost.Configuration;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Publishing;
using CrampSense.Contract;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Sampling;
using CrampSense.Signals.Features;
using CrampSense.Wearable;
using CrampSense.Wearable.Clips;
using CrampSense.Wearable.Feedback;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MotorPattern = CrampSense.Sensors.Haptics.HapticPattern;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The service's shell around the wearable's application core (CrampSense.Wearable): it opens the frame source and
/// retries it when it fails, runs the <see cref="DetectionSession"/> on one dedicated thread over the source's frames,
/// queues the session's items to one <see cref="OutgoingDispatcher"/> task (outbox, coach, history, motor), drains on
/// stop and logs. A sensor that fails to open is reported and retried, a publish or motor failure is logged, and
/// detection goes on.
/// </summary>
/// <remarks>
/// Stopping (SIGTERM): the source is stopped, the frames already sampled are processed (so the current window
/// completes), the detector is flushed (a running cramp ends with <c>end_of_recording</c>), every event is put
/// into the outbox, and the broker gets up to <c>Host:DrainSeconds</c> to take them before the messaging
/// service publishes <c>offline</c> and disconnects. What the broker did not take stays in the outbox.
/// </remarks>
internal sealed partial class DetectionPipeline(
    CrampSenseHostOptions options,
    DetectorAssets detector,
    IFrameSourceFactory sources,
    MqttPublisher publisher,
    MessagingOptions messaging,
    CoachOptions coachOptions,
    ClipOptions clipOptions,
    PipelineState state,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DetectionPipeline> logger) : BackgroundService, IHapticAlert, IDispatchObserver, IClipObserver, ILiveSession
{
    /// <summary>
    /// Longest wait for frames: the ring wakes the detection thread once its wake threshold of frames waits (64 ms at
    /// 1 kHz); this bounds the wait for fewer (a slow recording, a stalled source) and how late Stop is noticed.
    /// </summary>
    private static readonly TimeSpan ConsumerMaxWait = TimeSpan.FromMilliseconds(100);
    private volatile HapticMotor? _motor;
    private ClipWriter? _clips;
    private ClipFolder? _clipFolder;

    // The dispatcher's queue, for the clip writer's storage faults (written from the writer's thread).
    private SessionHandOff? _outgoing;

    // The running session as feedback reaches it (ILiveSession): set on the detection thread, read on the dispatcher's.
    private volatile DetectionSession? _live;
    private volatile ClipRecorder? _liveClips;
    private volatile IReadOnlyList<string> _liveSites = [];

    /// <summary>Session second until which the wearer said they exercise; carried into a re-opened source's session.</summary>
    private double _declaredExerciseUntil = double.NegativeInfinity;

    /// <summary>Session seconds reached by the sessions so far (a re-opened source continues from here).</summary>
    private double _sessionSeconds;

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
        var (model, profile) = detector;
        var clock = new SessionClock(time.GetUtcNow());
        var coach = new CrampCoach(messaging.DeviceId, coachOptions, clock, TimeZoneInfo.Local);
        using var history = OpenHistory(coach, clock);
        var outgoing = new SessionHandOff();
        _outgoing = outgoing;
        var clipWriting = StartClips();
        var feedback = new FeedbackApplier(coach, clock, messaging.DeviceId, live: this, clips: _clipFolder, history, observer: this);
        var dispatcher = new OutgoingDispatcher(coach, clock, publisher, haptics: this, history, observer: this, feedback);
        var dispatching = Task.Run(() => outgoing.RunAsync(dispatcher, CancellationToken.None), CancellationToken.None);

        // Commands go through the dispatcher's queue, in order with the events they answer, and are read there.
        publisher.ListenForFeedback(payload => outgoing.Write(new FeedbackItem(payload, _live?.SessionSeconds ?? Volatile.Read(ref _sessionSeconds))));
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
                ReportSourceFailure(outgoing, ex);
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
                    () => RunDetection(session, model, profile, outgoing, stoppingToken),
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).ConfigureAwait(false);
                if (outcome != Outcome.Failed)
                {
                    // Let the dispatcher finish with this session's motor before it is closed.
                    outgoing.Complete();
                    await dispatching.ConfigureAwait(false);
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

        outgoing.Complete();
        await dispatching.ConfigureAwait(false);
        _clips?.Complete();
        await clipWriting.ConfigureAwait(false);
        await DrainAsync(Ended ? messaging.OperationTimeout : options.DrainTimeout).ConfigureAwait(false);
        LogStopped(logger, state.EventCount, state.PromptCount, publisher.Outbox.Statistics.Pending);
        if (Ended && options.ExitAtEnd)
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// The clip writer's task over <c>Clips:Folder</c> (default: <c>&lt;outbox&gt;.clips</c> beside the outbox, in the service's
    /// data directory), or a finished task when clips are off.
    /// </summary>
    private Task StartClips()
    {
        if (!clipOptions.Enabled)
        {
            return Task.CompletedTask;
        }

        _clips = new ClipWriter(clipOptions.QueueCapacity, this);
        var path = clipOptions.Folder ?? ClipFolder.PathBeside(messaging.OutboxPath);
        var folder = new ClipFolder(path, clipOptions, time);
        _clipFolder = folder;
        LogClipsEnabled(logger, folder.Path, clipOptions.PreSeconds, clipOptions.PostSeconds);
        return Task.Factory.StartNew(
            () =>
            {
                RemoveUnfinishedClips(folder);
                return _clips.RunAsync(folder, CancellationToken.None);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>What a killed run left half-written in the clip folder, deleted before this run's writer starts.</summary>
    private void RemoveUnfinishedClips(ClipFolder folder)
    {
        try
        {
            foreach (var file in folder.RemoveUnfinished())
            {
                LogUnfinishedClipRemoved(logger, file);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogPartFailed(logger, $"clip folder {folder.Path}", ex.Message);
        }
    }

    void IClipObserver.OnClipSaved(Clip clip, long bytes) => LogClipSaved(logger, clip.Name, clip.Label.Trigger, bytes);

    /// <summary>
    /// A full queue is logged; a full or failing disk is logged and reported as a fault of the device on the fault
    /// topic (<c>storage_full</c>, <c>storage_error</c>). Detection goes on either way.
    /// </summary>
    void IClipObserver.OnClipFailed(string name, ClipFailure failure, string reason)
    {
        LogPartFailed(logger, $"clip {name}", reason);
        if (failure == ClipFailure.Dropped || _outgoing is not { } outgoing)
        {
            return;
        }

        var code = failure == ClipFailure.DiskFull ? FaultCodes.StorageFull : FaultCodes.StorageError;
        var detail = $"clip {name} not written to {_clipFolder?.Path} ({ClipOptions.SectionName}:Folder): {reason}";
        outgoing.Write(new StorageFaultItem(code, detail, _live?.SessionSeconds ?? Volatile.Read(ref _sessionSeconds)));
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

    private void ReportSourceFailure(SessionHandOff queue, Exception ex)
    {
        state.SourceError = ex.Message;
        LogSourceFailed(logger, ex.Message, options.SourceRetry.TotalSeconds);
        var seconds = Volatile.Read(ref _sessionSeconds);
        queue.Write(FaultItem(new SensorFault("sensors", $"Source:Kind={options.SourceKind}", -1, null, SensorFaultKind.BusError, ex.Message, seconds), seconds));
    }

    private Outcome RunDetection(SourceSession session, CrampModel model, PersonalProfile? profile, SessionHandOff queue, CancellationToken stopping)
    {
        var source = session.Source;
        state.OnSourceOpened(source.Statistics);
        var layout = source.Layout;
        // On the sensors the full scale of every channel follows from its ADC and gain; a recording carries its full_scale_mv key.
        var features = source is AcquisitionEngine engine
            ? new FeatureExtractorOptions { SiteFullScale = engine.Adc.FullScaleBySite() }
            : FeatureExtractorOptions.Default;
        var clips = _clips is { } writer ? new ClipRecorder(layout, clipOptions, messaging.DeviceId, writer.TryEnqueue, time) : null;
        var detection = new DetectionSession(
            layout,
            model,
            new CrampDetectorOptions { Device = messaging.DeviceId, Profile = profile, Features = features },
            clips is null ? queue : new ClipTriggerOutput(queue, clips),
            options.TelemetryPeriod,
            Volatile.Read(ref _sessionSeconds),
            state.OnWindow);
        if (double.IsFinite(Volatile.Read(ref _declaredExerciseUntil)))
        {
            detection.DeclareExercise(Volatile.Read(ref _declaredExerciseUntil));
        }

        _liveClips = clips;
        _liveSites = layout.Sites;
        _live = detection;
        var frame = layout.CreateFrame();
        var limit = options.Duration?.TotalSeconds ?? double.PositiveInfinity;
        long pendingFrames = 0;
        var outcome = Outcome.Stopped;
        try
        {
            source.Start();
        }
        catch (Exception ex) when (IsSourceFailure(ex))
        {
            ReportSourceFailure(queue, ex);
            return Outcome.Failed;
        }

        try
        {
            while (true)
            {
                if (source.Frames.TryRead(frame, out _))
                {
                    ProcessFrame();
                    if (detection.LastRowSeconds >= limit)
                    {
                        outcome = Outcome.Ended;
                        break;
                    }

                    if ((++pendingFrames & 0xFF) != 0)
                    {
                        continue;
                    }
                }

                state.OnFrames(pendingFrames, detection.LastRowSeconds);
                pendingFrames = 0;
                state.Beat(time.GetTimestamp());
                ForwardSensorStatus(source.Status, queue, detection.SessionSeconds);
                if (detection.LastRowSeconds >= limit)
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

                    // Wake per batch of frames, not per frame (1 000 wake-ups a second at 1 kHz cost more CPU than
                    // the detector) and not on a fixed poll (100 wake-ups a second at 10 ms): the detector works in
                    // 50 ms hops and the ring holds a second, so a batch of 64 frames changes nothing downstream.
                    try
                    {
                        source.Frames.WaitForData(ConsumerMaxWait, stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        // Stop: noticed at the top of the loop once the frames already sampled are processed.
                    }
                }
            }
        }
        finally
        {
            // Finish what was sampled: stop the source, take the frames still in the ring, end running cramps.
            source.Stop();
            while (source.Frames.TryRead(frame, out _) && detection.LastRowSeconds < limit)
            {
                ProcessFrame();
            }

            _live = null;
            _liveClips = null;
            var end = detection.Flush();
            clips?.Flush();
            ForwardSensorStatus(source.Status, queue, detection.SessionSeconds);
            state.OnFrames(pendingFrames, detection.LastRowSeconds);
            Volatile.Write(ref _sessionSeconds, detection.SessionSeconds);
            var report = source.Statistics.Snapshot();
            state.OnSourceClosed(report);
            var outcomeName = outcome.ToString();
            LogSessionEnded(logger, outcomeName, end, report.DroppedSlots, report.HandOffDropped);
        }

        return outcome;

        void ProcessFrame()
        {
            try
            {
                clips?.Add(frame);
                detection.Process(frame);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                LogDetectorFailed(logger, ex.Message);
            }
        }
    }

    private void ForwardSensorStatus(SensorStatusLog status, SessionHandOff queue, double seconds)
    {
        while (status.TryDequeue(out var change))
        {
            var fault = change!.Fault;
            if (change.Change == SensorStatusChange.Recovered)
            {
                LogSensorRecovered(logger, fault.Chip, fault.Bus, fault.Channel);
            }
            else
            {
                queue.Write(FaultItem(fault, seconds));
            }
        }
    }

    private static SensorFaultItem FaultItem(SensorFault fault, double seconds) =>
        new(fault.Site, fault.Chip, FaultCode(fault.Kind), fault.ToString(), seconds);

    /// <summary>The contract's fault code of a sensor fault kind.</summary>
    internal static string FaultCode(SensorFaultKind kind) => kind switch
    {
        SensorFaultKind.BusError => FaultCodes.BusError,
        SensorFaultKind.ChipMissing => FaultCodes.ChipMissing,
        SensorFaultKind.ChecksumError => FaultCodes.ChecksumError,
        SensorFaultKind.Railed => FaultCodes.Railed,
        SensorFaultKind.Flat => FaultCodes.Flat,
        _ => FaultCodes.NoData,
    };

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

    IReadOnlyList<string> ILiveSession.Sites => _liveSites;

    /// <summary>A user report: a clip from the running session's buffer (in its source's seconds); true without clips (nothing to cut).</summary>
    bool ILiveSession.ReportCramp(string reportId, string site, double? sessionSeconds)
    {
        if (_live is not { } session)
        {
            return false;
        }

        return _liveClips is not { } clips || clips.Report(reportId, site, sessionSeconds is { } at ? session.ToSourceSeconds(at) : null);
    }

    void ILiveSession.DeclareExercise(double untilSessionSeconds)
    {
        Volatile.Write(ref _declaredExerciseUntil, untilSessionSeconds);
        _live?.DeclareExercise(untilSessionSeconds);
    }

    /// <summary>Plays a cue on the open session's motor (none between sessions); the dispatcher fences off its failures.</summary>
    void IHapticAlert.Play(HapticCue cue, DateTimeOffset at)
    {
        var motor = _motor;
        if (motor is null)
        {
            return;
        }

        var pattern = cue switch
        {
            HapticCue.CrampAlert => MotorPattern.CrampAlert,
            HapticCue.Warning => MotorPattern.Warning,
            _ => MotorPattern.Prompt,
        };
        if (motor.Play(pattern))
        {
            state.LastHaptic = string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {pattern.Name} on {(motor.UsesPwm ? motor.Output : "GPIO" + motor.Pin.ToString(CultureInfo.InvariantCulture))}");
        }
    }

    /// <summary>The live view's line and the log line of an event, once it is durable.</summary>
    void IDispatchObserver.OnEvent(CrampEvent cramp, DateTimeOffset at)
    {
        var type = ContractMapping.TypeName(cramp.Type);
        state.OnEvent(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {type} {cramp.Site} onset {cramp.OnsetSeconds:0.0} s{(cramp.DurationSeconds is double d ? $", {d:0.0} s" : string.Empty)}"));
        LogEvent(logger, type, cramp.Site, cramp.OnsetSeconds, cramp.DurationSeconds, cramp.Id);
    }

    void IDispatchObserver.OnPrompt(CoachPrompt prompt)
    {
        var kind = CoachPrompt.KindName(prompt.Kind);
        state.OnPrompt(string.Create(CultureInfo.InvariantCulture, $"{prompt.CreatedAt:HH:mm:ss} {kind} {prompt.Site}: {prompt.Title}"));
        LogPrompt(logger, kind, prompt.Site, prompt.Title, prompt.HapticPattern);
    }

    void IDispatchObserver.OnSensorFault(SensorFaultItem fault, DateTimeOffset at)
    {
        LogSensorFault(logger, fault.Detail);
        state.OnEvent(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} sensor_fault {fault.Site ?? FaultMessage.DeviceSite}: {fault.Chip} {fault.Code}"));
    }

    void IDispatchObserver.OnPartFailed(string part, string reason) => LogPartFailed(logger, part, reason);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Clips in {Folder}: {PreSeconds} s before to {PostSeconds} s after each event")]
    private static partial void LogClipsEnabled(ILogger logger, string folder, double preSeconds, double postSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip file {Path} was left half-written by a killed run; deleted")]
    private static partial void LogUnfinishedClipRemoved(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {Name} ({Trigger}) written, {Bytes} bytes")]
    private static partial void LogClipSaved(ILogger logger, string name, string trigger, long bytes);

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

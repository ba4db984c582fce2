using CrampSense.FirmwareHost.Pipeline;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using CrampSense.Messaging.Publishing;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>The whole service in-process: simulator or recording → detector → outbox → a broker → a subscriber.</summary>
public sealed partial class DetectionPipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Simulator_DefaultScenario_CrampEventsPromptTelemetryAndStatusReachSubscriber()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        using var host = TestHosts.Build(TestHosts.Simulated(device, broker.Port, TestHosts.TempPath("outbox.db")));

        await RunToEndAsync(host, ct);

        var root = $"crampsense/v1/{device}";
        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/status" && x.Field("state") == "offline"), Timeout, "offline status", ct);
        var events = messages.Where(m => m.Topic == root + "/event").ToList();
        var started = Assert.Single(events, e => e.Field("type") == "cramp_started");
        var ended = Assert.Single(events, e => e.Field("type") == "cramp_ended");
        Assert.Equal("calf", started.Field("site"));
        Assert.Equal(device, started.Field("device"));
        Assert.Equal(started.Field("event_id"), ended.Field("event_id"));
        var onset = double.Parse(started.Field("onset_s")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(onset, 25.4 - 0.5, 25.4 + 0.5); // simulator truth: 25.4 s
        Assert.Equal("quiet", ended.Field("end_reason"));
        Assert.NotNull(started.Field("model_version"));

        var stretch = Assert.Single(messages, m => m.Topic == root + "/prompt" && m.Field("kind") == "stretch");
        Assert.Equal(started.Field("event_id"), stretch.Field("event_id"));
        Assert.Equal("calf", stretch.Field("site"));
        Assert.Equal("high", stretch.Field("urgency"));

        var telemetry = messages.Where(m => m.Topic == root + "/telemetry").ToList();
        Assert.Equal(["calf", "hamstring", "quadriceps", "shin"], telemetry.Select(t => t.Field("site")!).Distinct().Order());
        Assert.InRange(telemetry.Count(t => t.Field("site") == "calf"), 38, 41); // 1 Hz over 40 s
        Assert.True(telemetry.Any(t => t.Field("site") == "calf" && t.Field("cramp_active") == "true"), string.Join("\n", telemetry.Where(t => t.Field("site") == "calf").Select(t => t.Payload)));
        Assert.All(telemetry, t => Assert.NotNull(t.Field("skin_temp_c")));

        var status = messages.Where(m => m.Topic == root + "/status").Select(m => m.Field("state")).ToList();
        Assert.Equal("online", status[0]);
        Assert.Equal("offline", status[^1]);
        var discovery = Assert.Single(messages, m => m.Topic == $"homeassistant/device/{device}/config");
        Assert.Contains($"{device}_calf_cramp", discovery.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_RunThenRest_CoachGetsTheExerciseFromTheAccelerometerAndPromptsADrinkAfterIt()
    {
        // exercise-cramp seed 1 (150 s: running 3–104 s, then a calf cramp), then 200 s of rest. The coach's
        // after-exercise drink needs 20 min of exercise by default; 30 s here so that a short recording shows it.
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var recording = TestHosts.WriteRecording(("exercise-cramp", 1, TimeSpan.FromSeconds(150)), ("rest", 1, TimeSpan.FromSeconds(200)));
        var settings = TestHosts.Replayed(device, broker.Port, TestHosts.TempPath("outbox.db"), recording);
        settings["Coach:Hydration:AfterExerciseMinimumDuration"] = "00:00:30";
        settings["Coach:Hydration:MinimumGap"] = "00:00:00";
        using var host = TestHosts.Build(settings);

        try
        {
            await RunToEndAsync(host, ct);
        }
        finally
        {
            File.Delete(recording);
        }

        var root = $"crampsense/v1/{device}";
        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/status" && x.Field("state") == "offline"), Timeout, "offline status", ct);
        var prompts = messages.Where(m => m.Topic == root + "/prompt").ToList();
        var drink = Assert.Single(prompts, p => p.Field("id")!.Contains(":hydrate:after_exercise:", StringComparison.Ordinal));
        Assert.Equal("hydrate", drink.Field("kind"));
        Assert.Contains(prompts, p => p.Field("kind") == "stretch");
    }

    [Fact]
    public async Task Replay_RecordingWithCramp_RunsToItsEndAndStops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var recording = TestHosts.WriteCrampRecording();
        using var host = TestHosts.Build(TestHosts.Replayed(device, broker.Port, TestHosts.TempPath("outbox.db"), recording));

        try
        {
            await RunToEndAsync(host, ct);
        }
        finally
        {
            File.Delete(recording);
        }

        var pipeline = host.Services.GetRequiredService<DetectionPipeline>();
        Assert.True(pipeline.Ended);
        var state = host.Services.GetRequiredService<PipelineState>();
        Assert.Equal(90_000, state.Frames);
        var messages = await broker.WaitUntilAsync(m => m.Count(x => x.Topic.EndsWith("/event", StringComparison.Ordinal)) >= 2, Timeout, "two events", ct);
        Assert.Contains(messages, m => m.Field("type") == "cramp_started" && m.Field("site") == "calf");
    }

    [Fact]
    public async Task Replay_RecordingWithCramp_WritesItsClipBesideTheOutboxLabelledDetectedUnconfirmed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var recording = TestHosts.WriteCrampRecording();
        var outbox = TestHosts.TempPath("outbox.db");
        using var host = TestHosts.Build(TestHosts.Replayed(device, broker.Port, outbox, recording));

        try
        {
            await RunToEndAsync(host, ct);
        }
        finally
        {
            File.Delete(recording);
        }

        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Field("type") == "cramp_ended"), Timeout, "the cramp's end", ct);
        var started = messages.First(m => m.Field("type") == "cramp_started");
        var folder = new ClipFolder(ClipFolder.PathBeside(outbox), new Wearable.Clips.ClipOptions(), TimeProvider.System);
        var clip = Assert.Single(folder.List(), c => c.Label.Trigger == Wearable.Clips.ClipRecorder.CrampTrigger);
        Assert.Equal(started.Field("event_id"), clip.Label.EventId);
        Assert.Equal((Wearable.Clips.ClipLabel.Detected, Wearable.Clips.ClipStatus.Unconfirmed, device), (clip.Label.Origin, clip.Label.Status, clip.Label.Device));
        var cramp = Assert.Single(clip.Label.Intervals);
        Assert.Equal((TruthKind.Cramp, "calf"), (cramp.Kind, cramp.Site));
        Assert.Equal(0, clip.Label.SourceStartSeconds); // the cramp starts 25.5 s in: less than the 60 s before it
        Assert.InRange(cramp.StartSeconds, 24, 27);
        using var reader = new RecordingReader(File.OpenRead(clip.RecordingPath), clip.RecordingPath);
        var frame = reader.Layout.CreateFrame();
        var last = 0.0;
        while (reader.TryReadFrame(frame))
        {
            last = frame.TimeSeconds;
        }

        Assert.Equal(cramp.EndSeconds + 30, last, 2);
    }

    [Fact]
    public async Task Restart_BetweenTheSecondAndTheThirdCramp_TheThirdStillGivesSeeADoctor()
    {
        // docs/coach.md: >= 3 cramps started in 7 days -> see a doctor. The history is kept beside the outbox, so a
        // restart after two cramps does not reset the count. (TestHosts turns quiet hours off: it would be held.)
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var outbox = TestHosts.TempPath("outbox.db");
        var twoCramps = TestHosts.WriteRecording(("night-cramp", 1, TimeSpan.FromSeconds(90)), ("night-cramp", 1, TimeSpan.FromSeconds(90)));
        // The third cramp comes 145 s into its session, later than the first run's second cramp (115 s into a
        // session that started earlier): an unpaced replay's session time runs ahead of the wall clock, and the coach
        // counts no cramp from its future.
        var oneCramp = TestHosts.WriteRecording(("rest", 1, TimeSpan.FromSeconds(120)), ("night-cramp", 1, TimeSpan.FromSeconds(90)));
        Dictionary<string, string?> Settings(string recording) => TestHosts.Replayed(device, broker.Port, outbox, recording); // no quiet hours

        try
        {
            using (var first = TestHosts.Build(Settings(twoCramps)))
            {
                await RunToEndAsync(first, ct);
            }

            var root = $"crampsense/v1/{device}";
            var before = await broker.WaitUntilAsync(m => m.Count(x => x.Topic == root + "/event" && x.Field("type") == "cramp_ended") >= 2, Timeout, "the first run's two cramps", ct);
            Assert.DoesNotContain(before, m => m.Topic == root + "/prompt" && m.Field("kind") == "see_doctor");

            using (var second = TestHosts.Build(Settings(oneCramp)))
            {
                await RunToEndAsync(second, ct);
            }

            var after = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/prompt" && x.Field("kind") == "see_doctor"), Timeout, "a see-a-doctor prompt after the third cramp", ct);
            Assert.Single(after, m => m.Topic == root + "/prompt" && m.Field("kind") == "see_doctor");
        }
        finally
        {
            File.Delete(twoCramps);
            File.Delete(oneCramp);
        }
    }

    [Fact]
    public async Task Stop_WithBrokerDown_DetectsAndKeepsEventsInOutboxUntilTheNextStartDeliversThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestHosts.NewDevice();
        var outbox = TestHosts.TempPath("outbox.db");
        var port = TestBroker.FreePort();

        // First run: nobody listens on the port. Detection goes on; events wait in the outbox.
        using (var offline = TestHosts.Build(TestHosts.Simulated(device, port, outbox)))
        {
            await RunToEndAsync(offline, ct);
            Assert.Equal(2, offline.Services.GetRequiredService<PipelineState>().EventCount);
            Assert.True(offline.Services.GetRequiredService<MqttPublisher>().Outbox.Statistics.Pending >= 2);
        }

        // Second run with the broker up: what the first run queued is delivered.
        await using var broker = await TestBroker.StartAsync(ct, port);
        var settings = TestHosts.Simulated(device, port, outbox);
        settings["Source:Speed"] = "1";
        settings.Remove("Host:DurationSeconds");
        using var online = TestHosts.Build(settings);
        await online.StartAsync(ct);
        var messages = await broker.WaitUntilAsync(m => m.Count(x => x.Topic.EndsWith("/event", StringComparison.Ordinal)) >= 2, Timeout, "queued events", ct);
        await online.StopAsync(ct);

        // The events the first run detected, delivered by the second: one cramp, started and ended under one id.
        var started = Assert.Single(messages, m => m.Field("type") == "cramp_started");
        var ended = Assert.Single(messages, m => m.Field("type") == "cramp_ended");
        Assert.StartsWith($"{device}:calf:cramp:", started.Field("event_id"), StringComparison.Ordinal);
        Assert.Equal(started.Field("event_id"), ended.Field("event_id"));
    }

    [Fact]
    public async Task SensorFault_ThermometerMissing_FaultPublishedAndDetectionGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var settings = TestHosts.Simulated(device, broker.Port, TestHosts.TempPath("outbox.db"));
        using var host = TestHosts.Build(settings, services => services.AddSingleton<IFrameSourceFactory>(new MissingThermometerSources()));

        await RunToEndAsync(host, ct);

        var root = $"crampsense/v1/{device}";
        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/event" && x.Field("type") == "cramp_ended"), Timeout, "the cramp's end", ct);
        var fault = Assert.Single(messages, m => m.Topic == root + "/fault");
        Assert.Equal("sensor", fault.Field("source"));
        Assert.Contains("MLX90614", fault.Field("detail"), StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Topic == root + "/event" && m.Field("type") == "cramp_started");
    }

    [Fact]
    public async Task ClipFolder_OnAFullDisk_FaultPublishedAndDetectionGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        // A real full disk: a 64 KiB tmpfs for Clips:Folder (a cramp's clip is megabytes). Mounting needs root, which CI is.
        var disk = TestHosts.TempPath("full-disk");
        Directory.CreateDirectory(disk);
        Assert.SkipUnless(Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk) == 0, "mounting a tmpfs needs root (CI runs as root)");
        try
        {
            await using var broker = await TestBroker.StartAsync(ct);
            var device = TestHosts.NewDevice();
            var recording = TestHosts.WriteCrampRecording();
            var settings = TestHosts.Replayed(device, broker.Port, TestHosts.TempPath("outbox.db"), recording);
            settings["Clips:Folder"] = disk;
            await ReplayToEndAsync(settings, recording, ct);

            var root = $"crampsense/v1/{device}";
            var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/status" && x.Field("state") == "offline"), Timeout, "offline status", ct);
            var fault = Assert.Single(messages, m => m.Topic == root + "/fault");
            Assert.Equal(("sensor", "device", "storage_full"), (fault.Field("source"), fault.Field("site"), fault.Json?["faults"]?[0]?.ToString()));
            Assert.Contains(disk, fault.Field("detail"), StringComparison.Ordinal);
            Assert.Contains("Clips:Folder", fault.Field("detail"), StringComparison.Ordinal);
            // Detection went on past the failed clip: the cramp ended, telemetry kept coming up to the recording's end.
            Assert.Single(messages, m => m.Topic == root + "/event" && m.Field("type") == "cramp_ended");
            Assert.True(messages.Count(m => m.Topic == root + "/telemetry" && m.Field("site") == "calf") >= 85, "telemetry stopped early");
            Assert.Empty(Directory.EnumerateFileSystemEntries(disk));
        }
        finally
        {
            Run("umount", disk);
        }
    }

    [Fact]
    public async Task Stop_DuringACramp_FinishesAndFlushesTheRunningCrampAsEndOfRecording()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var settings = TestHosts.Simulated(device, broker.Port, TestHosts.TempPath("outbox.db"));
        settings["Host:DurationSeconds"] = "33"; // the calf cramp runs from 25.4 s (confirmed 30.5 s) to 36.4 s
        using var host = TestHosts.Build(settings);

        await RunToEndAsync(host, ct);

        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Field("type") == "cramp_ended"), Timeout, "the flushed cramp_ended", ct);
        var ended = Assert.Single(messages, m => m.Field("type") == "cramp_ended");
        Assert.Equal("end_of_recording", ended.Field("end_reason"));
        var end = double.Parse(ended.Field("end_s")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(end, 33.0, 33.01);
        Assert.Equal(0, host.Services.GetRequiredService<MqttPublisher>().Outbox.Statistics.Pending);
    }

    [Fact]
    public async Task SourceFailure_SensorsCannotOpen_FaultPublishedServiceStaysOnlineAndRetries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var settings = TestHosts.Simulated(device, broker.Port, TestHosts.TempPath("outbox.db"));
        settings["Source:RetrySeconds"] = "0.05";
        var sources = new UnopenableSources();
        using var host = TestHosts.Build(settings, services => services.AddSingleton<IFrameSourceFactory>(sources));

        await host.StartAsync(ct);
        await sources.Attempts.WaitAsync(ct).WaitAsync(Timeout, ct);
        await sources.Attempts.WaitAsync(ct).WaitAsync(Timeout, ct);
        var root = $"crampsense/v1/{device}";
        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/fault"), Timeout, "the source fault", ct);
        await host.StopAsync(ct);

        var fault = messages.First(m => m.Topic == root + "/fault");
        Assert.Equal("sensor", fault.Field("source"));
        Assert.Contains("/dev/spidev0.0", fault.Field("detail"), StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Topic == root + "/status" && m.Field("state") == "online");
        // StopAsync returns once the offline status is sent, not once the broker has passed it on: wait for its arrival.
        var afterStop = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == root + "/status" && x.Field("state") == "offline"), Timeout, "the offline status", ct);
        Assert.Equal("offline", afterStop.Last(m => m.Topic == root + "/status").Field("state"));
    }

    [Fact]
    public async Task Event_WhenLogged_IsAlreadyCommittedToTheOutbox()
    {
        // The broker is down, so every event stays in the (real SQLite) outbox; at the moment the pipeline logs
        // an event the observer looks for it there. Logging before the commit (the old order) misses it.
        var ct = TestContext.Current.CancellationToken;
        IServiceProvider? services = null;
        var observer = new EventLogObserver((type, id) => IsInOutbox(services!, type, id));
        using var host = TestHosts.Build(
            TestHosts.Simulated(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db")),
            s => s.AddSingleton<ILoggerProvider>(observer));
        services = host.Services;

        await RunToEndAsync(host, ct);

        Assert.Equal(["cramp_started", "cramp_ended"], observer.Events.Select(e => e.Type));
        Assert.All(observer.Events, e => Assert.True(e.CheckedAtLog, $"{e.Type} {e.EventId} was logged before it was in the outbox"));
        Assert.Equal(2, host.Services.GetRequiredService<PipelineState>().EventCount);
    }

    [Fact]
    public async Task Replay_ConsumerHeldAtAGate_LosesNoFrameAndGivesTheEventsOfAnUnthrottledRun()
    {
        // The same simulated night twice: unpaced and free, then at 20× with the detector held at a gate while the
        // replay's (fake) clock jumps an hour ahead, so every frame is overdue while the ring is full. A replay that
        // dropped like the sensors would lose ~all of them; it must wait instead and give the same events.
        var ct = TestContext.Current.CancellationToken;
        var free = await RunSimulatedNightAsync(new NightSources(ReplaySource.Unpaced, gated: false), ct);
        var gatedSources = new NightSources(20, gated: true);
        var gatedRun = RunSimulatedNightAsync(gatedSources, ct);
        await gatedSources.ConsumerAtGate.Task.WaitAsync(Timeout, ct);
        gatedSources.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True(SpinWait.SpinUntil(() => gatedSources.Replay!.Frames.IsFull, Timeout), "the replay never filled the ring");
        gatedSources.Gate.Set();
        var gated = await gatedRun;

        Assert.Equal(40_000, free.Frames);
        Assert.Equal(free.Frames, gated.Frames);
        Assert.Equal(0, gatedSources.Replay!.Statistics.Snapshot().HandOffDropped);
        Assert.Contains(free.Events, e => e.Type == "cramp_started");
        Assert.Equal(free.Events.Select(e => (e.Type, e.Site, e.OnsetSeconds, e.DurationSeconds, Id(e.EventId))), gated.Events.Select(e => (e.Type, e.Site, e.OnsetSeconds, e.DurationSeconds, Id(e.EventId))));

        static string Id(string eventId) => eventId[eventId.IndexOf(':', StringComparison.Ordinal)..]; // without the device
    }

    private static bool IsInOutbox(IServiceProvider services, string type, string eventId) =>
        services.GetRequiredService<MqttPublisher>().Outbox.PeekNext(10_000).Any(m =>
            m.Topic.EndsWith("/event", StringComparison.Ordinal)
            && System.Text.Encoding.UTF8.GetString(m.Payload.Span) is var json
            && json.Contains($"\"event_id\":\"{eventId}\"", StringComparison.Ordinal)
            && json.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal));

    /// <summary>Runs 40 s of <paramref name="sources"/> with the broker down; the frames the detector took and the events it logged.</summary>
    private static async Task<(long Frames, IReadOnlyList<EventLogObserver.LoggedEvent> Events)> RunSimulatedNightAsync(NightSources sources, CancellationToken ct)
    {
        var observer = new EventLogObserver();
        using var host = TestHosts.Build(
            TestHosts.Simulated(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db")),
            s => s.AddSingleton<IFrameSourceFactory>(sources).AddSingleton<ILoggerProvider>(observer));
        await RunToEndAsync(host, ct);
        return (host.Services.GetRequiredService<PipelineState>().Frames, observer.Events);
    }

    /// <summary>
    /// The simulated night (night-cramp seed 1) replayed on a fake clock; when <c>gated</c>, the detector thread
    /// stops at its first look at the sensor status until the test opens <see cref="Gate"/>.
    /// </summary>
    private sealed class NightSources(double speed, bool gated) : IFrameSourceFactory
    {
        public FakeTimeProvider Clock { get; } = new();

        public ManualResetEventSlim Gate { get; } = new(!gated);

        public TaskCompletionSource ConsumerAtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReplaySource? Replay { get; private set; }

        public IReadOnlyList<string> PlannedSites { get; } = ["calf", "shin", "hamstring", "quadriceps"];

        public SourceSession Open()
        {
            var simulation = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 1, Duration = TimeSpan.FromSeconds(90) });
            Replay = new ReplaySource(simulation, speed, speed == ReplaySource.Unpaced ? TimeProvider.System : Clock);
            return new SourceSession(new Gated(Replay, this), motor: null, "gated night");
        }

        private sealed class Gated(ReplaySource frames, NightSources owner) : IFrameSource
        {
            public RecordingLayout Layout => frames.Layout;

            public FrameRing Frames => frames.Frames;

            public SamplingStatistics Statistics => frames.Statistics;

            public SensorStatusLog Status
            {
                get
                {
                    owner.ConsumerAtGate.TrySetResult();
                    owner.Gate.Wait(Timeout);
                    return frames.Status;
                }
            }

            public bool Completed => frames.Completed;

            public void Start() => frames.Start();

            public void Stop() => frames.Stop();

            public void Dispose() => frames.Dispose();
        }
    }

    /// <summary>Sensors whose bus cannot be opened (as on a Pi with SPI disabled); counts the attempts.</summary>
    private sealed class UnopenableSources : IFrameSourceFactory
    {
        public SemaphoreSlim Attempts { get; } = new(0);

        public IReadOnlyList<string> PlannedSites { get; } = ["calf"];

        public SourceSession Open()
        {
            Attempts.Release();
            throw new IOException("Error 2 (No such file or directory). Can not open SPI device file '/dev/spidev0.0'.");
        }
    }

    private static int Run(string file, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Runs a host over <paramref name="recording"/> to its end, then deletes the recording.</summary>
    private static async Task ReplayToEndAsync(Dictionary<string, string?> settings, string recording, CancellationToken ct)
    {
        try
        {
            using var host = TestHosts.Build(settings);
            await RunToEndAsync(host, ct);
        }
        finally
        {
            File.Delete(recording);
        }
    }

    /// <summary>Runs the host until it stops by itself (end of the recording or of Host:DurationSeconds); the services stay readable.</summary>
    private static async Task RunToEndAsync(IHost host, CancellationToken ct)
    {
        await host.StartAsync(ct);
        await host.WaitForShutdownAsync(ct).WaitAsync(Timeout, ct);
    }

    /// <summary>
    /// The simulated night (unpaced) with a skin thermometer that is not on the bus: the real MLX90614 binding on
    /// a simulated chip that does not answer, polled by the sensors' worker into the source's status log.
    /// </summary>
    private sealed class MissingThermometerSources : IFrameSourceFactory
    {
        public IReadOnlyList<string> PlannedSites { get; } = ["calf", "shin", "hamstring", "quadriceps"];

        public SourceSession Open()
        {
            var simulation = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 1, Duration = TimeSpan.FromSeconds(90) });
            var replay = new ReplaySource(simulation, ReplaySource.Unpaced, TimeProvider.System);
            var thermometer = new Mlx90614Thermometer(new SimulatedMlx90614 { Present = false });
            return new SourceSession(new WithThermometer(replay, thermometer), motor: null, "night with a missing thermometer");
        }
    }

    private sealed class WithThermometer : IFrameSource
    {
        private readonly ReplaySource _frames;
        private readonly PolledSensorWorker<float> _worker;

        public WithThermometer(ReplaySource frames, ISkinThermometer thermometer)
        {
            _frames = frames;
            _worker = new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, 1, TimeProvider.System, Status, ownedSensor: thermometer);
        }

        public RecordingLayout Layout => _frames.Layout;

        public FrameRing Frames => _frames.Frames;

        public SamplingStatistics Statistics => _frames.Statistics;

        public SensorStatusLog Status { get; } = new();

        public bool Completed => _frames.Completed;

        public void Start()
        {
            // One poll now (the worker's step function: the unpaced night is over before a second one), then the frames.
            _worker.PollOnce(TimeProvider.System.GetTimestamp());
            _frames.Start();
        }

        public void Stop() => _frames.Stop();

        public void Dispose()
        {
            _frames.Dispose();
            _worker.Dispose();
        }
    }
}

using CrampSense.Contract;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using CrampSense.Sensors.Sampling;
using CrampSense.Simulation;
using CrampSense.Wearable.Clips;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>Feedback commands to the running service on a real mosquitto with deploy/mosquitto/acl (issue 16 §2).</summary>
public sealed partial class DetectionPipelineTests
{
    private const string DevicePassword = "device pw";
    private const string OperatorPassword = "operator pw";
    private const string OtherDevice = "other-dev";

    [Fact]
    public async Task Feedback_RejectFromTheDevice_RelabelsTheClipAndEmitsFeedbackApplied_TheSameFromAnotherDeviceIsRefusedByTheAcl()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await FeedbackRun.StartAsync(ct);
        var eventId = await run.CrampWithItsClipAsync(ct);

        using var other = await FeedbackRun.LogInAsync(run.Broker.Port, OtherDevice, "other pw", ct);
        var refused = await other.PublishStringAsync(run.Topics.Feedback, Command("c-other", run.Device, "reject", eventId), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        using var own = await FeedbackRun.LogInAsync(run.Broker.Port, run.Device, DevicePassword, ct);
        var accepted = await own.PublishStringAsync(run.Topics.Feedback, Command("c-own", run.Device, "reject", eventId), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        var messages = await run.Log.WaitUntilAsync(m => m.Any(x => x.Topic == run.Topics.FeedbackResult && x.Field("command_id") == "c-own"), Timeout, "the result of c-own", ct);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, accepted.ReasonCode);
        var result = Assert.Single(messages, x => x.Topic == run.Topics.FeedbackResult);
        Assert.Equal(("applied", "reject", eventId), (result.Field("outcome"), result.Field("command"), result.Field("event_id")));
        var applied = Assert.Single(messages, x => x.Topic == run.Topics.Event && x.Field("type") == "feedback_applied");
        Assert.Equal((eventId, "rejected", "c-own", "calf"), (applied.Field("event_id"), applied.Field("feedback"), applied.Field("command_id"), applied.Field("site")));
        Assert.DoesNotContain(messages, x => x.Payload.Contains("c-other", StringComparison.Ordinal) && x.Topic != run.Topics.Feedback);
        Assert.Equal(ClipStatus.Rejected, run.CrampClip()!.Label.Status);
    }

    [Fact]
    public async Task Feedback_ARejectSentWhileTheDeviceIsOffline_IsAppliedWhenItReconnects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await FeedbackRun.StartAsync(ct);
        var eventId = await run.CrampWithItsClipAsync(ct);

        await run.StopAsync(ct);
        await run.Log.WaitUntilAsync(m => m.Any(x => x.Topic == run.Topics.Status && x.Field("state") == "offline"), Timeout, "offline status", ct);
        using var operatorClient = await FeedbackRun.LogInAsync(run.Broker.Port, "crampsense-operator", OperatorPassword, ct);
        var ack = await operatorClient.PublishStringAsync(run.Topics.Feedback, Command("c-offline", run.Device, "reject", eventId), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        Assert.DoesNotContain(run.Log.Messages, x => x.Topic == run.Topics.FeedbackResult);

        await run.StartAgainAsync(ct);
        var messages = await run.Log.WaitUntilAsync(m => m.Any(x => x.Topic == run.Topics.FeedbackResult && x.Field("command_id") == "c-offline"), Timeout, "the result of c-offline", ct);

        var result = Assert.Single(messages, x => x.Topic == run.Topics.FeedbackResult);
        Assert.Equal(("applied", "reject", eventId), (result.Field("outcome"), result.Field("command"), result.Field("event_id")));
        var applied = Assert.Single(messages, x => x.Topic == run.Topics.Event && x.Field("type") == "feedback_applied");
        Assert.Equal((eventId, "rejected", "c-offline"), (applied.Field("event_id"), applied.Field("feedback"), applied.Field("command_id")));
        Assert.Equal(ClipStatus.Rejected, run.CrampClip()!.Label.Status);
    }

    [Fact]
    public async Task Feedback_MalformedCommands_EachGetsARefusalWithItsReasonAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await FeedbackRun.StartAsync(ct);
        await run.Log.WaitUntilAsync(m => m.Any(x => x.Topic == run.Topics.Event && x.Field("type") == "cramp_ended"), Timeout, "cramp_ended", ct);
        Assert.True(SpinWait.SpinUntil(() => run.CrampClip() is not null, Timeout), "the cramp's clip was never written");
        var sidecarBefore = File.ReadAllText(run.CrampClip()!.SidecarPath);
        var eventsBefore = run.Log.Messages.Count(x => x.Topic == run.Topics.Event);

        using var operatorClient = await FeedbackRun.LogInAsync(run.Broker.Port, "crampsense-operator", OperatorPassword, ct);
        (string Payload, string Reason)[] commands =
        [
            ("{\"schema\":\"crampsense.feedback.v1\",", "not JSON"),
            (Command("c-unknown", run.Device, "reject", run.Device + ":calf:cramp:999999"), "event_id"),
            (Command("c-device", OtherDevice, "reject", "last"), "device"),
            (Command("c-big", run.Device, "reject", "last").Replace("\"last\"", "\"last\",\"pad\":\"" + new string('x', 5000) + "\"", StringComparison.Ordinal), "over the limit"),
            (Command("c-future", run.Device, "snooze", null, until: DateTimeOffset.UtcNow.AddDays(30)), "until"),
        ];
        foreach (var (payload, _) in commands)
        {
            var ack = await operatorClient.PublishStringAsync(run.Topics.Feedback, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        }

        var messages = await run.Log.WaitUntilAsync(m => m.Count(x => x.Topic == run.Topics.FeedbackResult) == commands.Length, Timeout, "a result per command", ct);

        var results = messages.Where(x => x.Topic == run.Topics.FeedbackResult).ToList();
        for (var i = 0; i < commands.Length; i++)
        {
            Assert.Equal("refused", results[i].Field("outcome"));
            Assert.Contains(commands[i].Reason, results[i].Field("reason"), StringComparison.Ordinal);
        }

        Assert.Equal(eventsBefore, messages.Count(x => x.Topic == run.Topics.Event));
        Assert.Equal(sidecarBefore, File.ReadAllText(run.CrampClip()!.SidecarPath));
    }

    [Fact]
    public async Task Feedback_CrampNowFromTheOperator_WritesAClipOfTheBufferLabelledAsTheWearersReport()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await FeedbackRun.StartAsync(ct);
        using var operatorClient = await FeedbackRun.LogInAsync(run.Broker.Port, "crampsense-operator", OperatorPassword, ct);

        await operatorClient.PublishStringAsync(run.Topics.Feedback, Command("c-now", run.Device, "cramp_now", null), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        var messages = await run.Log.WaitUntilAsync(m => m.Any(x => x.Topic == run.Topics.FeedbackResult), Timeout, "the result of c-now", ct);
        await run.FinishAsync(ct);

        var result = Assert.Single(messages, x => x.Topic == run.Topics.FeedbackResult);
        Assert.Equal("applied", result.Field("outcome"));
        var reportId = result.Field("event_id")!;
        Assert.StartsWith(run.Device + ":calf:report:", reportId, StringComparison.Ordinal);
        var clip = Assert.Single(run.Clips(), c => c.Label.Trigger == ClipRecorder.ReportTrigger);
        Assert.Equal((reportId, ClipLabel.Reported, "calf"), (clip.Label.EventId, clip.Label.Origin, clip.Label.Intervals.Single().Site));
        // From the pre-event span before the report (the night was held at 70 s) to the end of the night.
        Assert.InRange(clip.Label.SourceStartSeconds, 70 - new ClipOptions().PreSeconds - 3, 70 - new ClipOptions().PreSeconds + 3);
    }

    private static string Command(string id, string device, string command, string? eventId, DateTimeOffset? until = null)
    {
        var fields = new List<string>
        {
            "\"schema\":\"crampsense.feedback.v1\"",
            $"\"id\":\"{id}\"",
            $"\"time\":\"{ContractTime.Format(DateTimeOffset.UtcNow)}\"",
            $"\"device\":\"{device}\"",
            $"\"command\":\"{command}\"",
        };
        if (eventId is not null)
        {
            fields.Add($"\"event_id\":\"{eventId}\"");
        }

        if (until is { } end)
        {
            fields.Add($"\"until\":\"{ContractTime.Format(end)}\"");
        }

        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>
    /// The service logged in as a device on a mosquitto with the deploy ACL, over the simulated night (a calf cramp at
    /// 25.5–36.4 s) held at 70 s (after the cramp's clip is due) until disposed; the operator's subscriber records the device's topics.
    /// </summary>
    private sealed class FeedbackRun : IAsyncDisposable
    {
        private readonly IMqttClient _watcher;
        private readonly string _outbox;
        private readonly Dictionary<string, string?> _settings;
        private IHost _host;
        private HeldNight _night;

        private FeedbackRun(MosquittoBroker broker, string device, string outbox, Dictionary<string, string?> settings, IHost host, HeldNight night, IMqttClient watcher)
        {
            Broker = broker;
            Device = device;
            Topics = new ContractTopics(device);
            _outbox = outbox;
            _settings = settings;
            _host = host;
            _night = night;
            _watcher = watcher;
        }

        public MosquittoBroker Broker { get; }

        public string Device { get; }

        public ContractTopics Topics { get; }

        public MessageLog Log { get; } = new();

        public static async Task<FeedbackRun> StartAsync(CancellationToken ct)
        {
            var device = TestHosts.NewDevice();
            var users = TestHosts.TempPath("passwd");
            Directory.CreateDirectory(Path.GetDirectoryName(users)!);
            foreach (var (user, password) in new[] { (device, DevicePassword), (OtherDevice, "other pw"), ("crampsense-operator", OperatorPassword) })
            {
                var (exit, output) = await Tools.RunAsync(Tools.Require("mosquitto_passwd"), File.Exists(users) ? ["-b", users, user, password] : ["-b", "-c", users, user, password], ct);
                Assert.True(exit == 0, output);
            }

            var broker = await MosquittoBroker.StartAsync(ct, users, listenerOptions: [$"acl_file {RepositoryFile("deploy/mosquitto/acl")}"]);
            var outbox = TestHosts.TempPath("outbox.db");
            var settings = TestHosts.Simulated(device, broker.Port, outbox);
            settings.Remove("Host:DurationSeconds");
            settings["Mqtt:Username"] = device;
            settings["Mqtt:Password"] = DevicePassword;
            var night = new HeldNight(holdAtSeconds: 70);
            var host = TestHosts.Build(settings, s => s.AddSingleton<IFrameSourceFactory>(night));
            var watcher = await LogInAsync(broker.Port, "crampsense-operator", OperatorPassword, ct);
            var run = new FeedbackRun(broker, device, outbox, settings, host, night, watcher);
            run.Log.Attach(watcher);
            await watcher.SubscribeAsync($"crampsense/v1/{device}/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
            await host.StartAsync(ct);
            await night.AtHold.Task.WaitAsync(Timeout, ct);
            return run;
        }

        public static async Task<IMqttClient> LogInAsync(int port, string user, string password, CancellationToken ct)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId("test-" + Guid.NewGuid().ToString("N")[..8]).WithCredentials(user, password).Build(), ct);
            return client;
        }

        /// <summary>The clips on disk.</summary>
        public IReadOnlyList<ClipFolder.Entry> Clips() => new ClipFolder(ClipFolder.PathBeside(_outbox), new ClipOptions(), TimeProvider.System).List();

        /// <summary>The clip of the night's cramp, once written.</summary>
        public ClipFolder.Entry? CrampClip() => Clips().FirstOrDefault(c => c.Label.Trigger == ClipRecorder.CrampTrigger);

        /// <summary>The event id of the night's cramp, once its clip is written.</summary>
        public async Task<string> CrampWithItsClipAsync(CancellationToken ct)
        {
            var started = await Log.WaitUntilAsync(m => m.Any(x => x.Topic == Topics.Event && x.Field("type") == "cramp_started"), Timeout, "cramp_started", ct);
            var eventId = started.First(x => x.Topic == Topics.Event && x.Field("type") == "cramp_started").Field("event_id")!;
            Assert.True(SpinWait.SpinUntil(() => CrampClip() is not null, Timeout), "the cramp's clip was never written");
            return eventId;
        }

        /// <summary>Stops the service (it disconnects: the device is offline).</summary>
        public async Task StopAsync(CancellationToken ct)
        {
            _night.Gate.Set();
            await _host.StopAsync(ct);
            _host.Dispose();
        }

        /// <summary>Starts the service again with the same device, outbox and clips, over a new held night.</summary>
        public async Task StartAgainAsync(CancellationToken ct)
        {
            _night = new HeldNight(holdAtSeconds: 70);
            _host = TestHosts.Build(_settings, s => s.AddSingleton<IFrameSourceFactory>(_night));
            await _host.StartAsync(ct);
        }

        /// <summary>Lets the night run to its end and waits until the service has stopped (clips flushed).</summary>
        public async Task FinishAsync(CancellationToken ct)
        {
            _night.Gate.Set();
            await _host.WaitForShutdownAsync(ct).WaitAsync(Timeout, ct);
        }

        public async ValueTask DisposeAsync()
        {
            _night.Gate.Set();
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
            _watcher.Dispose();
            Log.Dispose();
            await Broker.DisposeAsync();
        }

        private static string RepositoryFile(string relative)
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrampSense.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("CrampSense.sln not found above " + AppContext.BaseDirectory), relative);
        }
    }

    /// <summary>The simulated night (night-cramp seed 1, 90 s), unpaced, whose reader stops at <c>holdAtSeconds</c> until <see cref="Gate"/> opens: the service then idles, listening.</summary>
    private sealed class HeldNight(double holdAtSeconds) : IFrameSourceFactory
    {
        public ManualResetEventSlim Gate { get; } = new(false);

        public TaskCompletionSource AtHold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> PlannedSites { get; } = ["calf", "shin", "hamstring", "quadriceps"];

        public SourceSession Open()
        {
            var simulation = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 1, Duration = TimeSpan.FromSeconds(90) });
            bool Read(Signals.Recordings.RecordingFrame frame)
            {
                if (!simulation.TryReadFrame(frame))
                {
                    return false;
                }

                if (frame.TimeSeconds >= holdAtSeconds && !Gate.IsSet)
                {
                    AtHold.TrySetResult();
                    Gate.Wait(Timeout);
                }

                return true;
            }

            return new SourceSession(new ReplaySource(simulation.Layout, Read, ReplaySource.Unpaced, TimeProvider.System), motor: null, "held night");
        }
    }
}

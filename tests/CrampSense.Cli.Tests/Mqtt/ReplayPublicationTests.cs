using System.Collections.Concurrent;
using System.Text.Json;
using CrampSense.Cli.Mqtt;
using CrampSense.Detection;
using CrampSense.Messaging.Broker;
using CrampSense.Messaging.Configuration;
using CrampSense.Wearable;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit;

namespace CrampSense.Cli.Tests.Mqtt;

public sealed class ReplayPublicationTests : IDisposable
{
    private const string Device = "replay-test";
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task PublishAsync_EventsAndCoachPromptsReachASubscriberThroughARealBroker()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = TestFiles.FreeLoopbackPort();
        await using var broker = await EmbeddedBroker.StartAsync(new MessagingOptions { DeviceId = "broker", BrokerPort = port }, ct);
        var received = new ConcurrentQueue<(string Topic, JsonElement Payload)>();
        using var subscriber = await SubscribeAsync(port, received, ct);
        var options = ReplayPublication.Options($"mqtt://127.0.0.1:{port}", Device, ["calf"], OutboxConfiguration());
        var events = Items(Cramp(CrampEventKind.CrampStarted), Cramp(CrampEventKind.CrampEnded));

        // At midday: the coach holds prompts back in its quiet hours (22:00–07:00 local), and this test waits for them.
        var summary = await ReplayPublication.PublishAsync(options, events, recordingSeconds: 120, TimeSpan.FromSeconds(30), new MiddayClock(), ct);

        Assert.Equal(2, summary.Events);
        Assert.True(summary.Prompts >= 2, $"a stretch prompt on the start and aftercare on the end, got {summary.Prompts}");
        await WaitUntilAsync(() => received.Count(m => m.Topic.EndsWith("/event", StringComparison.Ordinal)) == 2 && received.Count(m => m.Topic.EndsWith("/prompt", StringComparison.Ordinal)) == summary.Prompts, ct);
        var eventPayloads = received.Where(m => m.Topic == $"crampsense/v1/{Device}/event").Select(m => m.Payload).ToList();
        Assert.Equal(["cramp_started", "cramp_ended"], eventPayloads.Select(p => p.GetProperty("type").GetString()));
        Assert.All(eventPayloads, p => Assert.Equal("replay-test:calf:cramp:12500", p.GetProperty("event_id").GetString()));
        var prompts = received.Where(m => m.Topic == $"crampsense/v1/{Device}/prompt").Select(m => m.Payload).ToList();
        Assert.Equal("stretch", prompts[0].GetProperty("kind").GetString());
        Assert.Equal("calf", prompts[0].GetProperty("site").GetString());

        // The recording ends "now": the start event's time is 120 − 17.5 s before the end event's.
        var startedAt = DateTimeOffset.Parse(eventPayloads[0].GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var endedAt = DateTimeOffset.Parse(eventPayloads[1].GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(40 - 17.5), endedAt - startedAt);
    }

    [Fact]
    public async Task PublishAsync_NoBroker_FailsNamingTheBrokerAndKeepsTheMessagesInTheOutbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = TestFiles.FreeLoopbackPort();
        var options = ReplayPublication.Options($"mqtt://127.0.0.1:{port}", Device, ["calf"], OutboxConfiguration());

        var error = await Assert.ThrowsAsync<CliInputException>(() => ReplayPublication.PublishAsync(
            options, Items(Cramp(CrampEventKind.CrampStarted)), 60, TimeSpan.FromSeconds(2), TimeProvider.System, ct));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("not acknowledged", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.OutboxPath, error.Message, StringComparison.Ordinal);
        Assert.True(new FileInfo(options.OutboxPath).Length > 0);
    }

    [Theory]
    [InlineData("http://broker:1883")]
    [InlineData("broker:1883")]
    [InlineData("mqtt://user:secret@broker:1883")]
    public void Options_NotAnMqttAddress_FailsNamingTheOption(string uri)
    {
        var error = Assert.Throws<CliInputException>(() => ReplayPublication.Options(uri, Device, ["calf"], OutboxConfiguration()));

        Assert.StartsWith("--mqtt:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_TakeBrokerFromTheAddressAndCredentialsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Username"] = "dashboard",
            ["Mqtt:Password"] = "from-the-environment",
            ["Mqtt:Host"] = "ignored-host",
        }).Build();

        var options = ReplayPublication.Options("mqtts://broker.local:8884", Device, ["calf", "hamstring"], configuration);

        Assert.Equal("broker.local", options.EffectiveHost);
        Assert.Equal(8884, options.EffectivePort);
        Assert.True(options.UseTls);
        Assert.Equal("dashboard", options.Username);
        Assert.Equal(Device, options.DeviceId);
        Assert.Equal(["calf", "hamstring"], options.Sites);
        Assert.False(options.HomeAssistantDiscovery);
    }

    [Fact]
    public void Options_InvalidDevice_FailsNamingTheKey()
    {
        var error = Assert.Throws<CliInputException>(() => ReplayPublication.Options("mqtt://127.0.0.1:1883", "Bad/Device", ["calf"], OutboxConfiguration()));

        Assert.Contains("Device:Id", error.Message, StringComparison.Ordinal);
    }

    private IConfiguration OutboxConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Mqtt:Outbox:Path"] = Path.Combine(_files.Directory, "outbox.db"),
    }).Build();

    /// <summary>The session items of these events, at the times the detector emitted them.</summary>
    private static SessionItem[] Items(params CrampEvent[] events) =>
        [.. events.Select(e => new DetectorEventItem(e, DetectionSession.EmittedSeconds(e)))];

    private static CrampEvent Cramp(CrampEventKind kind) => new()
    {
        Type = kind,
        Id = $"{Device}:calf:cramp:12500",
        Device = Device,
        Site = "calf",
        OnsetSeconds = 12.5,
        ConfirmedSeconds = 17.5,
        EndSeconds = kind == CrampEventKind.CrampEnded ? 40 : null,
        DurationSeconds = kind == CrampEventKind.CrampEnded ? 27.5 : null,
        PeakMicrovolts = 900,
        MeanMicrovolts = 400,
        Confidence = 0.9,
        ModelVersion = "test",
    };

    private static async Task<IMqttClient> SubscribeAsync(int port, ConcurrentQueue<(string, JsonElement)> received, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            using var document = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
            received.Enqueue((e.ApplicationMessage.Topic, document.RootElement.Clone()));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("replay-test-subscriber").WithProtocolVersion(MqttProtocolVersion.V500).Build(),
            ct);
        await client.SubscribeAsync($"crampsense/v1/{Device}/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
        return client;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            // Polls the subscriber's queue; the deadline, not the delay, decides failure.
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>The system clock moved to today's local midday; timers and timestamps stay the system's.</summary>
    private sealed class MiddayClock : TimeProvider
    {
        private readonly TimeSpan _offset;

        public MiddayClock()
        {
            var now = System.GetUtcNow();
            var local = TimeZoneInfo.ConvertTime(now, LocalTimeZone);
            var midday = new DateTimeOffset(local.Date.AddHours(12), local.Offset);
            _offset = midday - now;
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    }
}

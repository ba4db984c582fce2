using System.Globalization;
using System.Text.Json;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Contract;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The bridge in-process against a real mosquitto and a real VictoriaMetrics (InfluxDB write API).</summary>
public sealed class MqttInfluxBridgeTests(BridgeServersFixture servers) : IClassFixture<BridgeServersFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Only a hang guard, for a test whose claim is what is stored, not how fast (it ran 60 s+ at load 25).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(15);

    private Dictionary<string, string?> Settings(string instance, string? group = null, VictoriaMetricsServer? database = null) =>
        BridgeSettings.For(servers.Broker.Port, (database ?? servers.Database).Url, instance, group ?? "g-" + instance);

    private static string NewInstance() => "b-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<MqttInfluxBridge> StartBridgeAsync(Dictionary<string, string?> settings, CancellationToken ct, ILogger<MqttInfluxBridge>? logger = null)
    {
        var bridge = new MqttInfluxBridge(BridgeSettings.Options(settings), logger: logger);
        await bridge.StartAsync(ct);
        await bridge.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);
        return bridge;
    }

    private static async Task WaitUntilStoredOnceAsync(VictoriaMetricsServer database, IReadOnlyCollection<EventMessage> messages, CancellationToken ct, TimeSpan? within = null)
    {
        Dictionary<string, int> counts = [];
        await Poll.UntilAsync(
            async () => (counts = await StoredPoints.OnsetCountsAsync(database, messages, ct)).Values.All(c => c == 1),
            within ?? Timeout, () => StoredPoints.Describe(counts), ct);
    }

    /// <summary>
    /// A bridge with receive maximum 100 makes its session and stops like a crash (nothing acknowledged); 10 000 events
    /// are published into the session; the bridge starts again (with <paramref name="logger"/>) and finds them waiting.
    /// </summary>
    private async Task<(MqttInfluxBridge Bridge, List<EventMessage> Messages)> RestartWithABacklogAsync(MosquittoBroker broker, CancellationToken ct, ILogger<MqttInfluxBridge>? logger = null)
    {
        var instance = NewInstance();
        var settings = BridgeSettings.For(broker.Port, servers.Database.Url, instance, "g-" + instance);
        settings["Bridge:ReceiveMaximum"] = "100";
        settings["Bridge:MaxInFlight"] = "200";
        settings["Bridge:BatchSize"] = "100";
        await (await StartBridgeAsync(settings, ct)).DisposeAsync();
        var device = TestMessages.NewDevice();
        var messages = Enumerable.Range(0, 10_000).Select(i => TestMessages.Started(device, i)).ToList();
        await using (var publisher = await TestPublisher.ConnectAsync(broker.Port, ct))
        {
            await publisher.PublishManyAsync(messages, ct);
        }

        return (await StartBridgeAsync(settings, ct, logger), messages);
    }

    [Fact]
    public async Task Bridge_EveryKindPublishedWithMosquittoPub_IsStoredFieldByField()
    {
        var ct = TestContext.Current.CancellationToken;
        var mosquittoPub = Tools.Require("mosquitto_pub");
        await using var bridge = await StartBridgeAsync(Settings(NewInstance()), ct);
        var device = TestMessages.NewDevice();
        ContractMessage[] messages =
        [
            TestMessages.Started(device, 1), TestMessages.Ended(device, 1), TestMessages.Warning(device, 2),
            TestMessages.Prompt(device, 3), TestMessages.Telemetry(device, 4), TestMessages.Fault(device, 5), TestMessages.Status(device, 6),
        ];

        foreach (var message in messages)
        {
            var (exit, output) = await Tools.RunAsync(mosquittoPub,
                ["-V", "mqttv5", "-q", "1", "-h", "127.0.0.1", "-p", servers.Broker.Port.ToString(CultureInfo.InvariantCulture), "-t", TestMessages.Topic(message), "-m", TestMessages.Json(message)], ct);
            Assert.True(exit == 0, output);
        }

        var expected = messages.SelectMany(ExpectedSamples).ToList();
        var devices = new HashSet<string> { device };
        List<VictoriaMetricsServer.Sample> stored = [];
        await Poll.UntilAsync(
            async () =>
            {
                stored = [];
                foreach (var measurement in expected.Select(e => e.Measurement).Distinct())
                {
                    stored.AddRange(await StoredPoints.SamplesAsync(servers.Database, measurement, devices, ct));
                }

                return stored.Count >= expected.Count;
            },
            Timeout, () => $"{stored.Count} of {expected.Count} samples", ct);

        foreach (var (measurement, tags, field, time, value) in expected)
        {
            var match = stored.Where(s => s.Name == $"{measurement}_{field}" && s.TimestampMilliseconds == time && tags.All(t => s.Tag(t.Key) == t.Value)).ToList();
            var sample = Assert.Single(match);
            Assert.True(value == sample.Value, $"{measurement}.{field} at {time}: expected {value}, stored {sample.Value}");
        }

        Assert.Equal(expected.Count, stored.Count);
        Assert.Equal(0, bridge.Statistics.DeadLettered);
    }

    /// <summary>
    /// What the database must hold for a message, worked out from its JSON (not from the mapper): every number (and
    /// boolean as 1/0, nested outbox counters as outbox_*) as a sample of its own; strings are stored by VictoriaMetrics
    /// as 0, so only their presence is checked.
    /// </summary>
    private static IEnumerable<(string Measurement, Dictionary<string, string> Tags, string Field, long Time, double Value)> ExpectedSamples(ContractMessage message)
    {
        using var json = JsonDocument.Parse(TestMessages.Json(message));
        var root = json.RootElement;
        var time = DateTimeOffset.Parse(message.Time, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var tags = new Dictionary<string, string> { ["device"] = message.Device };
        string measurement;
        switch (message)
        {
            case EventMessage e when e.Type == EventMessage.CrampWarning:
                measurement = "cramp_warning";
                tags["site"] = e.Site;
                break;
            case EventMessage e:
                measurement = "cramp_event";
                tags["site"] = e.Site;
                tags["type"] = e.Type;
                break;
            case PromptMessage p:
                measurement = "prompt";
                tags["kind"] = p.Kind;
                tags["urgency"] = p.Urgency;
                break;
            case TelemetryMessage t:
                measurement = "telemetry";
                tags["site"] = t.Site;
                break;
            case FaultMessage f:
                measurement = "fault";
                tags["source"] = f.Source;
                tags["faults"] = "flat,railed";
                break;
            default:
                measurement = "device_status";
                break;
        }

        var samples = new List<(string, Dictionary<string, string>, string, long, double)>();
        string[] notFields = ["schema", "time", "device", "site", "type", "kind", "urgency", "source"];
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String when !notFields.Contains(property.Name):
                    // Text fields: VictoriaMetrics keeps only numbers and stores a string field as 0.
                    samples.Add((measurement, tags, property.Name, time, 0));
                    break;
                case JsonValueKind.Number:
                    samples.Add((measurement, tags, property.Name, time, property.Value.GetDouble()));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    samples.Add((measurement, tags, property.Name, time, property.Value.GetBoolean() ? 1 : 0));
                    break;
                case JsonValueKind.Object:
                    samples.AddRange(property.Value.EnumerateObject().Select(c => (measurement, tags, $"{property.Name}_{c.Name}", time, c.Value.GetDouble())));
                    break;
            }
        }

        // Derived fields the schema documents (docs/influxdb.md).
        switch (message)
        {
            case EventMessage:
                samples.Add((measurement, tags, "hour_utc", time, Math.Round((time % 86_400_000) / 3_600_000.0, 4)));
                break;
            case PromptMessage:
                samples.Add((measurement, tags, "count", time, 1));
                break;
            case FaultMessage f:
                samples.Add((measurement, tags, "fault_count", time, f.Faults.Count));
                break;
            case StatusMessage s:
                samples.Add((measurement, tags, "online", time, s.State == StatusMessage.Online ? 1 : 0));
                break;
        }

        return samples;
    }

    [Fact]
    public async Task Bridge_DatabaseDownThenUp_HoldsAcknowledgementsWithinTheBoundAndLosesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await VictoriaMetricsServer.CreateAsync(start: false, ct);
        var settings = Settings(NewInstance(), database: database);
        settings["Bridge:MaxInFlight"] = "200";
        settings["Bridge:ReceiveMaximum"] = "200";
        settings["Bridge:BatchSize"] = "100";
        await using var bridge = await StartBridgeAsync(settings, ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var device = TestMessages.NewDevice();
        var messages = Enumerable.Range(0, 1000).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishManyAsync(messages, ct);
        await Poll.UntilAsync(() => bridge.Statistics.InFlight == 200 && bridge.Statistics.WriteFailures >= 3, Timeout,
            () => $"200 held with failing writes (in flight {bridge.Statistics.InFlight}, failures {bridge.Statistics.WriteFailures})", ct);

        // The broker stops sending at the receive maximum: nothing more was read, nothing acknowledged.
        Assert.Equal(200, bridge.Statistics.Received);
        Assert.Equal(0, bridge.Statistics.Acknowledged);
        Assert.NotNull(bridge.Statistics.LastWriteError);

        await database.StartAsync(ct);
        await WaitUntilStoredOnceAsync(database, messages, ct);
        await Poll.UntilAsync(() => bridge.Statistics.Acknowledged == 1000 && bridge.Statistics.InFlight == 0, Timeout,
            () => $"all acknowledged ({bridge.Statistics.Acknowledged}, in flight {bridge.Statistics.InFlight})", ct);
        Assert.Null(bridge.Statistics.LastWriteError);
    }

    [Fact]
    public async Task Bridge_RestartedWithABacklogInItsSession_DrainsEveryIdOnceNeverHoldingMoreThanTheReceiveMaximum()
    {
        // The bridge is away (crashed: nothing acknowledged, the session stays) while 10 000 messages arrive; back, it
        // may hold only 100 unacknowledged at a time, so the broker refills its window a hundred times. The bound is the
        // broker's to keep (the MQTT client cannot stop reading): Debian 12's mosquitto 2.0.11 sent up to 503 here,
        // which is why CI installs mosquitto from bookworm-backports (.ci/run).
        var ct = TestContext.Current.CancellationToken;
        var (bridge, messages) = await RestartWithABacklogAsync(servers.Broker, ct);
        await using var _ = bridge;

        await WaitUntilStoredOnceAsync(servers.Database, messages, ct);
        await Poll.UntilAsync(() => bridge.Statistics.Acknowledged == messages.Count, Timeout,
            () => $"all acknowledged ({bridge.Statistics.Acknowledged})", ct);
        Assert.Equal(messages.Count, bridge.Statistics.Received);
        Assert.InRange(bridge.Statistics.PeakUnacknowledged, 1, 100);
    }

    [Fact]
    public async Task Bridge_BrokerOverrunningTheReceiveMaximum_LogsOneWarningAndReportsThePeak()
    {
        // Debian 12's mosquitto 2.0.11 refills a subscriber's window past its receive maximum (fixed in 2.0.13); the
        // bridge cannot stop its MQTT client from reading, so it must at least say so. .ci/run unpacks that broker.
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(ct, binary: OldMosquitto.Require());
        var logger = new FakeLogger<MqttInfluxBridge>();
        var (bridge, messages) = await RestartWithABacklogAsync(broker, ct, logger);
        await using var _ = bridge;

        await WaitUntilStoredOnceAsync(servers.Database, messages, ct);
        Assert.True(bridge.Statistics.PeakUnacknowledged > 100, $"peak unacknowledged {bridge.Statistics.PeakUnacknowledged}");
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Message.Contains("receive maximum", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("more than the receive maximum of 100", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bridge_DatabaseKilledMidStreamAndRestarted_StoresEveryIdOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await VictoriaMetricsServer.CreateAsync(start: true, ct);
        await using var bridge = await StartBridgeAsync(Settings(NewInstance(), database: database), ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var device = TestMessages.NewDevice();
        var first = Enumerable.Range(0, 1000).Select(i => TestMessages.Started(device, i)).ToList();
        var second = Enumerable.Range(1000, 1000).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishManyAsync(first, ct);
        await Poll.UntilAsync(() => bridge.Statistics.Written > 0, Timeout, () => "first writes", ct);
        await database.StopAsync(ct);
        await publisher.PublishManyAsync(second, ct);
        await Poll.UntilAsync(() => bridge.Statistics.WriteFailures > 0, Timeout, () => "a failed write", ct);
        await database.StartAsync(ct);

        await WaitUntilStoredOnceAsync(database, [.. first, .. second], ct);
    }

    [Fact]
    public async Task Bridge_MosquittoRestarted_ReconnectsAndStoresEveryIdOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bridge = await StartBridgeAsync(Settings(NewInstance()), ct);
        var device = TestMessages.NewDevice();
        var before = Enumerable.Range(0, 1500).Select(i => TestMessages.Started(device, i)).ToList();
        var after = Enumerable.Range(1500, 500).Select(i => TestMessages.Started(device, i)).ToList();
        await using (var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct))
        {
            await publisher.PublishManyAsync(before, ct);
        }

        // Whatever the bridge has not acknowledged yet is in its session, which mosquitto saves on SIGTERM.
        await servers.Broker.StopAsync(ct);
        await servers.Broker.RestartAsync(ct);
        await Poll.UntilAsync(() => bridge.Statistics.Connects >= 2 && bridge.IsConnected, Timeout, () => "the bridge reconnected", ct);
        await using (var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct))
        {
            await publisher.PublishManyAsync(after, ct);
        }

        await WaitUntilStoredOnceAsync(servers.Database, [.. before, .. after], ct);
    }

    [Fact]
    public async Task TwoBridges_OneShareGroup_EachMessageWrittenOnceAndLoadSplit()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = "g-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await StartBridgeAsync(Settings(NewInstance(), group), ct);
        await using var second = await StartBridgeAsync(Settings(NewInstance(), group), ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var devices = Enumerable.Range(0, 20).Select(_ => TestMessages.NewDevice()).ToList();
        var messages = Enumerable.Range(0, 100).SelectMany(i => devices.Select(d => TestMessages.Started(d, i))).ToList();

        await publisher.PublishManyAsync(messages, ct);

        await WaitUntilStoredOnceAsync(servers.Database, messages, ct);
        await Poll.UntilAsync(() => first.Statistics.Acknowledged + second.Statistics.Acknowledged == messages.Count, Timeout,
            () => $"{first.Statistics.Acknowledged} + {second.Statistics.Acknowledged} acknowledged", ct);
        Assert.Equal(messages.Count, first.Statistics.Received + second.Statistics.Received);
        Assert.InRange(first.Statistics.Received, messages.Count / 5, messages.Count * 4 / 5);
    }

    [Fact]
    public async Task Bridge_WithoutAConfiguredInstanceId_StartsCleanSoWhenItIsGoneNoShareWaitsForIt()
    {
        // The default id is the host name, new with every container: in a kept session each gone instance would hold
        // its share of the group's messages (half of them here) until the session expired.
        var ct = TestContext.Current.CancellationToken;
        var group = "g-" + Guid.NewGuid().ToString("N")[..8];
        var unnamed = Settings(NewInstance(), group);
        unnamed.Remove("Bridge:InstanceId");
        var gone = await StartBridgeAsync(unnamed, ct);
        Assert.False(gone.Options.PersistentSession);
        await gone.DisposeAsync();
        await using var bridge = await StartBridgeAsync(Settings(NewInstance(), group), ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var device = TestMessages.NewDevice();
        var messages = Enumerable.Range(0, 200).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishManyAsync(messages, ct);

        await WaitUntilStoredOnceAsync(servers.Database, messages, ct);
        Assert.Equal(messages.Count, bridge.Statistics.Received);
    }

    [Fact]
    public async Task Bridge_AnotherBridgeOfTheGroupStoppedWithItsSessionKept_ReportsTheGroupSplitInItsStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = "g-" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = (NewInstance(), NewInstance());
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        await publisher.SubscribeAsync(BridgeTopics.Status(first), ct);
        await using var bridge = await StartBridgeAsync(Settings(first, group), ct);
        var stopped = await StartBridgeAsync(Settings(second, group), ct);
        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.Status(first)).Any(s => s.Payload.Contains($"\"share_group\":\"{group}\"", StringComparison.Ordinal)),
            Timeout, () => "the first status", ct);
        Assert.DoesNotContain(publisher.Received(BridgeTopics.Status(first)), s => s.Payload.Contains("\"split\"", StringComparison.Ordinal));

        await stopped.StopAsync(ct);
        await stopped.DisposeAsync();

        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.Status(first)).Any(s => s.Payload.Contains($"\"split\":[\"{second}\"]", StringComparison.Ordinal)),
            Timeout, () => "a status naming the stopped bridge: " + string.Join(" | ", publisher.Received(BridgeTopics.Status(first)).Select(s => s.Payload).TakeLast(2)), ct);
    }

    [Fact]
    public async Task Bridge_FloodOfMalformedPayloads_DeadLettersAndCountsThemAndStoresTheValidOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bridge = await StartBridgeAsync(Settings(NewInstance()), ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        await publisher.SubscribeAsync(BridgeTopics.DeadLetter, ct);
        var device = TestMessages.NewDevice();
        var valid = Enumerable.Range(0, 400).Select(i => TestMessages.Started(device, i)).ToList();
        var topic = new ContractTopics(device).Event;
        string[] malformed =
        [
            "not json at all",
            "{\"schema\":\"crampsense.event.v1\"}",
            TestMessages.Json(TestMessages.Started("someone-else", 1)),
            TestMessages.Json(TestMessages.Telemetry(device, 1)),
            "{\"schema\":\"crampsense.event.v1\",\"id\":1}",
            "\u0000\u0001binary",
        ];

        for (var i = 0; i < valid.Count; i++)
        {
            await publisher.PublishAsync(valid[i], ct);
            await publisher.PublishRawAsync(topic, malformed[i % malformed.Length], ct);
        }

        await WaitUntilStoredOnceAsync(servers.Database, valid, ct);
        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.DeadLetter).Count(d => d.Payload.Contains(device, StringComparison.Ordinal)) >= 400, Timeout,
            () => $"{publisher.Received(BridgeTopics.DeadLetter).Count} dead letters", ct);
        Assert.Equal(400, bridge.Statistics.DeadLettered);
        Assert.True(bridge.IsConnected);
        var letters = publisher.Received(BridgeTopics.DeadLetter).Select(d => JsonDocument.Parse(d.Payload).RootElement).ToList();
        Assert.All(letters, l => Assert.Equal(topic, l.GetProperty("topic").GetString()));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.StartsWith("payload is not JSON", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString() == $"payload device 'someone-else' is not the topic's device '{device}'.");
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("does not match crampsense.event.v1", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("payload").GetString() == "not json at all");
    }

    /// <summary>
    /// Payloads a device may publish that once passed the schema but not the C# reader (whole numbers beyond the C#
    /// type, 1e400), or broke it (invalid UTF-8 or a lone surrogate inside a string); <paramref name="index"/> picks one.
    /// </summary>
    private static (string Topic, byte[] Payload) Poison(string device, int index)
    {
        var status = TestMessages.Json(TestMessages.Status(device, index));
        var started = TestMessages.Json(TestMessages.Started(device, index));
        var topics = new ContractTopics(device);
        byte[] Text(string json) => System.Text.Encoding.UTF8.GetBytes(json);
        switch (index % 8)
        {
            case 0: return (topics.Status, Text(status.Replace("\"cramps_today\":3", "\"cramps_today\":1e10", StringComparison.Ordinal)));
            case 1: return (topics.Status, Text(status.Replace("\"cramps_today\":3", "\"cramps_today\":3000000000", StringComparison.Ordinal)));
            case 2: return (topics.Status, Text(status.Replace("\"cramps_today\":3", "\"cramps_today\":1e400", StringComparison.Ordinal)));
            case 3: return (topics.Status, Text(status.Replace("\"pending\":7", "\"pending\":1e400", StringComparison.Ordinal)));
            case 4: return (topics.Status, Text(status.Replace("\"pending\":7", "\"pending\":9007199254740993", StringComparison.Ordinal)));
            case 5: return (topics.Status, Text(status.Replace("\"cramps_today\":3", "\"cramps_today\":1.5", StringComparison.Ordinal)));
            case 6:
                var bytes = Text(started.Replace("m-2026.11", "m-2026@11", StringComparison.Ordinal));
                bytes[Array.IndexOf(bytes, (byte)'@')] = 0xFF;
                return (topics.Event, bytes);
            default: return (topics.Event, Text(started.Replace("m-2026.11", "m-\\ud800", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Bridge_ThousandsOfPoisonPayloadsFromManyDevicesAmongValidOnes_DeadLettersEachWithAReasonAndStoresEveryValidOne()
    {
        // 20 devices × 150 poison payloads (8 kinds, Poison) = 3000, mixed with 20 × 50 valid events and one status per
        // device whose integers are whole numbers in other notations (1E2, 7.0: valid, ContractInteger). With a receive
        // maximum of 20, every poison message held unacknowledged would take a slot for good and stop the bridge.
        // The flow-control claim is also PayloadWorkersTests' (a fake broker, no wall time); here the waits are hang
        // guards only, so a loaded machine makes the test slower, not red.
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(NewInstance());
        settings["Bridge:ReceiveMaximum"] = "20";
        settings["Bridge:MaxInFlight"] = "40";
        settings["Bridge:BatchSize"] = "20";
        await using var bridge = await StartBridgeAsync(settings, ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        await publisher.SubscribeAsync(BridgeTopics.DeadLetter, ct);
        var devices = Enumerable.Range(0, 20).Select(_ => TestMessages.NewDevice()).ToList();
        var valid = new List<EventMessage>();
        var payloads = new List<(string Topic, byte[] Payload)>();
        for (var i = 0; i < 150; i++)
        {
            foreach (var device in devices)
            {
                payloads.Add(Poison(device, i));
                if (i % 3 == 0)
                {
                    var started = TestMessages.Started(device, 1000 + i);
                    valid.Add(started);
                    payloads.Add((TestMessages.Topic(started), System.Text.Encoding.UTF8.GetBytes(TestMessages.Json(started))));
                }
            }
        }

        foreach (var device in devices)
        {
            var status = TestMessages.Json(TestMessages.Status(device, 9999))
                .Replace("\"cramps_today\":3", "\"cramps_today\":1E2", StringComparison.Ordinal)
                .Replace("\"pending\":7", "\"pending\":7.0", StringComparison.Ordinal);
            payloads.Add((new ContractTopics(device).Status, System.Text.Encoding.UTF8.GetBytes(status)));
        }

        await publisher.PublishManyRawAsync(payloads, ct);

        await WaitUntilStoredOnceAsync(servers.Database, valid, ct, HangGuard);
        var deviceSet = devices.ToHashSet();
        IReadOnlyList<VictoriaMetricsServer.Sample> statuses = [];
        await Poll.UntilAsync(
            async () => (statuses = await StoredPoints.SamplesAsync(servers.Database, "device_status", deviceSet, ct)).Count(s => s.Name == "device_status_cramps_today") == devices.Count,
            HangGuard, () => $"{statuses.Count(s => s.Name == "device_status_cramps_today")} of {devices.Count} statuses", ct);
        Assert.All(statuses.Where(s => s.Name == "device_status_cramps_today"), s => Assert.Equal(100, s.Value));
        Assert.All(statuses.Where(s => s.Name == "device_status_outbox_pending"), s => Assert.Equal(7, s.Value));

        List<JsonElement> Letters() => [.. publisher.Received(BridgeTopics.DeadLetter).Select(d => JsonDocument.Parse(d.Payload).RootElement)
            .Where(l => deviceSet.Contains(l.GetProperty("topic").GetString()!.Split('/')[2]))];
        await Poll.UntilAsync(() => Letters().Count >= 3000, HangGuard, () => $"{Letters().Count} of 3000 dead letters", ct);
        var letters = Letters();
        Assert.Equal(3000, letters.Count);
        Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("reason").GetString())));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("/cramps_today", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("/outbox/pending", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.StartsWith("payload is not UTF-8", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("not valid Unicode", StringComparison.Ordinal));

        // Kept up: nothing is held, every message was acknowledged (written or dead-lettered).
        await Poll.UntilAsync(() => bridge.Statistics.Unacknowledged == 0 && bridge.Statistics.InFlight == 0, HangGuard,
            () => $"unacknowledged {bridge.Statistics.Unacknowledged}, in flight {bridge.Statistics.InFlight}", ct);
        Assert.Equal(payloads.Count, bridge.Statistics.Received);
        Assert.Equal(3000, bridge.Statistics.DeadLettered);
        Assert.Equal(valid.Count + devices.Count, bridge.Statistics.Written);
    }

    [Fact]
    public async Task Bridge_PayloadsOverItsLimits_TheHugeOneIsNeverSentToItTheLargeOneIsDeadLetteredAsAPrefix()
    {
        // Mqtt:MaxPayloadBytes 16 KiB: the bridge announces a maximum packet size of 20 KiB, so mosquitto (which here has
        // no limit of its own) never sends it the 4-MB payload; the 18-KB one arrives and is dead-lettered with 4 KiB.
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(NewInstance());
        settings["Mqtt:MaxPayloadBytes"] = "16384";
        await using var bridge = await StartBridgeAsync(settings, ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        await publisher.SubscribeAsync(BridgeTopics.DeadLetter, ct);
        var device = TestMessages.NewDevice();
        var topic = new ContractTopics(device).Event;
        var valid = Enumerable.Range(0, 10).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishRawAsync(topic, new string('h', 4 * 1024 * 1024), ct);
        await publisher.PublishRawAsync(topic, new string('l', 18_000), ct);
        await publisher.PublishManyAsync(valid, ct);

        await WaitUntilStoredOnceAsync(servers.Database, valid, ct);
        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.DeadLetter).Any(d => d.Payload.Contains(topic, StringComparison.Ordinal)), Timeout, () => "the dead letter", ct);
        var letter = JsonDocument.Parse(Assert.Single(publisher.Received(BridgeTopics.DeadLetter), d => d.Payload.Contains(topic, StringComparison.Ordinal)).Payload).RootElement;
        Assert.Equal(18_000, letter.GetProperty("payload_bytes").GetInt64());
        Assert.True(letter.GetProperty("truncated").GetBoolean());
        Assert.Equal(new string('l', DeadLetter.MaxPayloadPrefixBytes), letter.GetProperty("payload").GetString());
        Assert.Contains("larger than Mqtt:MaxPayloadBytes (16384)", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(valid.Count + 1, bridge.Statistics.Received);
    }

    [Fact]
    public async Task Bridge_StatusIntervalShorterThanTheReconnectDelay_RefreshesTheStatusAtItsOwnInterval()
    {
        // The supervisor checks the connection every Mqtt:ReconnectMinSeconds (here 60 s); the status must not wait for
        // that (it did: the benchmark's 0.1-s status came once a second).
        var ct = TestContext.Current.CancellationToken;
        var instance = NewInstance();
        var settings = Settings(instance);
        settings["Mqtt:ReconnectMinSeconds"] = "60";
        settings["Mqtt:ReconnectMaxSeconds"] = "60";
        settings["Bridge:StatusIntervalSeconds"] = "0.1";
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var status = BridgeTopics.Status(instance);
        await publisher.SubscribeAsync(status, ct);

        await using var bridge = await StartBridgeAsync(settings, ct);

        await Poll.UntilAsync(() => publisher.Received(status).Count(s => s.Payload.Contains("\"state\":\"online\"", StringComparison.Ordinal)) >= 5,
            Timeout, () => $"{publisher.Received(status).Count} statuses", ct);
        Assert.True(bridge.IsConnected);
    }

    [Fact]
    public async Task Bridge_StatusTopic_IsRetainedOnlineWithCountersAndOfflineAfterStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var instance = NewInstance();
        var bridge = await StartBridgeAsync(Settings(instance), ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var device = TestMessages.NewDevice();
        await publisher.PublishManyAsync(Enumerable.Range(0, 10).Select(i => TestMessages.Started(device, i)), ct);
        await Poll.UntilAsync(() => bridge.Statistics.Acknowledged == 10, Timeout, () => "10 acknowledged", ct);

        var status = BridgeTopics.Status(instance);
        await publisher.SubscribeAsync(status, ct);
        await Poll.UntilAsync(
            () => publisher.Received(status).Any(s => s.Payload.Contains("\"state\":\"online\"", StringComparison.Ordinal) && s.Payload.Contains("\"written\":10", StringComparison.Ordinal)),
            Timeout, () => "online status with written 10: " + string.Join(" | ", publisher.Received(status).Select(s => s.Payload)), ct);
        Assert.True(publisher.Received(status)[0].Retained);

        await bridge.StopAsync(ct);
        await bridge.DisposeAsync();

        await Poll.UntilAsync(() => publisher.Received(status).Any(s => s.Payload.Contains("\"state\":\"offline\"", StringComparison.Ordinal)), Timeout, () => "offline status", ct);
    }
}

using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Fakes;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Contract;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MQTTnet;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The check-and-map rules of <see cref="PayloadWorkers"/>, through the bridge over fakes.</summary>
public sealed class PayloadWorkersTests
{
    [Fact]
    public async Task QoS0BurstWhileTheDatabaseHoldsItsWrite_IsShedCountedAndLoggedWithItsTopic_AndEveryQoS1MessageIsStored()
    {
        // Real mosquitto, a database that holds its first write until the test lets it go: the bridge's queues fill,
        // 2 000 QoS 0 telemetry messages then 100 QoS 1 events arrive. Held at most: the intake's QoS 0 room
        // (MaxInFlight), one per worker, the writer's queue (MaxInFlight) and the batch being written, so at least
        // the rest must be shed; the events have the receive maximum's room and must all be stored.
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(ct);
        var instance = "b-" + Guid.NewGuid().ToString("N")[..8];
        var settings = BridgeSettings.For(broker.Port, new Uri("http://127.0.0.1:1"), instance, "g-" + instance);
        settings["Bridge:MaxInFlight"] = "100";
        settings["Bridge:BatchSize"] = "50";
        settings["Bridge:ReceiveMaximum"] = "100";
        var changes = new ChangeSignal();
        var database = new FakePointWriter(changes) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var logger = new FakeLogger<MqttInfluxBridge>();
        await using var bridge = new MqttInfluxBridge(BridgeSettings.Options(settings), new MqttClientFactory().CreateMqttClient(), database, logger: logger);
        await bridge.StartAsync(ct);
        await bridge.WaitUntilConnectedAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);
        await using var publisher = await TestPublisher.ConnectAsync(broker.Port, ct);
        var device = TestMessages.NewDevice();
        var telemetry = Enumerable.Range(0, 2000).Select(i => TestMessages.Telemetry(device, i)).ToList();
        var events = Enumerable.Range(0, 100).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishAtMostOnceAsync(telemetry, ct);
        await publisher.PublishManyAsync(events, ct);
        await Poll.UntilAsync(() => Task.FromResult(bridge.Statistics.Received == 2100), ChangeSignal.HangGuard,
            () => $"all 2 100 received while the write is held (received {bridge.Statistics.Received}, shed {bridge.Statistics.Shed})", ct);
        var heldAtMost = 100 + PayloadWorkers.Count + 100 + 50;
        Assert.InRange(bridge.Statistics.Shed, 2000 - heldAtMost, 2000);
        // One line when shedding starts (more only if the queue ran empty in between while it filled), naming the topic.
        var shedding = logger.Collector.GetSnapshot().Where(r => r.Message.StartsWith("Shedding QoS 0", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(shedding);
        Assert.All(shedding, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.All(shedding, r => Assert.Contains(new ContractTopics(device).Telemetry, r.Message, StringComparison.Ordinal));

        database.Gate.SetResult();
        await Poll.UntilAsync(() => Task.FromResult(bridge.Statistics.InFlight == 0 && bridge.Statistics.Acknowledged == bridge.Statistics.Written), ChangeSignal.HangGuard,
            () => $"all held written (in flight {bridge.Statistics.InFlight}, written {bridge.Statistics.Written}, acknowledged {bridge.Statistics.Acknowledged})", ct);
        Assert.Equal(2100 - bridge.Statistics.Shed, bridge.Statistics.Written);
        Assert.Equal(100, database.Stored.Count(line => line.StartsWith(InfluxSchema.CrampEvent + ",", StringComparison.Ordinal)));
        Assert.Equal(0, bridge.Statistics.Unacknowledged);

        // The next QoS 0 message finds the queue empty and is taken; each burst is summed up in one line.
        await publisher.PublishAtMostOnceAsync([TestMessages.Telemetry(device, 2000)], ct);
        await Poll.UntilAsync(() => Task.FromResult(bridge.Statistics.Written == 2101 - bridge.Statistics.Shed), ChangeSignal.HangGuard,
            () => $"the next telemetry message written (written {bridge.Statistics.Written})", ct);
        var ended = logger.Collector.GetSnapshot().Where(r => r.Message.StartsWith("Shed ", StringComparison.Ordinal)).ToList();
        Assert.Equal(shedding.Count, ended.Count);
        Assert.All(ended, r => Assert.Contains($"QoS 0 messages (the first from {new ContractTopics(device).Telemetry})", r.Message, StringComparison.Ordinal));
        Assert.Equal(bridge.Statistics.Shed, ended.Sum(r => long.Parse(r.GetStructuredStateValue("Count")!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PoisonPayload_IsDeadLetteredWithItsReasonAndAcknowledged_AndNothingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(), ct);
        var device = TestMessages.NewDevice();

        var id = await fake.DeliverPoisonAsync(device, 0);

        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 1, () => "the poison payload acknowledged", ct);
        Assert.Equal(id, Assert.Single(fake.Client.Acknowledged));
        var letter = Assert.Single(fake.DeadLetters).ConvertPayloadToString();
        Assert.Contains(device, letter, StringComparison.Ordinal);
        Assert.Contains("\"reason\"", letter, StringComparison.Ordinal);
        Assert.Empty(fake.Database.Attempts);
        Assert.Equal(1, fake.Bridge.Statistics.DeadLettered);
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
        Assert.Equal(0, fake.Bridge.Statistics.Unacknowledged);
    }

    [Fact]
    public async Task ThousandsOfPoisonPayloadsBehindAReceiveMaximumOfTwenty_NeverHoldASlot_SoEveryValidOneIsWritten()
    {
        // The flow-control claim of the real-server test (MqttInfluxBridgeTests.Bridge_ThousandsOfPoisonPayloads…)
        // without a broker: the fake broker sends a message only while fewer than 20 are unacknowledged, as an MQTT 5
        // broker honouring the receive maximum does. A poison message held unacknowledged would keep its slot for good,
        // and after 20 of them the pipe would stop. The clock is the system's (the linger closes half-full batches);
        // nothing here is measured against it.
        var ct = TestContext.Current.CancellationToken;
        const int ReceiveMaximum = 20;
        await using var fake = await FakeBridge.StartAsync(
            FakeBridge.Settings(s =>
            {
                s["Bridge:ReceiveMaximum"] = "20";
                s["Bridge:MaxInFlight"] = "40";
                s["Bridge:BatchSize"] = "20";
            }),
            ct,
            systemTime: true);
        var devices = Enumerable.Range(0, 20).Select(_ => TestMessages.NewDevice()).ToList();
        var sent = 0;
        var valid = 0;
        for (var i = 0; i < 150; i++)
        {
            foreach (var device in devices)
            {
                for (var kind = 0; kind < (i % 3 == 0 ? 2 : 1); kind++)
                {
                    var unacknowledgedAtMost = sent - ReceiveMaximum;
                    await fake.UntilAsync(() => fake.Client.Acknowledged.Count > unacknowledgedAtMost, () => $"a free slot ({fake.Client.Acknowledged.Count} of {sent} acknowledged)", ct);
                    if (kind == 0)
                    {
                        await fake.DeliverPoisonAsync(device, i);
                    }
                    else
                    {
                        await fake.DeliverValidAsync(device, 1000 + i);
                        valid++;
                    }

                    sent++;
                }
            }
        }

        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == sent, () => $"{fake.Client.Acknowledged.Count} of {sent} acknowledged", ct);
        Assert.Equal(3000, fake.DeadLetters.Count);
        Assert.Equal(valid, fake.Database.Stored.Distinct().Count());
        Assert.Equal(sent, fake.Bridge.Statistics.Received);
        Assert.Equal(3000, fake.Bridge.Statistics.DeadLettered);
        Assert.Equal(valid, fake.Bridge.Statistics.Written);
        Assert.InRange(fake.Bridge.Statistics.PeakUnacknowledged, 1, ReceiveMaximum);
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
    }
}

using System.Text.Json.Nodes;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>The publisher against a real mosquitto, checked by mosquitto_sub as an independent client.</summary>
public sealed class MqttPublisherTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("mqttv5")]
    [InlineData("mqttv311")]
    public async Task Publish_OneOfEachKind_MosquittoSubReceivesSchemaValidPayloadsInOrder(string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(mosquitto.Broker.Port, device);
        var topics = new ContractTopics(device);
        using var sub = await MosquittoSub.StartAsync(mosquitto.Broker.Port, $"{topics.Event} {topics.Prompt} {topics.Fault} {topics.Telemetry}", 6, 20, protocol, ct);
        using var sub2 = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.Event, 3, 20, protocol, ct);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            // Queue before starting: the outbox keeps them until the connection exists.
            var sent = await TestPublishers.PublishOneOfEachAsync(publisher, device, ct);
            await publisher.StartAsync(ct);

            var received = await sub.CompletionAsync(ct);
            Assert.Equal(6, received.Count);
            var all = await sub2.CompletionAsync(ct);

            Assert.Equal(3, all.Count);
            Assert.Equal(
                sent.OfType<EventMessage>().Select(e => e.Id),
                all.Select(m => (string)JsonNode.Parse(m.Payload)!["id"]!));
            foreach (var message in received.Concat(all))
            {
                SchemaValidator.AssertValid(message.Payload);
                Assert.Equal(device, (string?)JsonNode.Parse(message.Payload)!["device"]);
            }

            var telemetry = received.Single(m => m.Topic == topics.Telemetry);
            Assert.Equal(0, telemetry.Qos);
            Assert.All(received.Where(m => m.Topic != topics.Telemetry), m => Assert.Equal(1, m.Qos));
            if (protocol == "mqttv5")
            {
                Assert.All(received, m => Assert.Equal("application/json", m.ContentType));
                var prompt = received.Single(m => m.Topic == topics.Prompt);
                Assert.Contains($"schema:{SchemaNames.Prompt}", prompt.UserProperties);
                Assert.Contains("id:p-1", prompt.UserProperties);
            }

            await publisher.WaitUntilDeliveredAsync(ct).WaitAsync(Timeout, ct);
            Assert.Equal(0, publisher.Outbox.Statistics.Pending);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Start_Connected_RetainedStatusIsOnlineWithOutboxCounters_AndOfflineAfterStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(mosquitto.Broker.Port, device);
        var topics = new ContractTopics(device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            await publisher.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);

            using (var status = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.Status, 1, 10, "mqttv5", ct))
            {
                var online = (await status.CompletionAsync(ct)).Single();
                Assert.True(online.Retained);
                SchemaValidator.AssertValid(online.Payload);
                var node = JsonNode.Parse(online.Payload)!;
                Assert.Equal("online", (string?)node["state"]);
                Assert.Equal(0, (long)node["outbox"]!["dropped_event"]!);
            }

            await publisher.StopAsync(ct);

            using var after = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.Status, 1, 10, "mqttv311", ct);
            var offline = (await after.CompletionAsync(ct)).Single();
            Assert.Equal("offline", (string?)JsonNode.Parse(offline.Payload)!["state"]);
        }
        finally
        {
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task HomeAssistantBirth_Online_DiscoveryIsPublishedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(mosquitto.Broker.Port, device);
        var topics = new ContractTopics(device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            await publisher.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);

            // The retained config arrives at once; the second copy only comes if the birth message is answered.
            using var discovery = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.HomeAssistantDiscovery, 2, 15, "mqttv5", ct);
            await Poll.UntilAsync(() => discovery.Messages.Count >= 1, Timeout, "retained discovery config", ct);
            var (exit, output) = await Tools.RunAsync(
                Tools.Require("mosquitto_pub"),
                ["-h", "127.0.0.1", "-p", mosquitto.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "homeassistant/status", "-m", "online", "-q", "1"],
                ct);
            Assert.True(exit == 0, output);

            var configs = await discovery.CompletionAsync(ct);
            Assert.Equal(2, configs.Count);
            Assert.True(configs[0].Retained);
            var config = JsonNode.Parse(configs[1].Payload)!;
            Assert.NotNull(config["dev"]);
            Assert.NotNull(config["o"]);
            Assert.All(config["cmps"]!.AsObject(), c => Assert.NotNull(c.Value!["unique_id"]));
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Publish_OversizedPrompt_ThrowsClearErrorAndLaterMessagesStillArrive()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(mosquitto.Broker.Port, device);
        var topics = new ContractTopics(device);
        using var sub = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.Prompt, 1, 20, "mqttv5", ct);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            var huge = Samples.Prompt(device, "huge") with { Text = new string('x', options.MaxPayloadBytes) };

            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await publisher.PublishPromptAsync(huge, ct));
            Assert.Contains("Mqtt:MaxPayloadBytes", ex.Message);
            Assert.Contains("huge", ex.Message);

            await publisher.PublishPromptAsync(Samples.Prompt(device, "small"), ct);
            var received = (await sub.CompletionAsync(ct)).Single();
            Assert.Equal("small", (string?)JsonNode.Parse(received.Payload)!["id"]);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Publish_ForAnotherDevice_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = TestPublishers.Options(mosquitto.Broker.Port, TestPublishers.NewDevice());
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await publisher.PublishPromptAsync(Samples.Prompt("other-device"), ct));
            Assert.Contains("Device:Id", ex.Message);
            Assert.Equal(0, publisher.Outbox.Statistics.Pending);
        }
        finally
        {
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Status_AfterOutboxDrops_ReportsTheDropCountsAndCrampsToday()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var basic = TestPublishers.Options(mosquitto.Broker.Port, device);
        var options = new Configuration.MessagingOptions
        {
            Host = basic.Host,
            Port = basic.Port,
            DeviceId = device,
            OutboxPath = basic.OutboxPath,
            ReconnectMinDelay = basic.ReconnectMinDelay,
            MaxPayloadBytes = 1024,
            OutboxMaxBytes = 2048,
        };
        var topics = new ContractTopics(device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            // Not started yet (as when offline): the small outbox fills and drops the oldest telemetry.
            for (var i = 0; i < 20; i++)
            {
                await publisher.PublishTelemetryAsync(Samples.Telemetry(device, $"t-{i}"), ct);
            }

            await publisher.PublishEventAsync(Samples.Started(device), ct);
            var dropped = publisher.Outbox.Statistics.DroppedTelemetry;
            Assert.True(dropped > 0);

            await publisher.StartAsync(ct);
            await publisher.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);
            using var status = await MosquittoSub.StartAsync(mosquitto.Broker.Port, topics.Status, 1, 10, "mqttv5", ct);
            var node = JsonNode.Parse((await status.CompletionAsync(ct)).Single().Payload)!;

            Assert.Equal(dropped, (long)node["outbox"]!["dropped_telemetry"]!);
            Assert.Equal(0, (long)node["outbox"]!["dropped_event"]!);
            Assert.Equal(1, (int)node["cramps_today"]!);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task CrampsToday_ARejectedCramp_IsNotCountedAndAConfirmedOrReportedOneIs()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(mosquitto.Broker.Port, device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            var first = Samples.Started(device, onset: 10);
            var second = Samples.Started(device, onset: 20);
            await publisher.PublishEventAsync(first, ct);
            await publisher.PublishEventAsync(second, ct);
            await publisher.PublishEventAsync(second, ct); // sent again (a restart): still one cramp
            Assert.Equal(2, CrampsToday());

            await publisher.PublishEventAsync(Feedback(first, EventMessage.Rejected), ct);
            Assert.Equal(1, CrampsToday());
            await publisher.PublishEventAsync(Feedback(first, EventMessage.Rejected), ct); // rejected twice: taken once
            await publisher.PublishEventAsync(Feedback(second, EventMessage.Confirmed), ct);
            Assert.Equal(1, CrampsToday());

            await publisher.PublishEventAsync(Feedback(Samples.Started(device, onset: 5), EventMessage.Rejected), ct); // never counted today
            Assert.Equal(1, CrampsToday());

            await publisher.PublishEventAsync(Feedback(first, EventMessage.Confirmed), ct); // rejected, then confirmed
            await publisher.PublishEventAsync(Feedback(Samples.Started(device, onset: 30) with { EventId = $"{device}:calf:report:30000" }, EventMessage.Reported), ct);
            Assert.Equal(3, CrampsToday());
        }
        finally
        {
            TestPublishers.DeleteOutbox(options);
        }

        int? CrampsToday() => publisher.CurrentStatus(StatusMessage.Online).CrampsToday;
    }

    private static EventMessage Feedback(EventMessage cramp, string feedback) => cramp with
    {
        Id = $"{cramp.EventId}:{EventMessage.FeedbackApplied}:{feedback}",
        Type = EventMessage.FeedbackApplied,
        Feedback = feedback,
        CommandId = "c-" + feedback,
    };
}

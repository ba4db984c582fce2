using System.Text.Json.Nodes;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>The publisher when the broker is away, comes back, or refuses the credentials (each test runs its own mosquitto).</summary>
public sealed class MqttPublisherConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Publish_WhileBrokerIsDown_QueuesWithoutErrors_AndDeliversInOrderAfterItReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(ct, persistence: true);
        var device = TestPublishers.NewDevice();
        var topics = new ContractTopics(device);
        var phone = "phone-" + device;
        await PersistentSubscriber.CreateSessionAsync(broker.Port, phone, topics.Event, ct);
        var options = TestPublishers.Options(broker.Port, device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            await publisher.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);
            await broker.StopAsync(ct);
            await Poll.UntilAsync(() => publisher.LastConnectionError is not null, Timeout, "a failed reconnect", ct);
            Assert.False(publisher.IsConnected);

            var ids = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var started = Samples.Started(device, onset: 10 + i);
                await publisher.PublishEventAsync(started, ct);
                ids.Add(started.Id);
            }

            Assert.Equal(20, publisher.Outbox.Statistics.Pending);

            await broker.RestartAsync(ct);
            using var sub = await MosquittoSub.StartAsync(broker.Port, topics.Event, 20, 20, "mqttv5", ct, persistentClientId: phone);
            var received = await sub.CompletionAsync(ct);

            Assert.Equal(ids, received.Select(m => (string)JsonNode.Parse(m.Payload)!["id"]!));
            await publisher.WaitUntilDeliveredAsync(ct).WaitAsync(Timeout, ct);
            Assert.Null(publisher.LastConnectionError);
            Assert.True(publisher.ConnectCount >= 2);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Start_NothingListening_ReportsTheConnectErrorAndKeepsMessages()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(MosquittoBroker.FreePort(), device);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            await publisher.PublishEventAsync(Samples.Started(device), ct);
            await Poll.UntilAsync(() => publisher.LastConnectionError is not null, Timeout, "a failed connect", ct);

            Assert.False(publisher.IsConnected);
            Assert.Equal(1, publisher.Outbox.Statistics.Pending);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Start_WrongPassword_ReportsRefusal_ThenRightPasswordDeliversTheQueue()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("crampsense-passwd-").FullName;
        try
        {
            var passwordFile = Path.Combine(folder, "passwd");
            var (exit, output) = await Tools.RunAsync(Tools.Require("mosquitto_passwd"), ["-b", "-c", passwordFile, "wearable", "right-password"], ct);
            Assert.True(exit == 0, output);
            await using var broker = await MosquittoBroker.StartAsync(ct, passwordFile);
            var device = TestPublishers.NewDevice();
            var outbox = TestPublishers.TempOutbox();
            var started = Samples.Started(device);

            var wrong = TestPublishers.Options(broker.Port, device, outbox, "wearable", "wrong-password");
            await using (var publisher = MqttPublisher.Create(wrong))
            {
                await publisher.StartAsync(ct);
                await publisher.PublishEventAsync(started, ct);
                await Poll.UntilAsync(() => publisher.LastConnectionError is not null, Timeout, "a refused connect", ct);
                Assert.Contains("refused", publisher.LastConnectionError);
                Assert.Matches("BadUserNameOrPassword|NotAuthorized", publisher.LastConnectionError);
                Assert.False(publisher.IsConnected);
                Assert.Equal(1, publisher.Outbox.Statistics.Pending);
            }

            using var sub = await MosquittoSub.StartAsync(broker.Port, new ContractTopics(device).Event, 1, 20, "mqttv5", ct, "wearable", "right-password");
            var right = TestPublishers.Options(broker.Port, device, outbox, "wearable", "right-password");
            await using (var publisher = MqttPublisher.Create(right))
            {
                await publisher.StartAsync(ct);
                var received = (await sub.CompletionAsync(ct)).Single();
                Assert.Equal(started.Id, (string?)JsonNode.Parse(received.Payload)!["id"]);
                await publisher.WaitUntilDeliveredAsync(ct).WaitAsync(Timeout, ct);
                await publisher.StopAsync(ct);
            }

            TestPublishers.DeleteOutbox(right);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

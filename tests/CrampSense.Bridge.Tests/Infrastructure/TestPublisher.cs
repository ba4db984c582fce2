using System.Text;
using CrampSense.Contract;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>A plain MQTTnet client standing in for wearables: publishes contract messages QoS 1 and reads topics.</summary>
internal sealed class TestPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly List<(string Topic, string Payload, bool Retained)> _received = [];

    private TestPublisher(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            lock (_received)
            {
                _received.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString(), e.ApplicationMessage.Retain));
            }

            return Task.CompletedTask;
        };
    }

    public static async Task<TestPublisher> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N")[..10])
            .WithCleanStart(true)
            .Build(), cancellationToken);
        return new TestPublisher(client);
    }

    public Task SubscribeAsync(string filter, CancellationToken cancellationToken) =>
        _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

    public IReadOnlyList<(string Topic, string Payload, bool Retained)> Received(string topic)
    {
        lock (_received)
        {
            return [.. _received.Where(r => r.Topic == topic)];
        }
    }

    public Task PublishAsync(ContractMessage message, CancellationToken cancellationToken) =>
        PublishRawAsync(TestMessages.Topic(message), TestMessages.Json(message), cancellationToken);

    public Task PublishRawAsync(string topic, string payload, CancellationToken cancellationToken) =>
        PublishRawAsync(topic, Encoding.UTF8.GetBytes(payload), cancellationToken);

    public async Task PublishRawAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish to {topic} failed: {result.ReasonCode}");
        }
    }

    /// <summary>Publishes messages at QoS 0, as the wearable sends telemetry (no PUBACK: as fast as the socket takes them).</summary>
    public async Task PublishAtMostOnceAsync(IEnumerable<ContractMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await _client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(TestMessages.Topic(message)).WithPayload(TestMessages.Json(message))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build(),
                cancellationToken);
        }
    }

    /// <summary>Publishes many messages with up to 200 PUBACKs outstanding (fast, still QoS 1 each).</summary>
    public Task PublishManyAsync(IEnumerable<ContractMessage> messages, CancellationToken cancellationToken) =>
        PublishManyRawAsync(messages.Select(m => (TestMessages.Topic(m), Encoding.UTF8.GetBytes(TestMessages.Json(m)))), cancellationToken);

    /// <summary>Publishes many payloads with up to 200 PUBACKs outstanding, in order.</summary>
    public async Task PublishManyRawAsync(IEnumerable<(string Topic, byte[] Payload)> messages, CancellationToken cancellationToken)
    {
        var window = new List<Task>(200);
        foreach (var (topic, payload) in messages)
        {
            window.Add(PublishRawAsync(topic, payload, cancellationToken));
            if (window.Count == 200)
            {
                await Task.WhenAll(window);
                window.Clear();
            }
        }

        await Task.WhenAll(window);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.DisconnectAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException)
        {
        }

        _client.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CrampSense.Messaging.Broker;
using CrampSense.Messaging.Configuration;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.FirmwareHost.Tests.Infrastructure;

/// <summary>One received message: topic, JSON payload (null when not JSON), retained flag.</summary>
public sealed record Received(string Topic, string Payload, bool Retained)
{
    public JsonNode? Json => Payload.Length > 0 && Payload[0] == '{' ? JsonNode.Parse(Payload) : null;

    public string? Field(string name) => Json?[name]?.ToString();
}

/// <summary>
/// A broker of its own for a test (the same in-process MQTTnet broker the service embeds, on a free loopback
/// port) and a subscriber on <c>#</c> that records every message; waits are signalled per message, not slept.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly MessageLog _log = new();
    private EmbeddedBroker? _broker;
    private IMqttClient? _client;

    private TestBroker(int port) => Port = port;

    public int Port { get; }

    public IReadOnlyList<Received> Messages => _log.Messages;

    public static async Task<TestBroker> StartAsync(CancellationToken cancellationToken, int? port = null)
    {
        var broker = new TestBroker(port ?? FreePort());
        await broker.StartBrokerAsync(cancellationToken);
        return broker;
    }

    public async Task StartBrokerAsync(CancellationToken cancellationToken)
    {
        _broker = await EmbeddedBroker.StartAsync(new MessagingOptions { DeviceId = "test-broker", BrokerPort = Port }, cancellationToken);
        _client = new MqttClientFactory().CreateMqttClient();
        _log.Attach(_client);
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8]).Build(), cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the messages received so far.</summary>
    public Task<IReadOnlyList<Received>> WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken) =>
        _log.WaitUntilAsync(condition, timeout, what, cancellationToken);

    public async Task StopBrokerAsync()
    {
        if (_client is not null)
        {
            _client.Dispose();
            _client = null;
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
            _broker = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBrokerAsync();
        _log.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

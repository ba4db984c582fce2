using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<Received> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private EmbeddedBroker? _broker;
    private IMqttClient? _client;

    private TestBroker(int port) => Port = port;

    public int Port { get; }

    public IReadOnlyList<Received> Messages => [.. _messages];

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
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _messages.Enqueue(new Received(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty, e.ApplicationMessage.Retain));
            _arrived.Release();
            return Task.CompletedTask;
        };
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8]).Build(), cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the messages received so far.</summary>
    public async Task<IReadOnlyList<Received>> WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var now = Messages;
            if (condition(now))
            {
                return now;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}; got: {string.Join(" | ", now.Select(m => m.Topic + " " + m.Payload[..Math.Min(120, m.Payload.Length)]))}");
            }
        }
    }

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
        _arrived.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Diagnostics.PacketInspection;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace CrampSense.Testing;

/// <summary>
/// An <see cref="IMqttClient"/> without a broker: connects (or fails <see cref="FailConnects"/> times), grants every
/// subscription, records what is published and which packet ids are acknowledged, and lets the test deliver messages
/// and drop the connection.
/// </summary>
public sealed class FakeMqttClient(ChangeSignal changes) : IMqttClient
{
    private Func<MqttApplicationMessageReceivedEventArgs, Task>? _received;
    private Func<MqttClientDisconnectedEventArgs, Task>? _disconnected;
    private int _packetId;
    private int _connects;
    private int _connectAttempts;
    private volatile bool _connected;

    public event Func<MqttApplicationMessageReceivedEventArgs, Task> ApplicationMessageReceivedAsync
    {
        add => _received += value;
        remove => _received -= value;
    }

    public event Func<MqttClientDisconnectedEventArgs, Task> DisconnectedAsync
    {
        add => _disconnected += value;
        remove => _disconnected -= value;
    }

    public event Func<MqttClientConnectedEventArgs, Task> ConnectedAsync
    {
        add { }
        remove { }
    }

    public event Func<MqttClientConnectingEventArgs, Task> ConnectingAsync
    {
        add { }
        remove { }
    }

    public event Func<InspectMqttPacketEventArgs, Task> InspectPacketAsync
    {
        add { }
        remove { }
    }

    private int _publishing;
    private int _peakPublishing;

    /// <summary>Runs inside each publish before its PUBACK (e.g. waits for the test, or breaks the connection by throwing).</summary>
    public Func<MqttApplicationMessage, Task>? BeforeAcknowledgement { get; set; }

    /// <summary>The broker's answer to a publish (default: success).</summary>
    public Func<MqttApplicationMessage, MqttClientPublishReasonCode> Answer { get; set; } = _ => MqttClientPublishReasonCode.Success;

    /// <summary>Every publish attempt, in order (the ones that failed too).</summary>
    public ConcurrentQueue<MqttApplicationMessage> Attempted { get; } = new();

    /// <summary>The most publishes ever awaiting their PUBACK at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakPublishing);

    /// <summary>How many connection attempts fail (connection refused) before one succeeds.</summary>
    public int FailConnects { get; set; }

    public bool IsConnected => _connected;

    public MqttClientOptions? Options { get; private set; }

    public int Connects => Volatile.Read(ref _connects);

    public int ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>Every publish answered (statuses, dead letters, outbox messages), in order.</summary>
    public ConcurrentQueue<MqttApplicationMessage> Published { get; } = new();

    /// <summary>The packet ids of the PUBACKs sent, in order.</summary>
    public ConcurrentQueue<ushort> Acknowledged { get; } = new();

    public Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        Options = options;
        var attempt = Interlocked.Increment(ref _connectAttempts);
        changes.Changed();
        if (attempt <= FailConnects)
        {
            throw new MqttCommunicationException("connection refused (fake)");
        }

        _connected = true;
        Interlocked.Increment(ref _connects);
        changes.Changed();
        return Task.FromResult(new MqttClientConnectResult { ResultCode = MqttClientConnectResultCode.Success });
    }

    public Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(new MqttClientSubscribeResult(
            1,
            [.. options.TopicFilters.Select(f => new MqttClientSubscribeResultItem(f, MqttClientSubscribeResultCode.GrantedQoS1))],
            "",
            []));

    public async Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken = default)
    {
        if (!_connected)
        {
            throw new MqttCommunicationException("not connected (fake)");
        }

        var inFlight = Interlocked.Increment(ref _publishing);
        try
        {
            var peak = Volatile.Read(ref _peakPublishing);
            while (inFlight > peak && Interlocked.CompareExchange(ref _peakPublishing, inFlight, peak) != peak)
            {
                peak = Volatile.Read(ref _peakPublishing);
            }

            Attempted.Enqueue(applicationMessage);
            changes.Changed();
            if (BeforeAcknowledgement is { } before)
            {
                await before(applicationMessage).WaitAsync(cancellationToken);
            }

            var answer = Answer(applicationMessage);
            Published.Enqueue(applicationMessage);
            changes.Changed();
            return new MqttClientPublishResult(null, answer, "", []);
        }
        finally
        {
            Interlocked.Decrement(ref _publishing);
        }
    }

    public Task DisconnectAsync(MqttClientDisconnectOptions options, CancellationToken cancellationToken = default)
    {
        _connected = false;
        changes.Changed();
        return Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendEnhancedAuthenticationExchangeDataAsync(MqttEnhancedAuthenticationExchangeData data, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    /// <summary>Hands a message to the bridge as the client's receive loop would; returns its packet id.</summary>
    public async Task<ushort> DeliverAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        var args = Received(topic, payload, qos);
        await _received!.Invoke(args);
        return args.PacketIdentifier;
    }

    /// <summary>A received message whose acknowledgement this client records.</summary>
    public MqttApplicationMessageReceivedEventArgs Received(string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        var id = (ushort)Interlocked.Increment(ref _packetId);
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build();
        var packet = new MqttPublishPacket { Topic = topic, QualityOfServiceLevel = qos, PacketIdentifier = id };
        return new MqttApplicationMessageReceivedEventArgs(Options?.ClientId ?? "fake", message, packet, (_, _) =>
        {
            Acknowledged.Enqueue(id);
            changes.Changed();
            return Task.CompletedTask;
        });
    }

    /// <summary>The connection breaks (the broker keeps the session).</summary>
    public async Task DropAsync()
    {
        _connected = false;
        changes.Changed();
        if (_disconnected is { } handler)
        {
            await handler(new MqttClientDisconnectedEventArgs(true, null, MqttClientDisconnectReason.UnspecifiedError, "dropped (fake)", [], null));
        }
    }

    public void Dispose()
    {
    }
}

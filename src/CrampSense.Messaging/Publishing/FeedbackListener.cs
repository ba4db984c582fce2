using System.Buffers;
using CrampSense.Contract;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The wearable's subscription to its feedback topic (<see cref="ContractTopics.Feedback"/>), QoS 1 in a persistent
/// session (clean start off, <see cref="MqttPublisher.SessionExpiry"/>), so the broker keeps the commands sent while
/// the device is offline and delivers them on its next connect. Subscribed after every connect once someone listens;
/// each command's payload is handed to the handler as it came. The handler only queues it (the application core
/// reads it on its own thread), so a bad command cannot stall the client.
/// </summary>
/// <remarks>
/// The broker delivers the kept commands right after the connect, which may come before the service has set its
/// handler (<see cref="Listen"/>): those are held here (at most <see cref="MaxHeld"/>) and handed over first, in order.
/// </remarks>
internal sealed class FeedbackListener(IMqttClient client, ContractTopics topics, int maxPayloadBytes)
{
    /// <summary>Commands held before a handler is set; more are dropped (the wearer's answers of many nights).</summary>
    public const int MaxHeld = 64;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _held = new();
    private Action<byte[]>? _handler;

    /// <summary>True once a handler is set.</summary>
    public bool IsListening
    {
        get
        {
            lock (_gate)
            {
                return _handler is not null;
            }
        }
    }

    /// <summary>Commands held so far for want of a handler.</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Sets (or replaces) the handler and hands it the commands held until now.</summary>
    public void Listen(Action<byte[]> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handler = handler;
            while (_held.TryDequeue(out var payload))
            {
                handler(payload);
            }
        }
    }

    /// <summary>On a new connection: subscribes (QoS 1).</summary>
    public Task OnConnectedAsync(CancellationToken cancellationToken) =>
        client.SubscribeAsync(topics.Feedback, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

    /// <summary>True when <paramref name="message"/> was a feedback command (and went to the handler or is held for it).</summary>
    public bool OnMessage(MqttApplicationMessage message)
    {
        if (!string.Equals(message.Topic, topics.Feedback, StringComparison.Ordinal))
        {
            return false;
        }

        // Beyond the payload limit only the start is kept: enough for the refusal to quote and to say it was too long.
        var payload = message.Payload;
        var copy = payload.Length > maxPayloadBytes ? payload.Slice(0, maxPayloadBytes + 1).ToArray() : payload.ToArray();
        lock (_gate)
        {
            if (_handler is { } handler)
            {
                handler(copy);
            }
            else if (_held.Count < MaxHeld)
            {
                _held.Enqueue(copy);
            }
        }

        return true;
    }
}

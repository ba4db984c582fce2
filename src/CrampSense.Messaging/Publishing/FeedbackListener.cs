using System.Buffers;
using CrampSense.Contract;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The wearable's subscription to its feedback topic (<see cref="ContractTopics.Feedback"/>): subscribed after every
/// connect (the session starts clean), each command's payload handed to the handler as it came. The handler only
/// queues it (the application core reads it on its own thread), so a bad command cannot stall the client.
/// </summary>
internal sealed class FeedbackListener(IMqttClient client, ContractTopics topics, int maxPayloadBytes, Action<byte[]> handler)
{
    /// <summary>On a new connection: subscribes (QoS 1).</summary>
    public Task OnConnectedAsync(CancellationToken cancellationToken) =>
        client.SubscribeAsync(topics.Feedback, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

    /// <summary>True when <paramref name="message"/> was a feedback command (and went to the handler).</summary>
    public bool OnMessage(MqttApplicationMessage message)
    {
        if (!string.Equals(message.Topic, topics.Feedback, StringComparison.Ordinal))
        {
            return false;
        }

        // Beyond the payload limit only the start is kept: enough for the refusal to quote and to say it was too long.
        var payload = message.Payload;
        handler(payload.Length > maxPayloadBytes ? payload.Slice(0, maxPayloadBytes + 1).ToArray() : payload.ToArray());
        return true;
    }
}

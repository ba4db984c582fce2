namespace CrampSense.Messaging.Outbox;

/// <summary>What a queued message is; decides its drop order when the outbox is full.</summary>
public enum MessageClass
{
    /// <summary>1 Hz summaries: dropped first.</summary>
    Telemetry = 0,

    /// <summary>Sensor and signal faults: dropped after telemetry.</summary>
    Fault = 1,

    /// <summary>Cramp events: dropped last (with prompts).</summary>
    Event = 2,

    /// <summary>Coach prompts: dropped last (with events).</summary>
    Prompt = 3,
}

/// <summary>One message waiting in the outbox.</summary>
/// <param name="Sequence">Position in the outbox; messages of one topic leave in this order.</param>
/// <param name="Topic">MQTT topic.</param>
/// <param name="Payload">UTF-8 JSON payload.</param>
/// <param name="AtLeastOnce">QoS 1 (removed after PUBACK) rather than QoS 0 (removed once written to the connection).</param>
/// <param name="Class">Drop class.</param>
/// <param name="MessageId">The payload's <c>id</c>, also sent as an MQTT 5 user property.</param>
/// <param name="Schema">The payload's <c>schema</c>, also sent as an MQTT 5 user property.</param>
/// <param name="EnqueuedUnixMilliseconds">When it was queued.</param>
public sealed record OutboxMessage(
    long Sequence,
    string Topic,
    ReadOnlyMemory<byte> Payload,
    bool AtLeastOnce,
    MessageClass Class,
    string MessageId,
    string Schema,
    long EnqueuedUnixMilliseconds);

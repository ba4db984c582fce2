namespace CrampSense.Contract;

/// <summary>
/// Where one device's contract messages go: each call queues the message durably and returns; delivery happens
/// later (Messaging's <c>MqttPublisher</c> over its outbox; a fake in tests). The wearable's application core talks
/// to this port only, so it needs neither MQTT nor the outbox's storage.
/// </summary>
/// <remarks>
/// Failures a caller is expected to survive (a full or broken disk, a stopped publisher, a message that does not fit
/// the contract) come as <see cref="IOException"/>, <see cref="InvalidOperationException"/> or <see cref="ArgumentException"/>.
/// </remarks>
public interface IContractPublisher
{
    /// <summary>The device the messages are for (<see cref="DeviceId"/>).</summary>
    string Device { get; }

    /// <summary>Queues a cramp event (QoS 1).</summary>
    ValueTask PublishEventAsync(EventMessage message, CancellationToken cancellationToken);

    /// <summary>Queues a coach prompt (QoS 1).</summary>
    ValueTask PublishPromptAsync(PromptMessage message, CancellationToken cancellationToken);

    /// <summary>Queues a sensor or signal fault (QoS 1).</summary>
    ValueTask PublishFaultAsync(FaultMessage message, CancellationToken cancellationToken);

    /// <summary>Queues the answer to a feedback command (QoS 1, on <c>…/feedback/result</c>).</summary>
    ValueTask PublishFeedbackResultAsync(FeedbackResultMessage message, CancellationToken cancellationToken);

    /// <summary>Queues a telemetry summary (QoS 0; the first to be dropped when storage is short).</summary>
    ValueTask PublishTelemetryAsync(TelemetryMessage message, CancellationToken cancellationToken);
}

using System.Text.Json.Serialization;

namespace CrampSense.Bridge.Pipeline;

/// <summary>What the bridge publishes on <c>crampsense/v1/_deadletter</c> for a message it cannot store.</summary>
public sealed record DeadLetter
{
    /// <summary>Why the message was refused (names the field or topic level at fault).</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>The topic the message came in on.</summary>
    [JsonPropertyName("topic")]
    public required string Topic { get; init; }

    /// <summary>The payload as UTF-8 text; null when it is not UTF-8 (then <see cref="PayloadBase64"/>).</summary>
    [JsonPropertyName("payload")]
    public string? Payload { get; init; }

    [JsonPropertyName("payload_base64")]
    public string? PayloadBase64 { get; init; }

    /// <summary>The bridge instance that refused it.</summary>
    [JsonPropertyName("bridge")]
    public required string Bridge { get; init; }

    /// <summary>When it was refused (contract time format).</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }
}

/// <summary>The retained health status on <c>crampsense/v1/_bridge/&lt;instance&gt;/status</c>.</summary>
public sealed record BridgeStatus
{
    /// <summary><c>online</c>, or <c>offline</c> (clean stop and last will).</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("bridge")]
    public required string Bridge { get; init; }

    [JsonPropertyName("time")]
    public required string Time { get; init; }

    /// <summary><c>ok</c> after a successful write (or before the first), <c>failing</c> while writes fail.</summary>
    [JsonPropertyName("database")]
    public string? Database { get; init; }

    [JsonPropertyName("received")]
    public long? Received { get; init; }

    [JsonPropertyName("written")]
    public long? Written { get; init; }

    [JsonPropertyName("acknowledged")]
    public long? Acknowledged { get; init; }

    [JsonPropertyName("dead_lettered")]
    public long? DeadLettered { get; init; }

    [JsonPropertyName("write_failures")]
    public long? WriteFailures { get; init; }

    [JsonPropertyName("in_flight")]
    public long? InFlight { get; init; }

    /// <summary>QoS 1 messages held unacknowledged on this connection (the broker counts them against the receive maximum).</summary>
    [JsonPropertyName("unacknowledged")]
    public long? Unacknowledged { get; init; }

    /// <summary>The most ever held unacknowledged; above <c>Bridge:ReceiveMaximum</c> the broker ignores the receive maximum.</summary>
    [JsonPropertyName("peak_unacknowledged")]
    public long? PeakUnacknowledged { get; init; }

    [JsonPropertyName("last_write_error")]
    public string? LastWriteError { get; init; }
}

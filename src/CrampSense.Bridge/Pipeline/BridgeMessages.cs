using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json.Serialization;

namespace CrampSense.Bridge.Pipeline;

/// <summary>What the bridge publishes on <c>crampsense/v1/_deadletter</c> for a message it cannot store.</summary>
public sealed record DeadLetter
{
    /// <summary>
    /// The most payload bytes a dead letter carries: enough to see what is wrong with a contract payload (a valid one is
    /// under 1 KB), and a flood of large poison payloads cannot make the bridge copy (and base64) megabytes each.
    /// </summary>
    public const int MaxPayloadPrefixBytes = 4096;

    /// <summary>The most characters of the reason and the topic kept (a topic may be 64 KB, and a reason may quote it).</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Why the message was refused (names the field or topic level at fault).</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>The topic the message came in on.</summary>
    [JsonPropertyName("topic")]
    public required string Topic { get; init; }

    /// <summary>The payload (its first <see cref="MaxPayloadPrefixBytes"/>) as UTF-8 text; null when it is not UTF-8 (then <see cref="PayloadBase64"/>).</summary>
    [JsonPropertyName("payload")]
    public string? Payload { get; init; }

    /// <summary>The payload (its first <see cref="MaxPayloadPrefixBytes"/>) in base64 when it is not UTF-8.</summary>
    [JsonPropertyName("payload_base64")]
    public string? PayloadBase64 { get; init; }

    /// <summary>The whole payload's size.</summary>
    [JsonPropertyName("payload_bytes")]
    public long PayloadBytes { get; init; }

    /// <summary>True when only a prefix of the payload is here.</summary>
    [JsonPropertyName("truncated")]
    public bool Truncated { get; init; }

    /// <summary>The bridge instance that refused it.</summary>
    [JsonPropertyName("bridge")]
    public required string Bridge { get; init; }

    /// <summary>When it was refused (contract time format).</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }

    /// <summary>The dead letter of a payload: at most <see cref="MaxPayloadPrefixBytes"/> of it, cut on a character boundary when it is text.</summary>
    public static DeadLetter For(string reason, string topic, ReadOnlySequence<byte> payload, string bridge, string time)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(topic);
        // One byte more than kept, to see whether the cut falls inside a character.
        var peek = payload.Slice(0, Math.Min(payload.Length, MaxPayloadPrefixBytes + 1)).ToArray();
        var length = Math.Min(peek.Length, MaxPayloadPrefixBytes);
        var truncated = payload.Length > length;
        if (truncated)
        {
            // Back to the start of a character cut in two (continuation bytes are 10xxxxxx; at most 3 of them).
            var end = length;
            while (end > length - 3 && (peek[end] & 0xC0) == 0x80)
            {
                end--;
            }

            length = end;
        }

        var kept = peek.AsSpan(0, length);
        var text = Utf8.IsValid(kept) ? Encoding.UTF8.GetString(kept) : null;
        return new DeadLetter
        {
            Reason = Cut(reason),
            Topic = Cut(topic),
            Payload = text,
            PayloadBase64 = text is null ? Convert.ToBase64String(kept) : null,
            PayloadBytes = payload.Length,
            Truncated = truncated,
            Bridge = bridge,
            Time = time,
        };
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength), "…");
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

    /// <summary>QoS 0 messages dropped on arrival because the bridge's intake was full (never QoS 1).</summary>
    [JsonPropertyName("shed")]
    public long? Shed { get; init; }

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

    /// <summary>The MQTT 5 share group this bridge reads through (<c>Bridge:ShareGroup</c>).</summary>
    [JsonPropertyName("share_group")]
    public string? ShareGroup { get; init; }

    /// <summary>True when the broker keeps this bridge's session, and its share of the group's messages, while it is away.</summary>
    [JsonPropertyName("persistent_session")]
    public bool? PersistentSession { get; init; }

    /// <summary>How long the broker keeps that session (s).</summary>
    [JsonPropertyName("session_expiry_s")]
    public double? SessionExpirySeconds { get; init; }

    /// <summary>
    /// The group is split: these other bridges of the group are offline with kept sessions, so the broker holds their
    /// share of the messages until they come back or their sessions expire. Null when there are none.
    /// </summary>
    [JsonPropertyName("split")]
    public IReadOnlyList<string>? Split { get; init; }
}

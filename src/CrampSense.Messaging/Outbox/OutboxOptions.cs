using CrampSense.Messaging.Configuration;

namespace CrampSense.Messaging.Outbox;

/// <summary>Limits of the outbox.</summary>
public sealed class OutboxOptions
{
    /// <summary>Default bound on the stored payloads (<c>Mqtt:Outbox:MaxMegabytes</c>).</summary>
    public const long DefaultMaxBytes = MessagingOptions.DefaultOutboxMaxBytes;

    /// <summary>SQLite file; created with its folder when missing (<c>Mqtt:Outbox:Path</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Upper bound on stored topic + payload bytes (<see cref="MessagingOptions.DefaultOutboxMaxBytes"/> says why 64 MB).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Older messages are dropped whatever their class: a week-old alert helps nobody (<c>Mqtt:Outbox:MaxAgeDays</c>).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Telemetry older than this is dropped: dashboards want current values, not yesterday's backlog.</summary>
    public TimeSpan TelemetryMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Largest payload accepted; larger ones are refused at enqueue (<c>Mqtt:MaxPayloadBytes</c>).</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    /// <summary>The outbox settings of the <c>Mqtt:Outbox:*</c> keys (and <c>Mqtt:MaxPayloadBytes</c>).</summary>
    public static OutboxOptions From(MessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new()
        {
            Path = options.OutboxPath,
            MaxBytes = options.OutboxMaxBytes,
            MaxAge = options.OutboxMaxAge,
            TelemetryMaxAge = options.OutboxTelemetryMaxAge,
            MaxPayloadBytes = options.MaxPayloadBytes,
        };
    }
}

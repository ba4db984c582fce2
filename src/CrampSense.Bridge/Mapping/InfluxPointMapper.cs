using CrampSense.Contract;
using InfluxDB.Client.Api.Domain;

namespace CrampSense.Bridge.Mapping;

/// <summary>
/// Maps a validated contract v1 message to one line of InfluxDB line protocol (pure: no I/O). The timestamp is the
/// payload's <c>time</c> in milliseconds, never the arrival time, so a redelivered message lands on the same series
/// and timestamp and overwrites itself (idempotent writes). Schema: <see cref="InfluxSchema"/>, docs/influxdb.md.
/// Tags and fields are written in ordinal key order (<see cref="LineProtocolLine"/>).
/// </summary>
public static class InfluxPointMapper
{
    /// <summary>The precision of every timestamp the mapper makes (the contract's time has milliseconds).</summary>
    public const WritePrecision Precision = WritePrecision.Ms;

    /// <summary>A line of line protocol (millisecond timestamp) for any contract message.</summary>
    /// <exception cref="ArgumentException">The message type is unknown, its <c>time</c> is not contract time or a tag value cannot be a tag.</exception>
    public static string ToLineProtocol(ContractMessage message) => message switch
    {
        EventMessage e => ToLineProtocol(e),
        PromptMessage p => ToLineProtocol(p),
        TelemetryMessage t => ToLineProtocol(t),
        FaultMessage f => ToLineProtocol(f),
        StatusMessage s => ToLineProtocol(s),
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new ArgumentException($"No InfluxDB mapping for {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>
    /// <c>cramp_started</c>/<c>cramp_ended</c>/<c>feedback_applied</c> → <see cref="InfluxSchema.CrampEvent"/> (a
    /// feedback also tagged with what the wearer said, <see cref="InfluxSchema.FeedbackTag"/>); <c>cramp_warning</c> →
    /// <see cref="InfluxSchema.CrampWarning"/>.
    /// </summary>
    public static string ToLineProtocol(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var warning = message.Type == EventMessage.CrampWarning;
        var time = TimestampMilliseconds(message.Time);
        var line = LineProtocolLine.Start(warning ? InfluxSchema.CrampWarning : InfluxSchema.CrampEvent)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device));
        if (message.Feedback is not null)
        {
            line.Tag(InfluxSchema.FeedbackTag, TagValue(InfluxSchema.FeedbackTag, message.Feedback));
        }

        line.Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site));
        if (!warning)
        {
            line.Tag(InfluxSchema.TypeTag, TagValue(InfluxSchema.TypeTag, message.Type));
        }

        return line
            .Field("command_id", message.CommandId)
            .Field("confidence", message.Confidence)
            .Field("confirmed_s", message.ConfirmedSeconds)
            .Field("duration_s", message.DurationSeconds)
            .Field("end_reason", message.EndReason)
            .Field("end_s", message.EndSeconds)
            .Field("event_id", message.EventId)
            // Hours after UTC midnight of the message time, so InfluxQL (which cannot take a time apart) can show
            // when in the night cramps happen.
            .Field("hour_utc", Math.Round((time % 86_400_000L) / 3_600_000.0, 4))
            .Field("id", message.Id)
            .Field("mean_pct_max", message.MeanPercentOfMax)
            .Field("mean_uv", message.MeanMicrovolts)
            .Field("model_version", message.ModelVersion)
            .Field("onset_s", message.OnsetSeconds)
            .Field("peak_pct_max", message.PeakPercentOfMax)
            .Field("peak_uv", message.PeakMicrovolts)
            .Field("skin_temp_c", message.SkinTemperatureCelsius)
            .End(time);
    }

    /// <summary>A coach prompt → <see cref="InfluxSchema.Prompt"/>, tagged by kind, urgency and (when given) site.</summary>
    public static string ToLineProtocol(PromptMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = LineProtocolLine.Start(InfluxSchema.Prompt)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.KindTag, TagValue(InfluxSchema.KindTag, message.Kind));
        if (message.Site is not null)
        {
            line.Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site));
        }

        return line
            .Tag(InfluxSchema.UrgencyTag, TagValue(InfluxSchema.UrgencyTag, message.Urgency))
            .Field("count", 1L)
            .Field("event_id", message.EventId)
            .Field("id", message.Id)
            .Field("text", message.Text)
            .Field("title", message.Title)
            .End(TimestampMilliseconds(message.Time));
    }

    /// <summary>The 1 Hz summary → <see cref="InfluxSchema.Telemetry"/>; <c>cramp_active</c> as 0/1 so it can be graphed.</summary>
    public static string ToLineProtocol(TelemetryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return LineProtocolLine.Start(InfluxSchema.Telemetry)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site))
            .Field("class", message.Class)
            .Field("cramp_active", message.CrampActive ? 1L : 0L)
            .Field("envelope_uv", message.EnvelopeMicrovolts)
            .Field("hum_uv", message.HumMicrovolts)
            .Field("id", message.Id)
            .Field("pct_max", message.PercentOfMax)
            .Field("skin_temp_c", message.SkinTemperatureCelsius)
            .End(TimestampMilliseconds(message.Time));
    }

    /// <summary>A fault → <see cref="InfluxSchema.Fault"/>, tagged by source and the sorted fault codes (few, fixed names).</summary>
    public static string ToLineProtocol(FaultMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var codes = message.Faults.Order(StringComparer.Ordinal).ToArray();
        return LineProtocolLine.Start(InfluxSchema.Fault)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.FaultsTag, TagValue(InfluxSchema.FaultsTag, codes.Length == 0 ? "none" : string.Join(',', codes)))
            .Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site))
            .Tag(InfluxSchema.SourceTag, TagValue(InfluxSchema.SourceTag, message.Source))
            .Field("detail", message.Detail)
            .Field("event_id", message.EventId)
            .Field("fault_count", (long)codes.Length)
            .Field("id", message.Id)
            .Field("onset_s", message.OnsetSeconds)
            .End(TimestampMilliseconds(message.Time));
    }

    /// <summary>The device status → <see cref="InfluxSchema.DeviceStatus"/>: <c>online</c> 1/0 and the outbox counters when present.</summary>
    public static string ToLineProtocol(StatusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = LineProtocolLine.Start(InfluxSchema.DeviceStatus)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device));
        if (message.CrampsToday is { } cramps)
        {
            line.Field("cramps_today", (long)cramps);
        }

        line.Field("id", message.Id)
            .Field("online", message.State == StatusMessage.Online ? 1L : 0L);
        if (message.Outbox is { } outbox)
        {
            line.Field("outbox_dropped_event", outbox.DroppedEvent)
                .Field("outbox_dropped_fault", outbox.DroppedFault)
                .Field("outbox_dropped_prompt", outbox.DroppedPrompt)
                .Field("outbox_dropped_telemetry", outbox.DroppedTelemetry)
                .Field("outbox_pending", outbox.Pending)
                .Field("outbox_pending_bytes", outbox.PendingBytes)
                .Field("outbox_rejected", outbox.Rejected);
        }

        return line.Field("state", message.State).End(TimestampMilliseconds(message.Time));
    }

    /// <summary>Unix milliseconds of a contract time (<c>2026-11-26T14:00:00.123Z</c>).</summary>
    /// <exception cref="ArgumentException">Not in the contract's format.</exception>
    public static long TimestampMilliseconds(string time)
    {
        if (ContractTime.TryParse(time, out var parsed))
        {
            return parsed.ToUnixTimeMilliseconds();
        }

        throw new ArgumentException($"time: '{time}' is not ISO-8601 UTC with milliseconds (e.g. 2026-11-26T14:00:00.123Z).", nameof(time));
    }

    /// <summary>
    /// <paramref name="value"/> when line protocol can carry it as a tag value. Commas, spaces and equals signs in tags
    /// are escaped, but a backslash has no portable escape there: a value ending in one (<c>calf\</c>) escapes the comma
    /// after it and swallows the next tag (<c>site="calf,type=cramp_started"</c>), and InfluxDB 1.x refuses the doubled
    /// form that 2.x reads as one backslash (InfluxPointMapperTests). So such values are refused: the bridge
    /// dead-letters the message. The contract refuses them before (the schemas' site pattern); this guards every tag.
    /// </summary>
    /// <exception cref="ArgumentException">The value holds a backslash or a control character.</exception>
    internal static string TagValue(string tag, string value)
    {
        foreach (var c in value)
        {
            if (c == '\\' || char.IsControl(c))
            {
                throw new ArgumentException($"{tag}: '{value}' cannot be an InfluxDB tag value (backslashes and control characters have no escape in line protocol tags).", nameof(value));
            }
        }

        return value;
    }
}

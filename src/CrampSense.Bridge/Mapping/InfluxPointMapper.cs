using CrampSense.Contract;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace CrampSense.Bridge.Mapping;

/// <summary>
/// Maps a validated contract v1 message to one InfluxDB point (pure: no I/O). The timestamp is the payload's
/// <c>time</c> in milliseconds, never the arrival time, so a redelivered message lands on the same series and
/// timestamp and overwrites itself (idempotent writes). Schema: <see cref="InfluxSchema"/>, docs/influxdb.md.
/// </summary>
public static class InfluxPointMapper
{
    /// <summary>The precision of every timestamp the mapper makes (the contract's time has milliseconds).</summary>
    public const WritePrecision Precision = WritePrecision.Ms;

    /// <summary>The point for any contract message.</summary>
    /// <exception cref="ArgumentException">The message type is unknown or its <c>time</c> is not contract time.</exception>
    public static PointData ToPoint(ContractMessage message) => message switch
    {
        EventMessage e => ToPoint(e),
        PromptMessage p => ToPoint(p),
        TelemetryMessage t => ToPoint(t),
        FaultMessage f => ToPoint(f),
        StatusMessage s => ToPoint(s),
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new ArgumentException($"No InfluxDB mapping for {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>A line of line protocol (millisecond timestamp) for any contract message.</summary>
    public static string ToLineProtocol(ContractMessage message) => ToPoint(message).ToLineProtocol();

    /// <summary><c>cramp_started</c>/<c>cramp_ended</c> → <see cref="InfluxSchema.CrampEvent"/>; <c>cramp_warning</c> → <see cref="InfluxSchema.CrampWarning"/>.</summary>
    public static PointData ToPoint(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var warning = message.Type == EventMessage.CrampWarning;
        var time = TimestampMilliseconds(message.Time);
        var point = PointData.Measurement(warning ? InfluxSchema.CrampWarning : InfluxSchema.CrampEvent)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site));
        if (!warning)
        {
            point = point.Tag(InfluxSchema.TypeTag, TagValue(InfluxSchema.TypeTag, message.Type));
        }

        point = point
            .Field("id", message.Id)
            .Field("event_id", message.EventId)
            .Field("onset_s", message.OnsetSeconds)
            // Hours after UTC midnight of the message time, so InfluxQL (which cannot take a time apart) can show
            // when in the night cramps happen.
            .Field("hour_utc", Math.Round((time % 86_400_000L) / 3_600_000.0, 4));
        point = Optional(point, "confirmed_s", message.ConfirmedSeconds);
        point = Optional(point, "end_s", message.EndSeconds);
        point = Optional(point, "duration_s", message.DurationSeconds);
        point = Optional(point, "peak_uv", message.PeakMicrovolts);
        point = Optional(point, "mean_uv", message.MeanMicrovolts);
        point = Optional(point, "peak_pct_max", message.PeakPercentOfMax);
        point = Optional(point, "mean_pct_max", message.MeanPercentOfMax);
        point = Optional(point, "skin_temp_c", message.SkinTemperatureCelsius);
        point = Optional(point, "confidence", message.Confidence);
        point = Optional(point, "end_reason", message.EndReason);
        point = Optional(point, "model_version", message.ModelVersion);
        return point.Timestamp(time, Precision);
    }

    /// <summary>A coach prompt → <see cref="InfluxSchema.Prompt"/>, tagged by kind, urgency and (when given) site.</summary>
    public static PointData ToPoint(PromptMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var point = PointData.Measurement(InfluxSchema.Prompt)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.KindTag, TagValue(InfluxSchema.KindTag, message.Kind))
            .Tag(InfluxSchema.UrgencyTag, TagValue(InfluxSchema.UrgencyTag, message.Urgency));
        if (message.Site is not null)
        {
            point = point.Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site));
        }

        point = point
            .Field("id", message.Id)
            .Field("title", message.Title)
            .Field("text", message.Text)
            .Field("count", 1L);
        point = Optional(point, "event_id", message.EventId);
        return point.Timestamp(TimestampMilliseconds(message.Time), Precision);
    }

    /// <summary>The 1 Hz summary → <see cref="InfluxSchema.Telemetry"/>; <c>cramp_active</c> as 0/1 so it can be graphed.</summary>
    public static PointData ToPoint(TelemetryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var point = PointData.Measurement(InfluxSchema.Telemetry)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site))
            .Field("id", message.Id)
            .Field("envelope_uv", message.EnvelopeMicrovolts)
            .Field("class", message.Class)
            .Field("cramp_active", message.CrampActive ? 1L : 0L);
        point = Optional(point, "pct_max", message.PercentOfMax);
        point = Optional(point, "skin_temp_c", message.SkinTemperatureCelsius);
        point = Optional(point, "hum_uv", message.HumMicrovolts);
        return point.Timestamp(TimestampMilliseconds(message.Time), Precision);
    }

    /// <summary>A fault → <see cref="InfluxSchema.Fault"/>, tagged by source and the sorted fault codes (few, fixed names).</summary>
    public static PointData ToPoint(FaultMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var codes = message.Faults.Order(StringComparer.Ordinal).ToArray();
        var point = PointData.Measurement(InfluxSchema.Fault)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Tag(InfluxSchema.SiteTag, TagValue(InfluxSchema.SiteTag, message.Site))
            .Tag(InfluxSchema.SourceTag, TagValue(InfluxSchema.SourceTag, message.Source))
            .Tag(InfluxSchema.FaultsTag, TagValue(InfluxSchema.FaultsTag, codes.Length == 0 ? "none" : string.Join(',', codes)))
            .Field("id", message.Id)
            .Field("fault_count", (long)codes.Length);
        point = Optional(point, "onset_s", message.OnsetSeconds);
        point = Optional(point, "detail", message.Detail);
        point = Optional(point, "event_id", message.EventId);
        return point.Timestamp(TimestampMilliseconds(message.Time), Precision);
    }

    /// <summary>The device status → <see cref="InfluxSchema.DeviceStatus"/>: <c>online</c> 1/0 and the outbox counters when present.</summary>
    public static PointData ToPoint(StatusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var point = PointData.Measurement(InfluxSchema.DeviceStatus)
            .Tag(InfluxSchema.DeviceTag, TagValue(InfluxSchema.DeviceTag, message.Device))
            .Field("id", message.Id)
            .Field("state", message.State)
            .Field("online", message.State == StatusMessage.Online ? 1L : 0L);
        if (message.CrampsToday is { } cramps)
        {
            point = point.Field("cramps_today", (long)cramps);
        }

        if (message.Outbox is { } outbox)
        {
            point = point
                .Field("outbox_pending", outbox.Pending)
                .Field("outbox_pending_bytes", outbox.PendingBytes)
                .Field("outbox_dropped_telemetry", outbox.DroppedTelemetry)
                .Field("outbox_dropped_fault", outbox.DroppedFault)
                .Field("outbox_dropped_event", outbox.DroppedEvent)
                .Field("outbox_dropped_prompt", outbox.DroppedPrompt)
                .Field("outbox_rejected", outbox.Rejected);
        }

        return point.Timestamp(TimestampMilliseconds(message.Time), Precision);
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
    /// <paramref name="value"/> when line protocol can carry it as a tag value. The client escapes commas, spaces and
    /// equals signs in tags, but a backslash has no portable escape there: a value ending in one (<c>calf\</c>) escapes
    /// the comma after it and swallows the next tag (<c>site="calf,type=cramp_started"</c>), and InfluxDB 1.x refuses
    /// the doubled form that 2.x reads as one backslash (InfluxPointMapperTests). So such values are refused: the bridge
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

    private static PointData Optional(PointData point, string field, double? value) =>
        value is { } number ? point.Field(field, number) : point;

    private static PointData Optional(PointData point, string field, string? value) =>
        value is not null ? point.Field(field, value) : point;
}

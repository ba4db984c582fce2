using System.Globalization;
using System.Text;
using System.Text.Json;
using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>Who says what a clip holds.</summary>
public enum ClipStatus
{
    /// <summary>The detector's guess, not yet answered by the wearer.</summary>
    Unconfirmed,

    /// <summary>The wearer confirmed it.</summary>
    Confirmed,

    /// <summary>The wearer rejected it (it was not a cramp).</summary>
    Rejected,

    /// <summary>Relabelled by hand (<c>crampsense clips relabel</c>).</summary>
    Relabelled,
}

/// <summary>
/// A clip's truth sidecar (docs/recording-format.md §4 and §8): the ordinary <c>version</c> and <c>intervals</c>, so
/// <see cref="GroundTruth.Read"/> and every tool that reads truth accept it, plus a <c>clip</c> object with the
/// label's provenance: <c>origin</c> (<c>detected</c> or <c>reported</c>), <c>status</c>, the trigger, the event id,
/// the device and the clip's onset in the source's seconds.
/// </summary>
public sealed record ClipLabel
{
    /// <summary>Origin of a label the detector made.</summary>
    public const string Detected = "detected";

    /// <summary>Origin of a label the wearer made ("cramp now", "cramp at T").</summary>
    public const string Reported = "reported";

    /// <summary>The labelled intervals, in seconds from the clip's start.</summary>
    public required IReadOnlyList<TruthInterval> Intervals { get; init; }

    /// <summary><see cref="Detected"/> or <see cref="Reported"/>.</summary>
    public required string Origin { get; init; }

    public ClipStatus Status { get; init; } = ClipStatus.Unconfirmed;

    /// <summary>What made the clip: <c>cramp_started</c>, <c>cramp_warning</c>, <c>user_report</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>The event's id (the contract's <c>event_id</c>).</summary>
    public required string EventId { get; init; }

    public required string Device { get; init; }

    /// <summary>The clip's first frame in the source's (session's) seconds.</summary>
    public double SourceStartSeconds { get; init; }

    /// <summary>When the clip was made (wall clock).</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The JSON name of a status.</summary>
    public static string StatusName(ClipStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The same label with another status and, when given, other intervals.</summary>
    public ClipLabel With(ClipStatus status, IReadOnlyList<TruthInterval>? intervals = null) =>
        this with { Status = status, Intervals = intervals ?? Intervals };

    /// <summary>Writes the sidecar as indented JSON.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", GroundTruth.FormatVersion);
            json.WriteStartArray("intervals");
            foreach (var interval in Intervals)
            {
                GroundTruth.WriteInterval(json, interval);
            }

            json.WriteEndArray();
            json.WriteStartObject("clip");
            json.WriteString("origin", Origin);
            json.WriteString("status", StatusName(Status));
            json.WriteString("trigger", Trigger);
            json.WriteString("event_id", EventId);
            json.WriteString("device", Device);
            json.WriteNumber("source_start_s", SourceStartSeconds);
            json.WriteString("recorded_at", RecordedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>Reads a clip sidecar: the truth through <see cref="GroundTruth.Read"/>, then the <c>clip</c> object.</summary>
    /// <exception cref="RecordingFormatException">Not a valid sidecar, or the <c>clip</c> object is missing or malformed; the message names the source and the property.</exception>
    public static ClipLabel Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var reader = new StringReader(json);
        var truth = GroundTruth.Read(reader, sourceName);
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("clip", out var clip) || clip.ValueKind != JsonValueKind.Object)
        {
            throw new RecordingFormatException(sourceName, null, "clip", "is missing or not an object (a truth sidecar, but not a clip's)");
        }

        var statusText = Required(clip, "status", sourceName);
        if (!Enum.TryParse<ClipStatus>(statusText, ignoreCase: true, out var status) || StatusName(status) != statusText)
        {
            throw new RecordingFormatException(sourceName, null, "clip.status", $"'{statusText}' is not one of {string.Join(", ", Enum.GetValues<ClipStatus>().Select(StatusName))}");
        }

        var recordedText = Required(clip, "recorded_at", sourceName);
        if (!DateTimeOffset.TryParse(recordedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var recorded))
        {
            throw new RecordingFormatException(sourceName, null, "clip.recorded_at", $"'{recordedText}' is not an ISO 8601 time");
        }

        return new ClipLabel
        {
            Intervals = truth.Intervals,
            Origin = Required(clip, "origin", sourceName),
            Status = status,
            Trigger = Required(clip, "trigger", sourceName),
            EventId = Required(clip, "event_id", sourceName),
            Device = Required(clip, "device", sourceName),
            SourceStartSeconds = clip.TryGetProperty("source_start_s", out var s) && s.TryGetDouble(out var start) ? start : 0,
            RecordedAt = recorded,
        };
    }

    private static string Required(JsonElement clip, string name, string sourceName) =>
        clip.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordingFormatException(sourceName, null, "clip." + name, "is missing or not a string");
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrampSense.Contract;

/// <summary>The commands of <see cref="SchemaNames.Feedback"/> (the schema's <c>command</c> enum).</summary>
public static class FeedbackCommands
{
    /// <summary>The event was a cramp (needs <c>event_id</c>).</summary>
    public const string Confirm = "confirm";

    /// <summary>The event was not a cramp (needs <c>event_id</c>).</summary>
    public const string Reject = "reject";

    /// <summary>"I have a cramp now" (<c>site</c> optional).</summary>
    public const string CrampNow = "cramp_now";

    /// <summary>"I had a cramp at <c>at</c> on <c>site</c>": one the detector missed.</summary>
    public const string CrampAt = "cramp_at";

    /// <summary>"I am exercising until <c>until</c>": holds and stretches until then are intended.</summary>
    public const string Exercising = "exercising";

    /// <summary>No coach prompts until <c>until</c> (cramp alerts still come, as in quiet hours).</summary>
    public const string Snooze = "snooze";

    /// <summary>The <c>event_id</c> that names the device's latest cramp (for a button that has no id to send).</summary>
    public const string LastEvent = "last";

    public static IReadOnlyList<string> All { get; } = [Confirm, Reject, CrampNow, CrampAt, Exercising, Snooze];
}

/// <summary>
/// One feedback command on <c>crampsense/v1/&lt;device&gt;/feedback</c>, read and checked by <see cref="TryParse"/>
/// against what <c>crampsense.feedback.v1.schema.json</c> says, plus what a schema cannot: the device of the topic,
/// the fields each command needs, and times that are neither far in the past nor in the future.
/// </summary>
public sealed partial record FeedbackCommand
{
    /// <summary>Largest payload read; a command is a few hundred bytes, so more is refused before it is parsed.</summary>
    public const int MaxBytes = 4096;

    /// <summary>How far ahead <c>until</c> may be: a day (a night's snooze, a long hike).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    /// <summary>How old <c>at</c> may be; the wearable further needs it inside its clip buffer.</summary>
    public static readonly TimeSpan MaxBehind = TimeSpan.FromDays(1);

    /// <summary>Clock skew allowed between the phone and the wearable for an <c>at</c> that is "now".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "schema", "id", "time", "device", "command", "event_id", "site", "at", "until" };

    /// <summary>The command id (for correlation; a repeated id is applied once).</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="FeedbackCommands.All"/>.</summary>
    public required string Command { get; init; }

    /// <summary>When the command was made.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Confirm, reject: the event (or <see cref="FeedbackCommands.LastEvent"/>).</summary>
    public string? EventId { get; init; }

    /// <summary>Cramp now (optional), cramp at: the site.</summary>
    public string? Site { get; init; }

    /// <summary>Cramp at: when it started.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Exercising, snooze: the end.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Reads a command sent to <paramref name="device"/>'s feedback topic, received at <paramref name="now"/>. On
    /// failure <paramref name="reason"/> names the field and the rule, and <paramref name="commandId"/> and
    /// <paramref name="commandName"/> hold what could be read (for the result).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, string device, DateTimeOffset now, out FeedbackCommand? command, out string reason, out string? commandId, out string? commandName)
    {
        command = null;
        commandId = null;
        commandName = null;
        if (payload.Length > MaxBytes)
        {
            reason = $"payload: {payload.Length} bytes is over the limit of {MaxBytes}";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            reason = "payload: not JSON (" + e.Message + ")";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "payload: not a JSON object";
                return false;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name))
                {
                    reason = $"{Shorten(property.Name)}: not a field of {SchemaNames.Feedback}";
                    return false;
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    reason = $"{property.Name}: must be a string";
                    return false;
                }

                if (!values.TryAdd(property.Name, property.Value.GetString()!))
                {
                    reason = $"{property.Name}: given twice";
                    return false;
                }
            }

            if (values.TryGetValue("id", out var id) && IdPattern().IsMatch(id))
            {
                commandId = id;
            }

            if (values.TryGetValue("command", out var name) && FeedbackCommands.All.Contains(name))
            {
                commandName = name;
            }

            reason = Check(values, device, now, out command) ?? string.Empty;
            return command is not null;
        }
    }

    /// <summary>The start of a payload for a refusal's <c>payload</c>: UTF-8 with invalid bytes replaced, at most <see cref="FeedbackResultMessage.PayloadMaxLength"/> characters.</summary>
    public static string Quote(ReadOnlySpan<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, FeedbackResultMessage.PayloadMaxLength * 4)]);
        return text.Length > FeedbackResultMessage.PayloadMaxLength ? text[..FeedbackResultMessage.PayloadMaxLength] : text;
    }

    private static string? Check(Dictionary<string, string> values, string device, DateTimeOffset now, out FeedbackCommand? command)
    {
        command = null;
        foreach (var required in (string[])["schema", "id", "time", "device", "command"])
        {
            if (!values.ContainsKey(required))
            {
                return $"{required}: missing";
            }
        }

        if (values["schema"] != SchemaNames.Feedback)
        {
            return $"schema: '{Shorten(values["schema"])}' is not {SchemaNames.Feedback}";
        }

        if (!IdPattern().IsMatch(values["id"]))
        {
            return "id: must be 1–200 printable ASCII characters without spaces";
        }

        if (!ContractTime.TryParseCommandTime(values["time"], out var time))
        {
            return $"time: '{Shorten(values["time"])}' is not an ISO-8601 time with an offset";
        }

        if (values["device"] != device)
        {
            return $"device: '{Shorten(values["device"])}' is not this device ('{device}'), whose topic the command came on";
        }

        var name = values["command"];
        if (!FeedbackCommands.All.Contains(name))
        {
            return $"command: '{Shorten(name)}' is not one of {string.Join(", ", FeedbackCommands.All)}";
        }

        values.TryGetValue("event_id", out var eventId);
        values.TryGetValue("site", out var site);
        if (eventId is not null && eventId.Length is 0 or > 200)
        {
            return "event_id: must be 1–200 characters";
        }

        if (site is not null && !SiteName.IsValid(site))
        {
            return $"site: '{Shorten(site)}' is not a site name ({SiteName.Pattern})";
        }

        DateTimeOffset? at = null;
        if (values.TryGetValue("at", out var atText))
        {
            if (!ContractTime.TryParseCommandTime(atText, out var parsed))
            {
                return $"at: '{Shorten(atText)}' is not an ISO-8601 time with an offset";
            }

            at = parsed;
        }

        DateTimeOffset? until = null;
        if (values.TryGetValue("until", out var untilText))
        {
            if (!ContractTime.TryParseCommandTime(untilText, out var parsed))
            {
                return $"until: '{Shorten(untilText)}' is not an ISO-8601 time with an offset";
            }

            until = parsed;
        }

        var problem = name switch
        {
            FeedbackCommands.Confirm or FeedbackCommands.Reject when eventId is null => "event_id: missing (confirm and reject name the event, or 'last')",
            FeedbackCommands.CrampAt when at is null => "at: missing (cramp_at says when the cramp started)",
            FeedbackCommands.CrampAt when site is null => "site: missing (cramp_at names the site)",
            FeedbackCommands.CrampAt when at > now + ClockSkew => $"at: {ContractTime.Format(at.Value)} is in the future (now {ContractTime.Format(now)})",
            FeedbackCommands.CrampAt when at < now - MaxBehind => $"at: {ContractTime.Format(at.Value)} is more than {MaxBehind.TotalHours} h in the past",
            FeedbackCommands.Exercising or FeedbackCommands.Snooze when until is null => $"until: missing ({name} needs an end)",
            FeedbackCommands.Exercising or FeedbackCommands.Snooze when until <= now => $"until: {ContractTime.Format(until!.Value)} is not in the future (now {ContractTime.Format(now)})",
            FeedbackCommands.Exercising or FeedbackCommands.Snooze when until > now + MaxAhead => $"until: {ContractTime.Format(until!.Value)} is more than {MaxAhead.TotalHours} h ahead",
            _ => null,
        };
        if (problem is not null)
        {
            return problem;
        }

        command = new FeedbackCommand { Id = values["id"], Command = name, Time = time, EventId = eventId, Site = site, At = at, Until = until };
        return null;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^[\x21-\x7e]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

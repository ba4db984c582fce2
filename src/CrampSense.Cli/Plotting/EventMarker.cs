using System.Globalization;
using System.Text.Json;

using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Plotting;

/// <summary>One detector event to mark on a plot: its type, site (null = all sites) and time in seconds.</summary>
internal sealed record EventMarker(string Type, string? Site, double TimeSeconds)
{
    /// <summary>The marker of a cramp's onset (from its <c>cramp_started</c> event).</summary>
    public const string Onset = "cramp_started.onset";

    /// <summary>The marker of a cramp's confirmation (from its <c>cramp_started</c> event).</summary>
    public const string Confirmed = "cramp_started.confirmed";

    /// <summary>The marker of a cramp's end (its <c>cramp_ended</c> event).</summary>
    public const string End = "cramp_ended";

    // The detector's JSON-lines output carries every time of a cramp on each of its events (onset_s,
    // confirmed_s, end_s); each event is marked at the times it adds, so the pair of one cramp shows its onset,
    // its confirmation and its end once each. Other events carry t_s or onset_s.
    private static string[] TimeFieldsOf(string type) => type switch
    {
        "cramp_started" => ["onset_s", "confirmed_s"],
        "cramp_ended" => ["end_s"],
        "cramp_warning" => ["confirmed_s"],
        _ => ["t_s", "onset_s"],
    };

    /// <summary>Reads events from JSON lines (one object per line, blank lines ignored).</summary>
    /// <exception cref="FormatException">A line is not a JSON object with a string <c>type</c> and a time; the message names source and line.</exception>
    public static List<EventMarker> ReadJsonLines(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var markers = new List<EventMarker>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("expected a JSON object");
                }

                if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException("missing string property 'type'");
                }

                var type = typeElement.GetString()!;
                string? site = root.TryGetProperty("site", out var siteElement) && siteElement.ValueKind == JsonValueKind.String
                    ? siteElement.GetString()
                    : null;
                var fields = TimeFieldsOf(type);
                var found = false;
                foreach (var field in fields)
                {
                    if (root.TryGetProperty(field, out var timeElement) && timeElement.ValueKind == JsonValueKind.Number)
                    {
                        // Only a start carries two times worth marking; other events are marked once.
                        var both = type == "cramp_started";
                        var label = both ? string.Create(CultureInfo.InvariantCulture, $"{type}.{field[..^2]}") : type;
                        markers.Add(new EventMarker(label, site, timeElement.GetDouble()));
                        found = true;
                        if (!both)
                        {
                            break;
                        }
                    }
                }

                if (!found)
                {
                    throw new FormatException($"no time property (one of {string.Join(", ", fields)})");
                }
            }
            catch (JsonException e)
            {
                throw new FormatException($"{sourceName} line {lineNumber}: not valid JSON at column {JsonErrorText.Column(e)}: {JsonErrorText.Reason(e)}", e);
            }
            catch (FormatException e) when (e.InnerException is null)
            {
                throw new FormatException($"{sourceName} line {lineNumber}: {e.Message}", e);
            }
        }

        return markers;
    }
}

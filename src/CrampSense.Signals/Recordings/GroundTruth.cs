using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// The ground-truth sidecar of a recording, <c>&lt;name&gt;.truth.json</c>:
/// <c>{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":12.5,"end_s":40}]}</c>
/// (docs/recording-format.md §4). Kinds are the lower-case names of <see cref="TruthKind"/>.
/// </summary>
public sealed class GroundTruth
{
    /// <summary>The sidecar format version this code reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Suffix that replaces the recording's extension.</summary>
    public const string SidecarSuffix = ".truth.json";

    public GroundTruth(IEnumerable<TruthInterval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        Intervals = intervals.ToList().AsReadOnly();
    }

    /// <summary>The labelled intervals, in file order.</summary>
    public IReadOnlyList<TruthInterval> Intervals { get; }

    /// <summary>
    /// The sidecar path of a recording: the extension is replaced by <c>.truth.json</c>
    /// (<c>data/rec.csv</c> → <c>data/rec.truth.json</c>, <c>rec</c> → <c>rec.truth.json</c>). Pure string work.
    /// </summary>
    public static string SidecarPathFor(string recordingPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordingPath);
        return Path.ChangeExtension(recordingPath, SidecarSuffix);
    }

    /// <summary>The JSON name of a kind (<c>cramp</c>, <c>voluntary</c>, …).</summary>
    public static string KindName(TruthKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Reads and validates a sidecar.</summary>
    /// <exception cref="RecordingFormatException">Invalid JSON, wrong version, or an invalid interval; the message names the source and the interval index and property.</exception>
    public static GroundTruth Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(reader.ReadToEnd(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new RecordingFormatException(sourceName, JsonErrorText.Line(e), null, $"not valid JSON at column {JsonErrorText.Column(e)}: {JsonErrorText.Reason(e)}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(sourceName, "(root)", "must be a JSON object with version and intervals");
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw Error(sourceName, "version", $"is missing or not a number (expected {FormatVersion})");
            }

            if (!version.TryGetInt32(out var v) || v != FormatVersion)
            {
                throw Error(sourceName, "version", $"{version.GetRawText()} is not supported (this reader understands {FormatVersion})");
            }

            if (!root.TryGetProperty("intervals", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                throw Error(sourceName, "intervals", "is missing or not an array");
            }

            var intervals = new List<TruthInterval>(array.GetArrayLength());
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                intervals.Add(ReadInterval(item, sourceName, $"intervals[{index}]"));
                index++;
            }

            return new GroundTruth(intervals);
        }
    }

    /// <summary>Writes the sidecar as indented JSON, one interval per object.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteStartArray("intervals");
            foreach (var interval in Intervals)
            {
                WriteInterval(json, interval);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Writes one interval as the sidecar's object (<c>kind</c>, <c>site</c>, <c>start_s</c>, <c>end_s</c>), for every writer of intervals.</summary>
    public static void WriteInterval(Utf8JsonWriter json, TruthInterval interval)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(interval);
        json.WriteStartObject();
        json.WriteString("kind", KindName(interval.Kind));
        json.WriteString("site", interval.Site);
        json.WriteNumber("start_s", interval.StartSeconds);
        json.WriteNumber("end_s", interval.EndSeconds);
        json.WriteEndObject();
    }

    private static TruthInterval ReadInterval(JsonElement item, string sourceName, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Error(sourceName, path, "must be an object with kind, site, start_s and end_s");
        }

        var kindText = RequiredString(item, "kind", sourceName, path);
        if (!TryParseKind(kindText, out var kind))
        {
            throw Error(sourceName, path + ".kind", $"'{kindText}' is not one of {string.Join(", ", Enum.GetValues<TruthKind>().Select(KindName))}");
        }

        var site = RequiredString(item, "site", sourceName, path);
        if (!RecordingLayout.IsValidSite(site))
        {
            throw Error(sourceName, path + ".site", $"'{site}' is not a valid site name (lower-case letters, digits and '_', starting with a letter)");
        }

        var start = RequiredSeconds(item, "start_s", sourceName, path);
        var end = RequiredSeconds(item, "end_s", sourceName, path);
        if (start < 0)
        {
            throw Error(sourceName, path + ".start_s", $"{Format(start)} s is negative");
        }

        if (end < start)
        {
            throw Error(sourceName, path + ".end_s", $"{Format(end)} s is before start_s {Format(start)} s");
        }

        return new TruthInterval(kind, site, start, end);
    }

    private static bool TryParseKind(string text, out TruthKind kind)
    {
        foreach (var candidate in Enum.GetValues<TruthKind>())
        {
            if (KindName(candidate) == text)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static string RequiredString(JsonElement item, string name, string sourceName, string path)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw Error(sourceName, $"{path}.{name}", "is missing or not a string");
        }

        return value.GetString()!;
    }

    private static double RequiredSeconds(JsonElement item, string name, string sourceName, string path)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            throw Error(sourceName, $"{path}.{name}", "is missing or not a finite number of seconds");
        }

        return seconds;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static RecordingFormatException Error(string sourceName, string path, string reason) => new(sourceName, null, path, reason);
}

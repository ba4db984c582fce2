using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// The optional first line of a recording, <c># crampsense-recording v1 sample_rate_hz=1000 key=value …</c>.
/// A value with whitespace, '"' or '\' is written in double quotes with '"' and '\' escaped by a backslash
/// (docs/recording-format.md §2).
/// </summary>
internal static partial class RecordingCommentLine
{
    public const string Magic = "crampsense-recording";
    public const string Version = "v1";
    public const string SampleRateKey = "sample_rate_hz";

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    public static string Format(RecordingLayout layout)
    {
        var line = new StringBuilder("# ").Append(Magic).Append(' ').Append(Version).Append(' ')
            .Append(SampleRateKey).Append('=').Append(layout.SampleRateHz.ToString("R", CultureInfo.InvariantCulture));
        foreach (var (key, value) in layout.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            line.Append(' ').Append(key).Append('=').Append(Quote(value));
        }

        return line.ToString();
    }

    /// <summary>Parses a line that starts with '#'. Returns the sample rate (if given) and the metadata.</summary>
    public static (double? SampleRateHz, Dictionary<string, string> Metadata) Parse(string line, string sourceName, long lineNumber)
    {
        var text = line.AsSpan().TrimStart('#');
        var prefix = $"{Magic} ";
        text = text.TrimStart();
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new RecordingFormatException(sourceName, lineNumber, null, $"a comment line must start with '# {Magic} {Version}', found '{Shorten(line)}'");
        }

        text = text[prefix.Length..].TrimStart();
        var versionEnd = text.IndexOf(' ');
        var version = (versionEnd < 0 ? text : text[..versionEnd]).ToString();
        if (version != Version)
        {
            throw new RecordingFormatException(sourceName, lineNumber, null, $"unsupported format version '{Shorten(version)}' (this reader understands {Version})");
        }

        text = versionEnd < 0 ? default : text[versionEnd..];
        double? sampleRate = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!(text = text.TrimStart()).IsEmpty)
        {
            var equals = text.IndexOf('=');
            var space = text.IndexOf(' ');
            if (equals <= 0 || (space >= 0 && space < equals))
            {
                var token = space < 0 ? text : text[..space];
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata '{Shorten(token.ToString())}' is not key=value");
            }

            var key = text[..equals].ToString();
            text = text[(equals + 1)..];
            string value;
            if (text.StartsWith('"'))
            {
                var builder = new StringBuilder();
                var i = 1;
                for (; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                }

                if (i >= text.Length)
                {
                    throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata '{Shorten(key)}': the quoted value has no closing '\"'");
                }

                value = builder.ToString();
                text = text[(i + 1)..];
            }
            else
            {
                var end = text.IndexOf(' ');
                value = (end < 0 ? text : text[..end]).ToString();
                text = end < 0 ? default : text[end..];
            }

            if (!IsValidKey(key))
            {
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata key '{Shorten(key)}' is not valid (letters, digits, '_', '.', '-'; starting with a letter)");
            }

            if (key == SampleRateKey)
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || rate <= 0)
                {
                    throw new RecordingFormatException(sourceName, lineNumber, null, $"{SampleRateKey}='{Shorten(value)}' is not a positive number of hertz");
                }

                sampleRate = rate;
            }
            else if (RecordingFullScale.IsFullScaleKey(key) && RecordingFullScale.TryParse(value, out var fullScaleError) is null)
            {
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata {key}: {fullScaleError}");
            }
            else if (!metadata.TryAdd(key, value))
            {
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata key '{Shorten(key)}' appears twice");
            }
        }

        return (sampleRate, metadata);
    }

    /// <summary>A value as written: bare when it has no whitespace, quote or backslash; otherwise in double quotes with \" and \\ escaped.</summary>
    internal static string Quote(string value)
    {
        if (value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\'))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>True when <paramref name="value"/> can be written on the comment line (no line breaks or other control characters).</summary>
    internal static bool IsValidValue(string value) => !value.Any(char.IsControl);

    /// <summary>Echoed input capped at 40 characters (or <paramref name="max"/>): a 50 MB line must not become a 50 MB message.</summary>
    internal static string Shorten(ReadOnlySpan<char> text, int max = 40) => text.Length <= max ? text.ToString() : string.Concat(text[..(max - 3)], "...");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// The optional first line of a recording, <c># crampsense-recording v1 sample_rate_hz=1000 key=value …</c>.
/// Values are percent-encoded where they hold whitespace, '%', '=' or control characters, so a line always
/// splits on spaces (docs/recording-format.md §2).
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
            line.Append(' ').Append(key).Append('=').Append(Escape(value));
        }

        return line.ToString();
    }

    /// <summary>Parses a line that starts with '#'. Returns the sample rate (if given) and the metadata.</summary>
    public static (double? SampleRateHz, Dictionary<string, string> Metadata) Parse(string line, string sourceName, long lineNumber)
    {
        var tokens = line.TrimStart('#').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 2 || tokens[0] != Magic)
        {
            throw new RecordingFormatException(sourceName, lineNumber, null, $"a comment line must start with '# {Magic} {Version}', found '{Shorten(line)}'");
        }

        if (tokens[1] != Version)
        {
            throw new RecordingFormatException(sourceName, lineNumber, null, $"unsupported format version '{tokens[1]}' (this reader understands {Version})");
        }

        double? sampleRate = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens.AsSpan(2))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata '{Shorten(token)}' is not key=value");
            }

            var key = token[..equals];
            var value = Uri.UnescapeDataString(token[(equals + 1)..]);
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
            else if (!metadata.TryAdd(key, value))
            {
                throw new RecordingFormatException(sourceName, lineNumber, null, $"metadata key '{key}' appears twice");
            }
        }

        return (sampleRate, metadata);
    }

    internal static string Escape(string value)
    {
        var needs = false;
        foreach (var c in value)
        {
            needs |= NeedsEscape(c);
        }

        if (!needs)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!NeedsEscape(c))
            {
                builder.Append(c);
                continue;
            }

            var count = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            for (var b = 0; b < count; b++)
            {
                builder.Append('%').Append(utf8[b].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static bool NeedsEscape(char c) => char.IsWhiteSpace(c) || char.IsControl(c) || c is '%' or '=';

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}

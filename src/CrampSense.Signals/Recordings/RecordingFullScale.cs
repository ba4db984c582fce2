using System.Globalization;
using CrampSense.Signals.Features;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// The comment-line keys that give the front end's full scale (docs/recording-format.md §2):
/// <c>full_scale_mv=8.25</c> for every site (±8.25 mV), <c>full_scale_mv.&lt;site&gt;=…</c> for one site. A value is
/// one positive number (symmetric) or <c>low:high</c> (e.g. <c>-8.25:8.234</c>).
/// </summary>
public static class RecordingFullScale
{
    /// <summary>The key for every site.</summary>
    public const string Key = "full_scale_mv";

    /// <summary>The key for one site: <c>full_scale_mv.&lt;site&gt;</c>.</summary>
    public static string SiteKey(string site) => Key + "." + site;

    /// <summary>True for <c>full_scale_mv</c> and <c>full_scale_mv.*</c>.</summary>
    public static bool IsFullScaleKey(string key) =>
        key == Key || key.StartsWith(Key + ".", StringComparison.Ordinal);

    /// <summary>Parses a value; null with <paramref name="error"/> set when it is malformed.</summary>
    public static FullScaleRange? TryParse(string value, out string? error)
    {
        error = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (TryNumber(value, out var symmetric) && symmetric > 0)
            {
                return FullScaleRange.Symmetric(symmetric);
            }
        }
        else if (TryNumber(value[..colon], out var low) && TryNumber(value[(colon + 1)..], out var high) && high > low)
        {
            return new FullScaleRange(low, high);
        }

        error = $"'{value}' is not a full scale in millivolts (a positive number such as 8.25, or low:high such as -8.25:8.234)";
        return null;
    }

    /// <summary>
    /// The full scale the metadata of <paramref name="layout"/> gives <paramref name="site"/> (its own key first,
    /// then the key for every site); null when neither is there.
    /// </summary>
    /// <exception cref="FormatException">The value is malformed; the message names the key.</exception>
    public static FullScaleRange? For(RecordingLayout layout, string site)
    {
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var key in (ReadOnlySpan<string>)[SiteKey(site), Key])
        {
            if (layout.Metadata.TryGetValue(key, out var value))
            {
                return TryParse(value, out var error) ?? throw new FormatException($"metadata {key}: {error}");
            }
        }

        return null;
    }

    /// <summary>The metadata entry for every site, as the writer puts it on the comment line.</summary>
    public static KeyValuePair<string, string> Entry(FullScaleRange range) => new(
        Key,
        range.LowMillivolts == -range.HighMillivolts
            ? range.HighMillivolts.ToString("R", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{range.LowMillivolts:R}:{range.HighMillivolts:R}"));

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

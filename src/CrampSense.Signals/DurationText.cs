using System.Globalization;
using System.Text.RegularExpressions;

namespace CrampSense.Signals;

/// <summary>
/// The one duration grammar of every command line (<c>crampsense simulate --duration</c>, <c>crampsense-host
/// --duration</c>): a number of seconds (<c>90</c>, <c>1.5</c>), hours, minutes and seconds in that order, each
/// optional and decimal (<c>90s</c>, <c>1.5m</c>, <c>2h</c>, <c>1h30m</c>, <c>1h2m3s</c>; units in any case), or a
/// clock value (<c>00:30:00</c>). Surrounding spaces are ignored. Written here, not taken from a library: neither
/// <see cref="TimeSpan.Parse(string)"/> nor System.CommandLine reads unit suffixes.
/// </summary>
public static partial class DurationText
{
    /// <summary>The forms named in error messages.</summary>
    public const string Examples = "90s, 5m, 1h30m, 00:30:00 or a number of seconds";

    /// <summary>Reads <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            if (!double.IsFinite(plainSeconds) || Math.Abs(plainSeconds) > TimeSpan.MaxValue.TotalSeconds)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(plainSeconds);
            return true;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out duration);
        }

        var match = Pattern().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
        {
            return false;
        }

        double seconds = (Part(match, "h") * 3600) + (Part(match, "m") * 60) + Part(match, "s");
        if (seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The error line for a value of <paramref name="option"/> that is not a duration.</summary>
    public static string Problem(string option, string? text) => $"{option}: '{text}' is not a duration; use e.g. {Examples}";

    /// <summary>A short form that <see cref="TryParse"/> reads back: <c>45s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.TotalSeconds < 60 || duration.TotalSeconds % 60 != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
        }

        var hours = (int)duration.TotalHours;
        var minutes = duration.Minutes;
        return hours == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m")
            : minutes == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours}h") : string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m");
    }

    private static double Part(Match match, string unit) =>
        match.Groups[unit].Success ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace CrampSense.Cli;

/// <summary>Durations on the command line: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>2.5h</c>, a clock value <c>00:30:00</c>, or plain seconds.</summary>
internal static partial class DurationText
{
    /// <summary>Parses <paramref name="text"/>; a bad value is a <see cref="CliInputException"/> naming <paramref name="option"/>.</summary>
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds) && double.IsFinite(plainSeconds))
        {
            return TimeSpan.FromSeconds(plainSeconds);
        }

        if (trimmed.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var clock))
        {
            return clock;
        }

        var match = Pattern().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
        {
            throw new CliInputException($"{option}: '{text}' is not a duration; use e.g. 90s, 5m, 1h30m or a number of seconds");
        }

        double seconds = 0;
        seconds += Part(match, "h") * 3600;
        seconds += Part(match, "m") * 60;
        seconds += Part(match, "s");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A short human form: <c>45s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
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

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

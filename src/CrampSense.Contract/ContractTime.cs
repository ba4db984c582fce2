using System.Globalization;
using System.Text.RegularExpressions;

namespace CrampSense.Contract;

/// <summary>
/// The contract's time format: ISO-8601 UTC with milliseconds, e.g. <c>2026-11-26T13:56:21.123Z</c>. Every time the
/// project writes is in it; the one place a reader must accept more is a time a person or Home Assistant sends in a
/// command (<see cref="TryParseCommandTime"/>).
/// </summary>
public static partial class ContractTime
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Formats <paramref name="time"/> in UTC with exactly three fraction digits and a <c>Z</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a time in exactly the format <see cref="Format"/> writes (UTC, three fraction digits, <c>Z</c>); false for
    /// anything else, including other ISO-8601 spellings: a message that carries one was not written by the contract.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Pattern, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>
    /// Reads a time in a command, as the feedback schema allows it: a date, a time with an optional fraction of up to
    /// seven digits, and <c>Z</c> or an offset (Home Assistant's <c>now().isoformat()</c>). Nothing looser: no date
    /// alone, no missing zone, no culture-dependent form.
    /// </summary>
    public static bool TryParseCommandTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && CommandTimePattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>A new message id: a time-ordered UUID (version 7) in 32 hex digits.</summary>
    public static string NewId(DateTimeOffset time) => Guid.CreateVersion7(time).ToString("N");

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandTimePattern();
}

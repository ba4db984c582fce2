using System.Text.RegularExpressions;

namespace CrampSense.Contract;

/// <summary>
/// Muscle site names in payloads (<c>site</c>) and in <c>Device:Sites</c>: 1–64 lower-case ASCII letters, digits, '_'
/// and '-'. The bridge makes the site an InfluxDB tag, so no spaces, commas, equals signs or backslashes (a trailing
/// backslash swallowed the next tag). Every recording site (RecordingLayout) is one. The schemas carry the same
/// <see cref="Pattern"/> (ContractMessagesTests checks that they do).
/// </summary>
public static partial class SiteName
{
    /// <summary>The pattern, as in the schemas.</summary>
    public const string Pattern = "^[a-z0-9_-]{1,64}$";

    /// <summary>True when <paramref name="site"/> is a valid site name.</summary>
    public static bool IsValid(string? site) => site is not null && Regex().IsMatch(site);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}

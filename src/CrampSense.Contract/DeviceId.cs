using System.Text.RegularExpressions;

namespace CrampSense.Contract;

/// <summary>
/// Device ids as used in topics (<c>crampsense/v1/&lt;device&gt;/…</c>) and Home Assistant object ids: 1–32 lower-case
/// ASCII letters, digits and dashes. No <c>/</c>, <c>+</c>, <c>#</c>, spaces or control characters, so an id can
/// never add a topic level or a wildcard (topic injection).
/// </summary>
public static partial class DeviceId
{
    /// <summary>Longest allowed id; keeps topics and Home Assistant unique ids short.</summary>
    public const int MaxLength = 32;

    /// <summary>True when <paramref name="id"/> is a valid device id.</summary>
    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    /// <summary>Throws when <paramref name="id"/> is not a valid device id; the message names <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The id is empty, too long or has a character other than a–z, 0–9 and '-'.</exception>
    public static string ThrowIfInvalid(string? id, string key = "Device:Id")
    {
        if (!IsValid(id))
        {
            throw new ArgumentException(Describe(id, key), key);
        }

        return id!;
    }

    /// <summary>The reason <paramref name="id"/> is invalid, naming <paramref name="key"/>.</summary>
    public static string Describe(string? id, string key) =>
        string.IsNullOrEmpty(id)
            ? $"{key}: a device id is required (1–{MaxLength} characters: a–z, 0–9, '-')."
            : $"{key}: '{Printable(id)}' is not a valid device id; use 1–{MaxLength} characters from a–z, 0–9 and '-' (it becomes an MQTT topic level).";

    private static string Printable(string id)
    {
        var shown = id.Length > 40 ? id[..40] + "…" : id;
        return Regex.Replace(shown, @"\p{C}", "?");
    }

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

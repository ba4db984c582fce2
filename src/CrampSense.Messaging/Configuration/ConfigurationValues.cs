using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CrampSense.Messaging.Configuration;

/// <summary>
/// Reads one optional configuration value of a given kind (appsettings, <c>CRAMPSENSE_</c> environment variables,
/// command line). A missing or blank key is <c>null</c>; a value that does not parse adds a problem naming the key
/// and the value to <c>problems</c> and is <c>null</c> too, so that a program can report every bad key at once.
/// Shared by the messaging options and the service's own options.
/// </summary>
public static class ConfigurationValues
{
    /// <summary>The trimmed text of <paramref name="key"/>, or null when it is missing or blank.</summary>
    public static string? Text(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[key] is { } value && value.Trim().Length > 0 ? value.Trim() : null;
    }

    /// <summary>A whole number (invariant culture).</summary>
    public static int? WholeNumber(IConfiguration configuration, string key, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{key}: '{text}' is not a whole number.");
        return null;
    }

    /// <summary>A finite number above zero (invariant culture).</summary>
    public static double? PositiveNumber(IConfiguration configuration, string key, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0)
        {
            return value;
        }

        problems.Add($"{key}: '{text}' is not a positive number.");
        return null;
    }

    /// <summary>A positive number of seconds.</summary>
    public static TimeSpan? Seconds(IConfiguration configuration, string key, List<string> problems) =>
        PositiveNumber(configuration, key, problems) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary><c>true</c> or <c>false</c> (any case).</summary>
    public static bool? TrueOrFalse(IConfiguration configuration, string key, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"{key}: '{text}' is not true or false.");
        return null;
    }
}

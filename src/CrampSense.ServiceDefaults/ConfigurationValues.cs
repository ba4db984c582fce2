using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CrampSense.ServiceDefaults;

/// <summary>
/// Reads one optional configuration value of a given kind (appsettings, <c>CRAMPSENSE_</c> environment variables,
/// command line) for options whose keys are not their property names (<c>Mqtt:KeepAliveSeconds</c> →
/// <c>TimeSpan KeepAlive</c>), where the configuration binder cannot map them. A missing or blank key is
/// <c>null</c>; a value that does not parse adds a problem naming the key and the value to <c>problems</c> and is
/// <c>null</c> too, so that a program can report every bad key at once (<see cref="KeyedOptions"/>).
/// </summary>
public static class ConfigurationValues
{
    /// <summary>The trimmed text of <paramref name="key"/>, or null when it is missing or blank.</summary>
    public static string? Text(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[key] is { } value && value.Trim().Length > 0 ? value.Trim() : null;
    }

    /// <summary>A whole number (invariant culture), in [<paramref name="min"/>, <paramref name="max"/>] when they are given.</summary>
    public static int? WholeNumber(IConfiguration configuration, string key, List<string> problems, int min = int.MinValue, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add(min == int.MinValue && max == int.MaxValue
            ? $"{key}: '{text}' is not a whole number."
            : $"{key}: '{text}' is not a whole number in {min} … {max}.");
        return null;
    }

    /// <summary>A finite number above zero (invariant culture), at most <paramref name="max"/> when it is given.</summary>
    public static double? PositiveNumber(IConfiguration configuration, string key, List<string> problems, double max = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 && value <= max)
        {
            return value;
        }

        problems.Add(double.IsPositiveInfinity(max)
            ? $"{key}: '{text}' is not a positive number."
            : $"{key}: '{text}' is not a number in (0, {max.ToString(CultureInfo.InvariantCulture)}].");
        return null;
    }

    /// <summary>A positive number of seconds, at most <paramref name="maxSeconds"/> when it is given.</summary>
    public static TimeSpan? Seconds(IConfiguration configuration, string key, List<string> problems, double maxSeconds = double.PositiveInfinity) =>
        PositiveNumber(configuration, key, problems, maxSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

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

    /// <summary>One of the names of <typeparamref name="TEnum"/> (any case; numbers are refused).</summary>
    public static TEnum? OneOf<TEnum>(IConfiguration configuration, string key, List<string> problems)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        problems.Add($"{key}: '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        return null;
    }
}

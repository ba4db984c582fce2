using System.Globalization;

namespace CrampSense.Contract;

/// <summary>The contract's time format: ISO-8601 UTC with milliseconds, e.g. <c>2026-11-26T13:56:21.123Z</c>.</summary>
public static class ContractTime
{
    /// <summary>Formats <paramref name="time"/> in UTC with exactly three fraction digits and a <c>Z</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A new message id: a time-ordered UUID (version 7) in 32 hex digits.</summary>
    public static string NewId(DateTimeOffset time) => Guid.CreateVersion7(time).ToString("N");
}

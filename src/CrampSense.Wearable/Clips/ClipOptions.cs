using System.Globalization;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// The <c>Clips</c> section: event clips around detected cramps, warnings and user reports (issue 16 §1). Every
/// problem <see cref="Validate"/> reports starts with its configuration key.
/// </summary>
public sealed record ClipOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Clips";

    /// <summary><c>Clips:Enabled</c>: write clips at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>Clips:Folder</c>: where the clips go; null = <c>clips</c> under the service's data directory.</summary>
    public string? Folder { get; init; }

    /// <summary><c>Clips:PreSeconds</c>: how much of the buffer before the onset a clip keeps.</summary>
    public double PreSeconds { get; init; } = 60;

    /// <summary><c>Clips:PostSeconds</c>: how much after the end of the event a clip keeps.</summary>
    public double PostSeconds { get; init; } = 30;

    /// <summary>
    /// <c>Clips:MaxEventSeconds</c>: the longest event a clip covers whole; a longer one is cut there (the buffer
    /// holds <see cref="PreSeconds"/> + this + <see cref="PostSeconds"/>). Cramps last seconds to a few minutes.
    /// </summary>
    public double MaxEventSeconds { get; init; } = 180;

    /// <summary><c>Clips:QueueCapacity</c>: clips waiting for the writer; when full, a new clip is dropped and reported.</summary>
    public int QueueCapacity { get; init; } = 4;

    /// <summary><c>Clips:QuotaMegabytes</c>: the folder's size limit; the oldest clips are deleted first.</summary>
    public double QuotaMegabytes { get; init; } = 512;

    /// <summary><c>Clips:RetentionDays</c>: clips older than this are deleted.</summary>
    public double RetentionDays { get; init; } = 30;

    /// <summary>The buffer's length in seconds.</summary>
    public double BufferSeconds => PreSeconds + MaxEventSeconds + PostSeconds;

    /// <summary>The quota in bytes.</summary>
    public long QuotaBytes => (long)(QuotaMegabytes * 1024 * 1024);

    /// <summary>The retention as a time span.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    /// <summary>Every problem, each starting with its key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Range(problems, "PreSeconds", PreSeconds, 0, 600);
        Range(problems, "PostSeconds", PostSeconds, 0, 600);
        Range(problems, "MaxEventSeconds", MaxEventSeconds, 1, 3600);
        Range(problems, "QuotaMegabytes", QuotaMegabytes, 1, 1024 * 1024);
        Range(problems, "RetentionDays", RetentionDays, 0.01, 3650);
        if (QueueCapacity is < 1 or > 64)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:QueueCapacity: {QueueCapacity} must be between 1 and 64."));
        }

        return problems;
    }

    private static void Range(List<string> problems, string key, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key}: {value} must be between {min} and {max}."));
        }
    }
}

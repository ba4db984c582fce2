using System.Collections.ObjectModel;
using System.Text.RegularExpressions;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// What a recording holds: its EMG sample clock, the muscle sites (one <c>emg.&lt;site&gt;</c> column each),
/// and whether skin temperature and acceleration columns are present. Column order in a file is
/// <c>t_s</c>, the EMG sites in <see cref="Sites"/> order, <c>temp.skin</c>, <c>acc.x</c>, <c>acc.y</c>, <c>acc.z</c>.
/// </summary>
public sealed partial class RecordingLayout
{
    /// <summary>Column name of the time axis, seconds from the start of the recording.</summary>
    public const string TimeColumn = "t_s";

    /// <summary>Prefix of every EMG column; the rest of the name is the site.</summary>
    public const string EmgColumnPrefix = "emg.";

    /// <summary>Column of the skin temperature in °C.</summary>
    public const string SkinTemperatureColumn = "temp.skin";

    /// <summary>Columns of the acceleration in g.</summary>
    public static readonly IReadOnlyList<string> AccelerationColumns = ["acc.x", "acc.y", "acc.z"];

    public RecordingLayout(
        double sampleRateHz,
        IEnumerable<string> sites,
        bool hasSkinTemperature,
        bool hasAcceleration,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(sites);
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        var list = sites.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A recording needs at least one EMG site.", nameof(sites));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in list)
        {
            if (!IsValidSite(site))
            {
                throw new ArgumentException($"Site '{site}' is not valid: use lower-case letters, digits and '_' (for example calf, calf_left).", nameof(sites));
            }

            if (!seen.Add(site))
            {
                throw new ArgumentException($"Site '{site}' appears twice.", nameof(sites));
            }
        }

        SampleRateHz = sampleRateHz;
        Sites = new ReadOnlyCollection<string>(list);
        HasSkinTemperature = hasSkinTemperature;
        HasAcceleration = hasAcceleration;
        Metadata = new ReadOnlyDictionary<string, string>(
            metadata is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(metadata, StringComparer.Ordinal));
    }

    /// <summary>EMG sample rate (the rate of the rows), in Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Muscle sites, in column order.</summary>
    public IReadOnlyList<string> Sites { get; }

    public bool HasSkinTemperature { get; }

    public bool HasAcceleration { get; }

    /// <summary>Free key=value metadata from the comment line (scenario, seed, source, …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All column names in file order.</summary>
    public IReadOnlyList<string> Columns
    {
        get
        {
            var columns = new List<string>(1 + Sites.Count + 4) { TimeColumn };
            columns.AddRange(Sites.Select(s => EmgColumnPrefix + s));
            if (HasSkinTemperature)
            {
                columns.Add(SkinTemperatureColumn);
            }

            if (HasAcceleration)
            {
                columns.AddRange(AccelerationColumns);
            }

            return columns;
        }
    }

    /// <summary>Creates a frame sized for this layout, to be reused row after row.</summary>
    public RecordingFrame CreateFrame() => new(Sites.Count);

    /// <summary>True when <paramref name="site"/> is a usable site name (lower-case letters, digits, '_', 1–32 chars).</summary>
    public static bool IsValidSite(string? site) => site is not null && SitePattern().IsMatch(site);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex SitePattern();
}

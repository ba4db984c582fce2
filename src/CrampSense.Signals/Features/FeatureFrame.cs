namespace CrampSense.Signals.Features;

/// <summary>
/// One feature vector per site at the end of a window, plus quality flags. Created once by
/// <see cref="EmgFeatureExtractor.CreateFrame"/> and overwritten every hop (no allocation per window).
/// </summary>
public sealed class FeatureFrame
{
    private readonly float[] _values;
    private readonly SignalQuality[] _quality;
    private readonly SiteActivity[] _activity;

    internal FeatureFrame(IReadOnlyList<string> sites)
    {
        Sites = sites;
        _values = new float[sites.Count * EmgFeatureNames.Count];
        _quality = new SignalQuality[sites.Count];
        _activity = new SiteActivity[sites.Count];
        Array.Fill(_activity, SiteActivity.Quiet);
    }

    /// <summary>Site names in layout order.</summary>
    public IReadOnlyList<string> Sites { get; }

    /// <summary>Time of the newest sample in the window, s from the recording start.</summary>
    public double TimeSeconds { get; internal set; }

    /// <summary>Index (0-based row count) of the newest sample in the window.</summary>
    public long SampleIndex { get; internal set; }

    /// <summary>All values, site after site, each site <see cref="EmgFeatureNames.Count"/> long in <see cref="EmgFeature"/> order.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Feature vector of site <paramref name="site"/>, in <see cref="EmgFeature"/> order.</summary>
    public ReadOnlySpan<float> Site(int site) => _values.AsSpan(site * EmgFeatureNames.Count, EmgFeatureNames.Count);

    /// <summary>One feature of one site.</summary>
    public float this[int site, EmgFeature feature] => _values[(site * EmgFeatureNames.Count) + (int)feature];

    /// <summary>Quality flags of site <paramref name="site"/> over this window.</summary>
    public SignalQuality Quality(int site) => _quality[site];

    /// <summary>What the activity detector says about site <paramref name="site"/> at the end of this window.</summary>
    public SiteActivity Activity(int site) => _activity[site];

    internal void SetActivity(int site, in SiteActivity activity) => _activity[site] = activity;

    internal Span<float> WritableSite(int site) => _values.AsSpan(site * EmgFeatureNames.Count, EmgFeatureNames.Count);

    internal void SetQuality(int site, SignalQuality quality) => _quality[site] = quality;
}

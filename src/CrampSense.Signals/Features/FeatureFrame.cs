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
    private readonly bool[] _rhythmic;
    private readonly bool[] _cadenceOnly;
    private readonly double[] _signalCorrelation;
    private readonly bool[] _modelFeaturesFresh;

    internal FeatureFrame(IReadOnlyList<string> sites)
    {
        Sites = sites;
        _values = new float[sites.Count * EmgFeatureNames.Count];
        _quality = new SignalQuality[sites.Count];
        _activity = new SiteActivity[sites.Count];
        _rhythmic = new bool[sites.Count];
        _cadenceOnly = new bool[sites.Count];
        _signalCorrelation = new double[sites.Count * sites.Count];
        _modelFeaturesFresh = new bool[sites.Count];
        Array.Fill(_signalCorrelation, double.NaN);
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

    /// <summary>
    /// False when site <paramref name="site"/>'s time-domain and spectral features hold the values of an earlier window
    /// (a quiet site between two computations: <see cref="EmgFeatureExtractor.QuietModelFeatureInterval"/>).
    /// </summary>
    public bool ModelFeaturesFresh(int site) => _modelFeaturesFresh[site];

    internal void SetModelFeaturesFresh(int site, bool fresh) => _modelFeaturesFresh[site] = fresh;

    /// <summary>Feature vector of site <paramref name="site"/>, in <see cref="EmgFeature"/> order.</summary>
    public ReadOnlySpan<float> Site(int site) => _values.AsSpan(site * EmgFeatureNames.Count, EmgFeatureNames.Count);

    /// <summary>One feature of one site.</summary>
    public float this[int site, EmgFeature feature] => _values[(site * EmgFeatureNames.Count) + (int)feature];

    /// <summary>Quality flags of site <paramref name="site"/> over this window.</summary>
    public SignalQuality Quality(int site) => _quality[site];

    /// <summary>What the activity detector says about site <paramref name="site"/> at the end of this window.</summary>
    public SiteActivity Activity(int site) => _activity[site];

    internal void SetActivity(int site, in SiteActivity activity) => _activity[site] = activity;

    /// <summary>Site <paramref name="site"/>'s envelope is in a rhythmic series of bursts, or its burst at a cadence, at the end of this window (<see cref="BurstRhythmDetector.IsRhythmic"/>).</summary>
    public bool IsRhythmic(int site) => _rhythmic[site];

    /// <summary>
    /// Site <paramref name="site"/>'s rhythm at the end of this window is only the cadence inside its current burst
    /// (<see cref="BurstRhythmDetector.IsCadenced"/>, no series of released bursts).
    /// </summary>
    public bool IsCadenceOnly(int site) => _cadenceOnly[site];

    internal void SetRhythmic(int site, bool rhythmic, bool cadenceOnly)
    {
        _rhythmic[site] = rhythmic;
        _cadenceOnly[site] = rhythmic && cadenceOnly;
    }

    /// <summary>
    /// Zero-lag correlation of the filtered signals of sites <paramref name="a"/> and <paramref name="b"/> over this window,
    /// computed only when both are active (NaN otherwise): high for crosstalk, low for two muscles contracting.
    /// </summary>
    public double SignalCorrelation(int a, int b) => _signalCorrelation[(a * Sites.Count) + b];

    internal void SetSignalCorrelation(int a, int b, double r)
    {
        _signalCorrelation[(a * Sites.Count) + b] = r;
        _signalCorrelation[(b * Sites.Count) + a] = r;
    }

    internal Span<float> WritableSite(int site) => _values.AsSpan(site * EmgFeatureNames.Count, EmgFeatureNames.Count);

    internal void SetQuality(int site, SignalQuality quality) => _quality[site] = quality;
}

using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Plotting;

/// <summary>
/// What the plot of one recording needs, reduced while the recording streams past: per site the raw EMG and
/// its envelope as min/max buckets, the skin temperature, and the motion (|acceleration| − 1 g); and for each
/// <see cref="ZoomWindow"/> (known before the recording is read) its site's raw EMG and envelope at close range.
/// </summary>
internal sealed class RecordingPlotData
{
    /// <summary>Buckets per trace: about two per horizontal pixel of a 1600-pixel-wide image.</summary>
    public const int BucketsPerTrace = 4096;

    private readonly MinMaxDecimator[] _raw;
    private readonly MinMaxDecimator[] _envelope;

    private readonly ZoomTrace[] _zooms;

    public RecordingPlotData(RecordingLayout layout, IReadOnlyList<ZoomWindow>? zooms = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        _raw = layout.Sites.Select(_ => new MinMaxDecimator(BucketsPerTrace)).ToArray();
        _envelope = layout.Sites.Select(_ => new MinMaxDecimator(BucketsPerTrace)).ToArray();
        _zooms = (zooms ?? [])
            .Where(z => layout.Sites.Contains(z.Site, StringComparer.Ordinal))
            .Take(ZoomWindow.MaximumCount)
            .Select(z => new ZoomTrace(z, layout.Sites.ToList().IndexOf(z.Site)))
            .ToArray();
    }

    /// <summary>The close-ups kept (at most <see cref="ZoomWindow.MaximumCount"/>, sites of this recording only).</summary>
    public IReadOnlyList<ZoomTrace> Zooms => _zooms;

    public RecordingLayout Layout { get; }

    public MinMaxDecimator SkinTemperature { get; } = new(BucketsPerTrace);

    public MinMaxDecimator Motion { get; } = new(BucketsPerTrace);

    /// <summary>Time of the last frame, in seconds.</summary>
    public double EndSeconds { get; private set; }

    public MinMaxDecimator Raw(int siteIndex) => _raw[siteIndex];

    public MinMaxDecimator Envelope(int siteIndex) => _envelope[siteIndex];

    /// <summary>Adds one frame and the envelope of each site at that frame (same order as the sites).</summary>
    public void Add(RecordingFrame frame, ReadOnlySpan<float> envelopeMillivolts)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var t = frame.TimeSeconds;
        for (var i = 0; i < _raw.Length; i++)
        {
            _raw[i].Add(t, frame.EmgMillivolts[i]);
            _envelope[i].Add(t, envelopeMillivolts[i]);
        }

        if (frame.HasSkinTemperature)
        {
            SkinTemperature.Add(t, frame.SkinTemperatureCelsius);
        }

        if (frame.HasAcceleration)
        {
            var magnitude = MathF.Sqrt(
                (frame.AccelerationXG * frame.AccelerationXG) +
                (frame.AccelerationYG * frame.AccelerationYG) +
                (frame.AccelerationZG * frame.AccelerationZG));
            Motion.Add(t, magnitude - 1f);
        }

        foreach (var zoom in _zooms)
        {
            if (t >= zoom.Window.FromSeconds && t <= zoom.Window.ToSeconds)
            {
                zoom.Raw.Add(t, frame.EmgMillivolts[zoom.SiteIndex]);
                zoom.Envelope.Add(t, envelopeMillivolts[zoom.SiteIndex]);
            }
        }

        EndSeconds = t;
    }

    /// <summary>The raw EMG and envelope of one close-up.</summary>
    internal sealed class ZoomTrace(ZoomWindow window, int siteIndex)
    {
        public ZoomWindow Window { get; } = window;

        public int SiteIndex { get; } = siteIndex;

        public MinMaxDecimator Raw { get; } = new(BucketsPerTrace);

        public MinMaxDecimator Envelope { get; } = new(BucketsPerTrace);
    }
}

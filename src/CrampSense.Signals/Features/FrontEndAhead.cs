using System.Runtime.CompilerServices;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Recordings;

namespace CrampSense.Signals.Features;

/// <summary>
/// The per-row front end of an <see cref="EmgFeatureExtractor"/> — every site's channel filter and linear envelope, and the
/// signal-quality monitors of its first <see cref="QualitySites"/> sites — run on the thread that reads the rows, ahead of
/// the extractor that reads its results on another: the second stage of a replay's pipeline on two cores. The filters and
/// the monitors depend on nothing but the raw samples and the window schedule, so running them a few thousand rows earlier
/// on another thread gives the same values; each row's filtered samples and envelopes, and each window's quality verdicts
/// and mains-canceller readings, wait in rings until the extractor reaches them.
/// </summary>
/// <remarks>
/// Why these stages: of a 1-site replay the detector thread spent about 1.0 s per hour and the reader 0.45 s; the filters
/// (with the mains canceller) and the quality monitor are the largest self-contained per-row costs of the detector
/// (docs/measurements.md, session 12). What the window reads of the mains canceller (hum level, frequency, whether it is
/// engaged or re-acquiring, the undetected hum) is taken at each window's last row. Use: the reading thread calls
/// <see cref="Add"/> for every row, in order, before the extractor built with this stage processes that row, and the
/// hand-over of the rows between the threads (e.g. a block of frames published with an interlocked write) orders the
/// results too; the extractor may fall at most <c>rowsAhead</c> rows behind (further, and <see cref="Add"/> throws before
/// anything is overwritten). Steady state allocates nothing. The service does not use it: it runs one row at a time.
/// </remarks>
public sealed class FrontEndAhead
{
    private readonly EmgChannelFilterBank _filters;
    private readonly LinearEnvelopeBank _envelopes;
    private readonly ChannelQualityMonitor[] _monitors;
    private readonly int _sites;

    // Per row (slot = row % _rowCapacity), per site: the filtered sample and its envelope.
    private readonly double[] _filtered;
    private readonly double[] _envelope;
    private readonly int _rowCapacity;

    // Per window (slot = window % _windowCapacity): every site's canceller reading, the quality sites' verdicts.
    private readonly MainsReading[] _mains;
    private readonly SignalQuality[] _verdicts;
    private readonly double[] _resolutions;
    private readonly double[] _steps;
    private readonly int _windowCapacity;
    private readonly int _hop;
    private long _rows;
    private int _rowsUntilWindow;
    private long _judged; // windows completed (written by the reading thread only)
    private long _taken; // windows the extractor is done with (written by the extractor's thread only)

    /// <summary>Creates the filters of every site of <paramref name="layout"/> and the monitors of its first <paramref name="qualitySites"/>, as the extractor would.</summary>
    /// <param name="layout">The recording's layout (sites, sample rate, <c>full_scale_mv</c> keys).</param>
    /// <param name="options">The extractor's options (the same instance the extractor is given).</param>
    /// <param name="qualitySites">How many of the layout's sites, from the first, have their quality judged here (0 … all).</param>
    /// <param name="rowsAhead">The most rows <see cref="Add"/> may run ahead of the extractor's <c>Process</c>.</param>
    public FrontEndAhead(RecordingLayout layout, FeatureExtractorOptions? options, int qualitySites, int rowsAhead)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(qualitySites);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(qualitySites, layout.Sites.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsAhead, 1);
        options ??= FeatureExtractorOptions.Default;
        options.ThrowIfInvalid(layout.SampleRateHz);
        Options = options;
        SampleRateHz = layout.SampleRateHz;
        _sites = layout.Sites.Count;
        WindowLength = EmgFeatureExtractor.WindowSamples(options, layout.SampleRateHz);
        _hop = EmgFeatureExtractor.HopSamples(options, layout.SampleRateHz);
        _filters = new EmgChannelFilterBank(layout.SampleRateHz, _sites, options.Filter);
        _envelopes = new LinearEnvelopeBank(layout.SampleRateHz, _sites, options.Filter.EnvelopeCutoffHz);
        _monitors = new ChannelQualityMonitor[qualitySites];
        for (int s = 0; s < qualitySites; s++)
        {
            _monitors[s] = new ChannelQualityMonitor(layout.SampleRateHz, WindowLength, _hop, options, EmgFeatureExtractor.ResolveFullScale(layout.Sites[s], options, layout));
        }

        // Windows completed ahead of the one the extractor is on: one per hop of the rows ahead, the partial hops at either
        // end. The rows' ring holds every row of those windows and the one being read, so the window check comes first.
        _windowCapacity = (rowsAhead / _hop) + 2;
        _rowCapacity = ((_windowCapacity + 1) * _hop) + WindowLength;
        _filtered = new double[_rowCapacity * _sites];
        _envelope = new double[_rowCapacity * _sites];
        _mains = new MainsReading[_windowCapacity * _sites];
        _verdicts = new SignalQuality[_windowCapacity * Math.Max(1, qualitySites)];
        _resolutions = new double[_windowCapacity * Math.Max(1, qualitySites)];
        _steps = new double[_resolutions.Length];
        _rowsUntilWindow = WindowLength;
    }

    /// <summary>How many sites, from the first in layout order, have their quality judged here.</summary>
    public int QualitySites => _monitors.Length;

    /// <summary>The options the stages were made with.</summary>
    public FeatureExtractorOptions Options { get; }

    public double SampleRateHz { get; }

    /// <summary>Number of sites (all are filtered here).</summary>
    public int Sites => _sites;

    /// <summary>Samples per window.</summary>
    public int WindowLength { get; }

    /// <summary>Samples between windows.</summary>
    public int HopLength => _hop;

    /// <summary>The band-pass design in use.</summary>
    public ButterworthBandPass BandPass => _filters.BandPass;

    /// <summary>Site <paramref name="siteIndex"/>'s quality monitor (below <see cref="QualitySites"/>); its state is that of the last row added, which may lie ahead of the extractor.</summary>
    public ChannelQualityMonitor QualityMonitor(int siteIndex) => _monitors[siteIndex];

    /// <summary>Takes the next row (the reading thread): filters it and, at the end of a window, judges the window.</summary>
    /// <exception cref="InvalidOperationException">The extractor is further behind than the <c>rowsAhead</c> this stage was made for.</exception>
    [MethodImpl(HotPath.Compiled)]
    public void Add(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var emg = frame.EmgMillivolts;
        int sites = _sites;
        int row = (int)(_rows % _rowCapacity) * sites;
        var filtered = _filtered.AsSpan(row, sites);
        _filters.Process(emg, filtered);
        _envelopes.Process(filtered, _envelope.AsSpan(row, sites));
        var monitors = _monitors;
        for (int s = 0; s < monitors.Length; s++)
        {
            monitors[s].Add(emg[s]);
        }

        _rows++;
        if (--_rowsUntilWindow > 0)
        {
            return;
        }

        _rowsUntilWindow = _hop;
        long judged = _judged;
        if (judged - Volatile.Read(ref _taken) >= _windowCapacity)
        {
            throw new InvalidOperationException($"The front end ran {_windowCapacity} windows ahead of the extractor, more than the rows ahead it was made for.");
        }

        int slot = (int)(judged % _windowCapacity);
        for (int s = 0; s < sites; s++)
        {
            _mains[(slot * sites) + s] = MainsReading.Of(_filters.Mains(s));
        }

        for (int s = 0; s < monitors.Length; s++)
        {
            _verdicts[(slot * monitors.Length) + s] = monitors[s].Evaluate();
            _resolutions[(slot * monitors.Length) + s] = monitors[s].ResolutionFloorMillivolts;
            _steps[(slot * monitors.Length) + s] = monitors[s].StepMillivolts;
        }

        Volatile.Write(ref _judged, judged + 1); // publishes the window (the rows' hand-over publishes it too)
    }

    /// <summary>Row <paramref name="row"/>'s filtered samples (every site), added earlier by <see cref="Add"/>.</summary>
    [MethodImpl(HotPath.Compiled)]
    internal ReadOnlySpan<double> Filtered(long row) => _filtered.AsSpan((int)(row % _rowCapacity) * _sites, _sites);

    /// <summary>Row <paramref name="row"/>'s envelopes (every site).</summary>
    [MethodImpl(HotPath.Compiled)]
    internal ReadOnlySpan<double> Envelope(long row) => _envelope.AsSpan((int)(row % _rowCapacity) * _sites, _sites);

    /// <summary>The extractor's next window: its slot for <see cref="Mains"/>, <see cref="Verdict"/> and <see cref="ResolutionFloorMillivolts"/>.</summary>
    /// <exception cref="InvalidOperationException">The window's last row was not added first.</exception>
    internal int TakeWindow()
    {
        long taken = _taken;
        if (taken >= Volatile.Read(ref _judged))
        {
            throw new InvalidOperationException("The extractor reached a window whose rows were not added to its front end first.");
        }

        return (int)(taken % _windowCapacity);
    }

    /// <summary>Site <paramref name="siteIndex"/>'s mains canceller at the window's last row.</summary>
    internal MainsReading Mains(int window, int siteIndex) => _mains[(window * _sites) + siteIndex];

    /// <summary>The window's flags of site <paramref name="siteIndex"/> (below <see cref="QualitySites"/>; <see cref="ChannelQualityMonitor.Evaluate"/>).</summary>
    internal SignalQuality Verdict(int window, int siteIndex) => _verdicts[(window * _monitors.Length) + siteIndex];

    /// <summary>The site's <see cref="ChannelQualityMonitor.ResolutionFloorMillivolts"/> at the window's end.</summary>
    internal double ResolutionFloorMillivolts(int window, int siteIndex) => _resolutions[(window * _monitors.Length) + siteIndex];

    /// <summary>The site's <see cref="ChannelQualityMonitor.StepMillivolts"/> at the window's end.</summary>
    internal double StepMillivolts(int window, int siteIndex) => _steps[(window * _monitors.Length) + siteIndex];

    /// <summary>The extractor is done with the window from <see cref="TakeWindow"/> (and the rows before it): its slot can be filled again.</summary>
    internal void ReleaseWindow() => Volatile.Write(ref _taken, _taken + 1);
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Recordings;

namespace CrampSense.Signals.Features;

/// <summary>
/// The multi-site streaming entry point: consumes <see cref="RecordingFrame"/>s row by row, runs each EMG
/// channel through <see cref="EmgChannelFilter"/> and <see cref="LinearEnvelope"/>, tracks quality, rest
/// floors, motion and skin temperature, and every hop writes one feature vector per site into a caller-owned
/// <see cref="FeatureFrame"/>. After construction nothing is allocated per row or per window.
/// </summary>
/// <example>
/// <code>
/// var extractor = new EmgFeatureExtractor(layout);
/// var features = extractor.CreateFrame();
/// var frame = layout.CreateFrame();
/// // for every row: fill frame (reader, simulator or sensors), then
/// if (extractor.Process(frame, features))
/// {
///     // a new vector per site: features.Site(i), features[i, EmgFeature.Rms], features.Quality(i)
/// }
/// // extractor.Filtered[i] and extractor.Envelope[i] are this row's per-site values for a plot.
/// </code>
/// </example>
public sealed class EmgFeatureExtractor
{
    private const long Never = long.MinValue / 2;

    /// <summary>
    /// How long after an activation an overdriven window still belongs to it, s: the quality monitor judges the fraction at
    /// the rails over the last second, so that long after the release a window can still be overdriven by the contraction's tail.
    /// </summary>
    private const double OverdrivenTailSeconds = 1;

    private readonly FeatureExtractorOptions _options;
    private readonly SiteState[] _sites;
    private readonly EmgChannelFilterBank _filters;
    private readonly LinearEnvelopeBank _envelopes;

    /// <summary>This row's raw samples as filtered per site (double), then their envelopes: the banks' row buffers.</summary>
    private readonly double[] _rowFiltered;
    private readonly double[] _rowEnvelope;
    private readonly SpectralAnalyzer _spectral;
    private readonly MotionTracker _motion;
    private readonly SkinTemperatureTracker _temperature;
    private readonly float[] _filtered;
    private readonly float[] _envelope;
    private readonly double[] _correlation;
    private readonly float _deadband;
    private readonly float _willison;
    private readonly double _maxStepSeconds;

    /// <summary>
    /// How many consecutive dead windows are kept out of the rest floor: its window's worth. A channel within one step
    /// for longer than the floor remembers has no other rest to judge against (or never had resolved rest, e.g. a
    /// recording that opened inside activity): then it teaches the floor again.
    /// </summary>
    private readonly int _deadWindowsExcluded;

    /// <summary>
    /// Windows from a hum's onset to the canceller's engagement at the latest: its measurement window and its engagement
    /// evaluations (<see cref="MainsInterferenceCanceller"/>: 2 s + 3 × 0.5 s).
    /// </summary>
    private readonly int _engageLatencyWindows;

    /// <summary>The filters, envelopes and first sites' quality run on the reading thread, or null (everything here).</summary>
    private readonly FrontEndAhead? _frontEnd;

    /// <summary>The first site whose quality monitor this extractor feeds and evaluates itself (0 without <see cref="_frontEnd"/>).</summary>
    private readonly int _ownQualityFrom;

    /// <summary>Reset with a front end ahead: no more rows (<see cref="Reset"/>).</summary>
    private bool _ended;
    private int _quietModelFeatureInterval = 1;
    private bool _deferQuietModelFeatures;
    private int _position;

    /// <summary>Where this row's filtered sample goes in the sites' <see cref="SiteState.Signal"/> rings (two windows long).</summary>
    private int _signalPosition;
    private long _count;

    /// <summary>Rows until the next window completes (a countdown: a 64-bit remainder per row cost more than the row's bookkeeping).</summary>
    private int _rowsUntilWindow;
    private long _lastDrop;
    private double _previousTime;

    /// <summary>Creates an extractor for the sites and sample rate of <paramref name="layout"/>.</summary>
    public EmgFeatureExtractor(RecordingLayout layout, FeatureExtractorOptions? options = null)
        : this((layout ?? throw new ArgumentNullException(nameof(layout))).SampleRateHz, layout.Sites, options, layout, frontEnd: null)
    {
    }

    /// <summary>
    /// Creates an extractor for <paramref name="layout"/> whose per-row front end (every site's filter and envelope, the first
    /// <see cref="FrontEndAhead.QualitySites"/> sites' quality) runs in <paramref name="frontEnd"/> (made for the same layout and
    /// options) on the thread that reads the rows; every row this extractor processes must have been added to it first. The
    /// features are the same as without it. After <see cref="Reset"/> (e.g. the detector's flush at the end of a recording)
    /// such an extractor takes no more rows.
    /// </summary>
    /// <exception cref="ArgumentException">The front end was made with other options, another sample rate or other sites.</exception>
    public EmgFeatureExtractor(RecordingLayout layout, FeatureExtractorOptions? options, FrontEndAhead? frontEnd)
        : this((layout ?? throw new ArgumentNullException(nameof(layout))).SampleRateHz, layout.Sites, options, layout, frontEnd)
    {
    }

    /// <summary>Creates an extractor for <paramref name="sites"/> sampled at <paramref name="sampleRateHz"/>.</summary>
    public EmgFeatureExtractor(double sampleRateHz, IReadOnlyList<string> sites, FeatureExtractorOptions? options = null)
        : this(sampleRateHz, sites, options, layout: null, frontEnd: null)
    {
    }

    private EmgFeatureExtractor(double sampleRateHz, IReadOnlyList<string> sites, FeatureExtractorOptions? options, RecordingLayout? layout, FrontEndAhead? frontEnd)
    {
        ArgumentNullException.ThrowIfNull(sites);
        if (sites.Count == 0)
        {
            throw new ArgumentException("At least one EMG site is needed.", nameof(sites));
        }

        options ??= FeatureExtractorOptions.Default;
        options.ThrowIfInvalid(sampleRateHz);
        _options = options;
        SampleRateHz = sampleRateHz;
        Sites = sites.ToArray();
        WindowLength = WindowSamples(options, sampleRateHz);
        HopLength = HopSamples(options, sampleRateHz);
        if (frontEnd is not null && (!ReferenceEquals(frontEnd.Options, options) || frontEnd.SampleRateHz != sampleRateHz || frontEnd.Sites != sites.Count))
        {
            throw new ArgumentException("The front end was made for other options, another sample rate or another number of sites.", nameof(frontEnd));
        }

        _frontEnd = frontEnd;
        _ownQualityFrom = frontEnd?.QualitySites ?? 0;
        _deadWindowsExcluded = (int)Math.Round(options.RestFloorWindowSeconds / options.HopSeconds);
        _engageLatencyWindows = (int)Math.Round((MainsInterferenceCanceller.WindowBlocks + (MainsInterferenceCanceller.EngageEvaluations * MainsInterferenceCanceller.EvaluationBlocks))
            * MainsInterferenceCanceller.BlockSeconds / options.HopSeconds);

        // Every site runs the same channel filter, so its delay (an impulse response of 2 s) is measured once.
        double filterDelaySeconds = MuscleActivityDetector.PowerDelaySeconds(new EmgChannelFilter(sampleRateHz, options.Filter), sampleRateHz);
        _sites = new SiteState[sites.Count];
        for (int i = 0; i < _sites.Length; i++)
        {
            var quality = i < _ownQualityFrom ? frontEnd!.QualityMonitor(i) : new ChannelQualityMonitor(sampleRateHz, WindowLength, HopLength, options, ResolveFullScale(sites[i], options, layout));
            _sites[i] = new SiteState(sampleRateHz, WindowLength, HopLength, options, quality, filterDelaySeconds);
        }

        // The sites' filters and envelopes run side by side in vector lanes (the same values as one EmgChannelFilter and
        // LinearEnvelope per site; docs/signal-pipeline.md §6.4).
        _filters = new EmgChannelFilterBank(sampleRateHz, sites.Count, options.Filter);
        _envelopes = new LinearEnvelopeBank(sampleRateHz, sites.Count, options.Filter.EnvelopeCutoffHz);
        _rowFiltered = new double[sites.Count];
        _rowEnvelope = new double[sites.Count];
        var bandPass = _filters.BandPass;
        _spectral = new SpectralAnalyzer(sampleRateHz, WindowLength, bandPass.LowCutoffHz, bandPass.HighCutoffHz, options.LowMidEdgeHz, options.MidHighEdgeHz);
        _motion = new MotionTracker(sampleRateHz, options.ImuAnalysisRateHz, options.MotionWindowSeconds, options.GaitBandLowHz, options.GaitBandHighHz, options.GaitWindowSeconds);
        _temperature = new SkinTemperatureTracker(options.TemperatureTrendSeconds);
        _filtered = new float[sites.Count];
        _envelope = new float[sites.Count];
        _correlation = new double[sites.Count * sites.Count];
        _deadband = (float)options.DeadbandMillivolts;
        _willison = (float)options.WillisonThresholdMillivolts;
        _maxStepSeconds = 1.5 / sampleRateHz;
        ResetState();
    }

    public double SampleRateHz { get; }

    public IReadOnlyList<string> Sites { get; }

    /// <summary>Samples per feature window.</summary>
    public int WindowLength { get; }

    /// <summary>Samples between feature vectors.</summary>
    public int HopLength { get; }

    /// <summary>Band-pass edges in use (after clamping to the sample rate).</summary>
    public ButterworthBandPass BandPass => _filters.BandPass;

    /// <summary>This row's band-passed EMG per site, mV (for plots).</summary>
    public ReadOnlySpan<float> Filtered => _filtered;

    /// <summary>This row's linear envelope per site, mV (for plots).</summary>
    public ReadOnlySpan<float> Envelope => _envelope;

    /// <summary>Rows processed since creation or <see cref="Reset"/>.</summary>
    public long RowCount => _count;

    /// <summary>
    /// The quality monitor of site <paramref name="siteIndex"/> (layout order): its full scale and hum measurements (for a site
    /// judged by a <see cref="FrontEndAhead"/>, its monitor, whose state may lie ahead of this extractor).
    /// </summary>
    public ChannelQualityMonitor Quality(int siteIndex) => _sites[siteIndex].Quality;

    /// <summary>
    /// The time-domain and spectral features (<see cref="EmgFeature.Rms"/> … <see cref="EmgFeature.HighBandRatio"/>,
    /// <see cref="EmgFeature.TeagerEnergy"/>) of a quiet, unpinned site are computed on every this-many-th window only
    /// and hold their last values in between (<see cref="FeatureFrame.ModelFeaturesFresh"/> says which). Default 1:
    /// every window. Nothing else in the extractor reads them: activity, rest floor, quality and co-activation are
    /// computed on every window either way. The detector, which feeds them only to its model and to the events'
    /// frequency statistics, sets 4 (the spectrum was about a quarter of the whole detector's cost; docs/signal-pipeline.md §6).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is below 1, or too long for <see cref="DeferQuietModelFeatures"/>.</exception>
    public int QuietModelFeatureInterval
    {
        get => _quietModelFeatureInterval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(QuietModelFeatureInterval));
            ThrowIfTooLongToDefer(value, _deferQuietModelFeatures, nameof(QuietModelFeatureInterval));
            _quietModelFeatureInterval = value;
        }
    }

    /// <summary>
    /// When true, the time-domain and spectral features of a quiet, unpinned site's every <see cref="QuietModelFeatureInterval"/>-th
    /// window are not computed in <see cref="Process"/>: the window is still marked fresh
    /// (<see cref="FeatureFrame.ModelFeaturesFresh"/>), and <see cref="ModelFeaturesPending"/> says its features are owed until
    /// <see cref="CompleteModelFeatures"/> computes them, in that window or in any later one before the next fresh window, from the
    /// samples kept for it (the same values as computed at once). Until then the frame holds an earlier window's. Default false.
    /// The detector defers them and completes them only for the windows whose scores or frequencies something reads: at rest that
    /// is rarely any (docs/signal-pipeline.md §6.1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval's hops between two fresh windows exceed the window the signal rings keep on top of the current one.</exception>
    public bool DeferQuietModelFeatures
    {
        get => _deferQuietModelFeatures;
        set
        {
            ThrowIfTooLongToDefer(_quietModelFeatureInterval, value, nameof(DeferQuietModelFeatures));
            _deferQuietModelFeatures = value;
            if (!value)
            {
                foreach (var site in _sites)
                {
                    site.PendingSignalStart = -1;
                }
            }
        }
    }

    /// <summary>Whether site <paramref name="siteIndex"/>'s last fresh window's time-domain and spectral features are deferred and not yet computed (<see cref="DeferQuietModelFeatures"/>).</summary>
    public bool ModelFeaturesPending(int siteIndex) => _sites[siteIndex].PendingSignalStart >= 0;

    /// <summary>
    /// Computes site <paramref name="siteIndex"/>'s deferred time-domain and spectral features (those of its last fresh window,
    /// <see cref="ModelFeaturesPending"/>) into <paramref name="output"/>, the frame <see cref="Process"/> writes; nothing when none are owed.
    /// </summary>
    public void CompleteModelFeatures(int siteIndex, FeatureFrame output)
    {
        ArgumentNullException.ThrowIfNull(output);
        SiteState site = _sites[siteIndex];
        if (site.PendingSignalStart < 0)
        {
            return;
        }

        // The rings keep two windows: the owed window's samples are intact while fewer than one window of rows followed it.
        if (_count - site.PendingRowCount > WindowLength)
        {
            throw new InvalidOperationException($"Site {siteIndex}'s deferred features are {_count - site.PendingRowCount} rows old; the signal ring keeps {WindowLength}.");
        }

        WriteModelFeatures(output.WritableSite(siteIndex), new ReadOnlySpan<float>(site.Signal, site.PendingSignalStart, WindowLength));
        site.PendingSignalStart = -1;
    }

    /// <summary>
    /// Keeps site <paramref name="siteIndex"/>'s time-domain and spectral features computed on every window while
    /// <paramref name="pinned"/>, active or not (the detector pins a site while its tracker runs a candidate or cramp).
    /// <see cref="Reset"/> unpins every site.
    /// </summary>
    public void PinModelFeatures(int siteIndex, bool pinned) => _sites[siteIndex].ModelFeaturesPinned = pinned;

    /// <summary>A frame sized for this extractor, to be reused for every call of <see cref="Process"/>.</summary>
    public FeatureFrame CreateFrame() => new(Sites);

    /// <summary>
    /// Processes one row. Returns true when a hop completed and <paramref name="output"/> holds a new feature
    /// vector per site; otherwise <paramref name="output"/> is untouched.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    public bool Process(RecordingFrame frame, FeatureFrame output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        var emg = frame.EmgMillivolts;
        if (emg.Length != _sites.Length || output.Sites.Count != _sites.Length)
        {
            throw new ArgumentException($"Frame has {emg.Length} EMG sites and output {output.Sites.Count}; the extractor has {_sites.Length}.", nameof(frame));
        }

        if (_ended)
        {
            throw new InvalidOperationException("This extractor's front end runs ahead and cannot be reset: after Reset, make a new extractor and front end.");
        }

        long index = _count;
        double time = frame.TimeSeconds;
        if (index > 0)
        {
            double step = time - _previousTime;
            if (!(step > 0 && step <= _maxStepSeconds))
            {
                _lastDrop = index;
            }
        }

        _previousTime = time;
        int position = _position;
        int window = WindowLength;
        int signalPosition = _signalPosition;
        int signalCapacity = 2 * window;
        ReadOnlySpan<double> filtered = _rowFiltered;
        ReadOnlySpan<double> envelopes = _rowEnvelope;
        if (_frontEnd is { } frontEnd)
        {
            filtered = frontEnd.Filtered(index);
            envelopes = frontEnd.Envelope(index);
        }
        else
        {
            _filters.Process(emg, _rowFiltered);
            _envelopes.Process(_rowFiltered, _rowEnvelope);
        }

        for (int s = 0; s < _sites.Length; s++)
        {
            SiteState site = _sites[s];
            if (s >= _ownQualityFrom)
            {
                site.Quality.Add(emg[s]);
            }

            double y = filtered[s];
            double e = envelopes[s];
            site.Activity.OnSample(y, time);
            float yf = (float)y;
            float ef = (float)e;
            site.Signal[signalPosition] = yf;
            site.Signal[signalPosition + signalCapacity] = yf;
            site.EnvelopeRing[position] = ef;
            site.EnvelopeRing[position + window] = ef;
            _filtered[s] = yf;
            _envelope[s] = ef;
        }

        _motion.OnRow(frame.HasAcceleration, frame.AccelerationXG, frame.AccelerationYG, frame.AccelerationZG);
        if (frame.HasSkinTemperature)
        {
            _temperature.Add(time, frame.SkinTemperatureCelsius);
        }

        _position = position + 1 == window ? 0 : position + 1;
        _signalPosition = signalPosition + 1 == signalCapacity ? 0 : signalPosition + 1;
        _count = index + 1;
        if (--_rowsUntilWindow > 0)
        {
            return false;
        }

        _rowsUntilWindow = HopLength;

        ComputeFeatures(output, time, position, signalPosition);
        return true;
    }

    /// <summary>
    /// Starts site <paramref name="site"/>'s rest floor from a known value (a calibration profile's), mV, until it has seen
    /// two seconds of rest. Call after construction or <see cref="Reset"/>.
    /// </summary>
    public void SeedRestFloor(int site, double millivolts) => _sites[site].RestFloor.Seed(millivolts);

    /// <summary>
    /// Returns every filter, tracker and buffer to its initial state. With a <see cref="FrontEndAhead"/>, which runs ahead on
    /// the reading thread and is not reset, the extractor is done instead: <see cref="Process"/> then throws.
    /// </summary>
    public void Reset()
    {
        ResetState();
        _ended = _frontEnd is not null;
    }

    /// <summary>The state of <see cref="Reset"/>; a front end's monitors, which the reading thread may already be feeding, are left alone.</summary>
    private void ResetState()
    {
        for (int s = 0; s < _sites.Length; s++)
        {
            _sites[s].Reset(resetQuality: s >= _ownQualityFrom);
        }

        _filters.Reset();
        _envelopes.Reset();

        _motion.Reset();
        _temperature.Reset();
        Array.Clear(_filtered);
        Array.Clear(_envelope);
        _position = 0;
        _signalPosition = 0;
        _count = 0;
        _rowsUntilWindow = WindowLength;
        _lastDrop = Never;
        _previousTime = 0;
    }

    /// <summary>Samples per feature window for <paramref name="options"/> at <paramref name="sampleRateHz"/>.</summary>
    internal static int WindowSamples(FeatureExtractorOptions options, double sampleRateHz) => (int)Math.Round(options.WindowSeconds * sampleRateHz);

    /// <summary>Samples between feature vectors for <paramref name="options"/> at <paramref name="sampleRateHz"/>.</summary>
    internal static int HopSamples(FeatureExtractorOptions options, double sampleRateHz) => Math.Max(1, (int)Math.Round(options.HopSeconds * sampleRateHz));

    /// <summary>The site's full scale: the options' per-site value, the options' value for every site, the recording's <c>full_scale_mv</c> keys, else unknown.</summary>
    internal static FullScaleRange? ResolveFullScale(string site, FeatureExtractorOptions options, RecordingLayout? layout)
    {
        if (options.SiteFullScale is { } perSite && perSite.TryGetValue(site, out var own))
        {
            return own;
        }

        if (options.FullScale is { } every)
        {
            return every;
        }

        try
        {
            return layout is null ? null : RecordingFullScale.For(layout, site);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(layout), e);
        }
    }

    private void ThrowIfTooLongToDefer(int interval, bool defer, string property)
    {
        if (defer && (long)(interval - 1) * HopLength > WindowLength)
        {
            throw new ArgumentOutOfRangeException(
                property,
                interval,
                $"{nameof(QuietModelFeatureInterval)} {interval} leaves {(long)(interval - 1) * HopLength} rows between fresh windows; {nameof(DeferQuietModelFeatures)} allows at most {WindowLength} (the signal rings keep one window on top of the current).");
        }
    }

    [MethodImpl(HotPath.Compiled)]
    private void ComputeFeatures(FeatureFrame output, double time, int newestPosition, int newestSignalPosition)
    {
        int window = WindowLength;
        int start = newestPosition + 1;

        // The window's first sample in the mirrored signal rings (two windows long, written twice): one contiguous span.
        int signalStart = newestSignalPosition + 1 - window;
        signalStart += signalStart < 0 ? 2 * window : 0;
        long firstIndex = _count - window;
        float motion = (float)_motion.MotionEnergy();
        float gait = (float)_motion.GaitBandPower();
        float celsius = (float)_temperature.Celsius;
        float trend = (float)_temperature.TrendCelsiusPerMinute;
        bool dropped = _lastDrop >= firstIndex;
        var ahead = _frontEnd;
        int judged = ahead?.TakeWindow() ?? 0;
        double windowSeconds = WindowLength / SampleRateHz, hopSeconds = HopLength / SampleRateHz;

        for (int s = 0; s < _sites.Length; s++)
        {
            SiteState site = _sites[s];
            var envelope = new ReadOnlySpan<float>(site.EnvelopeRing, start, window);
            var shape = EnvelopeStatistics.Compute(envelope, SampleRateHz);

            bool own = s >= _ownQualityFrom;
            var quality = own ? site.Quality.Evaluate() : ahead!.Verdict(judged, s);
            // Clipping the monitor found band-limited between the clips: a signal at the rails that is muscle-like.
            bool bandLimitedAtRails = quality is SignalQuality.Saturated or (SignalQuality.Clipped | SignalQuality.Overdriven);
            if (quality == (SignalQuality.Clipped | SignalQuality.Overdriven) && time - site.LastActiveSeconds <= OverdrivenTailSeconds + (WindowLength / SampleRateHz) + 1e-9)
            {
                // A contraction that rose clean and went on beyond full scale: the rise was seen, and what lies between the
                // clips is muscle-like (also for the windows after its release whose clips, or whose last second's
                // fraction at the rails, are still its own: OverdrivenTailSeconds plus a window). Clipped noise, mains
                // or a square wave is never overdriven, so it cannot carry on an activation its first, not yet clipped,
                // samples may have started.
                quality = SignalQuality.Saturated;
            }

            if (quality == (SignalQuality.Clipped | SignalQuality.BandUnresolved))
            {
                // At a rate where the band limit cannot be shown, the rise is the evidence: the activation, still going on,
                // stayed unflagged from its onset for longer than an abrupt step (clipped noise replacing the channel)
                // takes to fill a window and a hop; such a step clips, or its few samples pass as saturated, from its
                // first windows on.
                double firstMarked = double.IsNaN(site.FirstMarkedSeconds) ? time : site.FirstMarkedSeconds;
                bool roseClean = time - site.LastActiveSeconds <= 1.5 * HopLength / SampleRateHz
                    && firstMarked - site.ActiveOnsetSeconds > (WindowLength + HopLength) / SampleRateHz;

                // The same evidence when the ramp reaches the rails before the activation is 0.3 s old (night-cramp-92102,
                // both engines: 500 Hz, 249 µV full scale, a cramp out of a prodrome at the rails within 0.05 s of its
                // activation): the clean windows right up to the first clip held the level an activation stays at
                // (StayRatio × floor) for more than a window and a hop, so the muscle was already above rest there, which
                // an abrupt step out of rest never is. That carry lasts while the activation it starts or continues goes on
                // (through windows the monitor calls saturated, or clean) and ends with it. Limit: clipped broadband noise
                // replacing the channel during such a level looks the same (docs/detector.md, "Clipping within 0.3 s").
                bool stayHeld = time - site.StayHeldTo <= 1.5 * hopSeconds && site.StayHeldTo - site.StayHeldFrom > windowSeconds + hopSeconds + 1e-9;
                if (roseClean || site.ClipCarried || stayHeld)
                {
                    quality = SignalQuality.Saturated;
                    site.ClipCarrying = !roseClean;
                }
            }

            if (quality == (SignalQuality.Clipped | SignalQuality.BroadbandRuns)
                && time - site.LastActiveSeconds <= 1.5 * hopSeconds
                && site.BandLimitedAtRailsHops * hopSeconds > ChannelQualityMonitor.SaturatedFractionSeconds + 1e-9)
            {
                // Clipping whose unclipped runs look broadband, continuing an activation (on clean or saturated windows
                // only: a faulty window ends an activation) that had already reached the rails as a band-limited signal for
                // longer than the second over which the monitor pools that evidence (noise replacing a contraction passes as
                // saturated or overdriven for up to that long, while the contraction's runs are still in the pool; on 60
                // seeded cases of each test below, 0.8 s let noise through and 1.25 s lost contractions): the contraction
                // rose into the rails as muscle and went on beyond what the runs test can show at this rate (foreign v02,
                // v04, v05 and v10 at gain ×10: a cramp's first such window ended it as a fault, and the rest of it was a
                // second detection or was lost). Broadband noise at this rate is never saturated, so noise replacing a
                // contraction below the rails never has those hops (the guard in CrampDetectorPropertyTests: 12 of 12
                // became cramps without that condition). Limit: noise replacing a contraction already at the rails goes on
                // as that contraction until it stops (docs/detector.md, "Clipping beyond the runs test").
                quality = SignalQuality.Saturated;
            }

            if (dropped)
            {
                quality |= SignalQuality.DroppedSamples;
            }

            // Activity is judged against the floor as it stood before this window; then the floor learns from the
            // window unless it was faulty (a lead-off or railed window must not drag the floor down or up) or clearly
            // active (at the activation level: a cramp must not lift it). Windows held active only by the detector's
            // hysteresis do count, so a floor that was too low (tone after exercise, new electrode contact) catches up.
            // A saturated window (a contraction clipping the front end) may be active but never teaches the floor.
            bool faulty = quality.IsFaulty();
            double step = own ? site.Quality.StepMillivolts : ahead!.StepMillivolts(judged, s);
            double resolution = Resolution(own ? site.Quality.ResolutionFloorMillivolts : ahead!.ResolutionFloorMillivolts(judged, s), step);
            double floorBefore = AtLeast(site.RestFloor.Floor, resolution);
            var mains = ahead is null ? MainsReading.Of(_filters.Mains(s)) : ahead.Mains(judged, s);
            double unlockedHum = mains.IsReacquiring ? mains.HumRms : 0;

            // What the locked canceller's removal leaves (a beat, a modulation, its error after a contraction); while it
            // re-acquires, the rule above takes off up to all of the hum instead (with the residual too, a 500-Hz clipping
            // cramp of CrampDetectorPropertyTests, #986, ended in a clipped fault).
            double residualHum = mains.IsReacquiring ? 0 : mains.ResidualHumRms;
            double undetectedHum = mains.UndetectedHumRms;
            bool humEngaged = mains.HumPresent;
            if (humEngaged && !site.HumEngaged && site.RestFloor.Count > 0)
            {
                // The canceller engaged on hum the floor's windows so far were measured with.
                site.HumEngagedAt = time;
                site.HumEngagedCount = site.RestFloor.Count;
            }

            site.HumEngaged = humEngaged;
            double removedHum = humEngaged && time - site.HumEngagedAt < _options.RestFloorWindowSeconds ? mains.HumRms : 0;
            // The lowest floor of the last minute: the rest before a slow climb the floor has followed (a held activation).
            double lowestFloor = AtLeast(site.RestFloor.LowestFloor, resolution);
            var activity = site.Activity.OnHop(time, shape.Mean, floorBefore, faulty, site.LastFloorFall, unlockedHum, undetectedHum, removedHum, residualHum, lowestFloor);
            bool continuing = activity.IsActive && time - site.LastActiveSeconds <= 1.5 * hopSeconds;
            site.BandLimitedAtRailsHops = !activity.IsActive ? 0 : (continuing ? site.BandLimitedAtRailsHops : 0) + (bandLimitedAtRails ? 1 : 0);
            site.LastActiveSeconds = activity.IsActive ? time : site.LastActiveSeconds;
            site.ActiveOnsetSeconds = activity.IsActive ? activity.OnsetSeconds : double.NaN;
            // Only an activation that the carried window itself starts or continues keeps the carry.
            site.ClipCarried = activity.IsActive && (site.ClipCarried || site.ClipCarrying);
            site.ClipCarrying = false;
            bool atStay = quality == SignalQuality.None && shape.Mean >= MuscleActivityDetector.StayRatio * floorBefore;
            site.StayHeldFrom = !atStay ? double.NaN : double.IsNaN(site.StayHeldFrom) ? time - hopSeconds : site.StayHeldFrom;
            site.StayHeldTo = atStay ? time : double.NaN;
            site.FirstMarkedSeconds = !activity.IsActive ? double.NaN : double.IsNaN(site.FirstMarkedSeconds) && quality != SignalQuality.None ? time : site.FirstMarkedSeconds;
            // The floor (a low percentile) holds the hum the canceller removes now when the hum may have been in more than the
            // rest of its windows at the engagement: the canceller engages within its measurement window plus its engagement
            // evaluations of a hum's onset, so a hum was in at most that many windows before, or in all of a floor younger
            // than that (hum from the start). It holds it until it could follow the removal, as long after the engagement
            // and until the windows learnt since are that percentile of all it holds (its fast fall restarts it in between).
            // A hum that appears on a dead channel and is removed there was never in the floor.
            double percentile = _options.RestFloorPercentile;
            int learntSince = site.RestFloor.Count - site.HumEngagedCount;
            bool floorHoldsHum = removedHum > 0 && (1 - percentile) * site.HumEngagedCount < _engageLatencyWindows
                && learntSince < Math.Max(percentile * site.RestFloor.Count, _engageLatencyWindows);
            // Only a floor the site has been active above is rest; before that it may be activity the recording started
            // inside, whose end is a fall to rest (below one step at low gain) that the floor must follow (the opening).
            bool floorIsRest = site.LastActiveSeconds > double.NegativeInfinity && !floorHoldsHum;
            site.DeadWindows = floorIsRest && IsDead(shape.Mean, floorBefore, step) ? site.DeadWindows + 1 : 0;
            if (quality == SignalQuality.None && !(site.DeadWindows > 0 && site.DeadWindows <= _deadWindowsExcluded))
            {
                site.RestFloor.Update(shape.Mean, active: activity.IsActive && shape.Mean >= MuscleActivityDetector.ActivateRatio * floorBefore);
            }

            if (double.IsFinite(site.LastFloorFall))
            {
                // The activity detector has seen the floor's restart (from windows after the engagement, which carry none
                // of the removed hum).
                site.HumEngagedAt = double.NegativeInfinity;
            }

            site.LastFloorFall = site.RestFloor.FellFrom;
            output.SetActivity(s, activity);
            bool rhythmic = site.Rhythm.Process(faulty ? float.NaN : (float)(shape.Mean / floorBefore));
            output.SetRhythmic(s, rhythmic, cadenceOnly: !site.Rhythm.IsInSeries);
            double floor = AtLeast(site.RestFloor.Floor, resolution);
            site.RestRatio = double.IsNaN(floor) ? double.NaN : shape.Mean / Math.Max(floor, site.RestFloor.MinimumFloor);
            site.EnvelopeMean = shape.Mean;
            site.EnvelopeSd = shape.StandardDeviation;

            var v = output.WritableSite(s);
            bool required = site.ModelFeaturesPinned || activity.IsActive;
            bool fresh = required || ++site.QuietWindowsSinceModelFeatures >= _quietModelFeatureInterval;
            output.SetModelFeaturesFresh(s, fresh);
            if (fresh)
            {
                site.QuietWindowsSinceModelFeatures = 0;
                if (required || !_deferQuietModelFeatures)
                {
                    WriteModelFeatures(v, new ReadOnlySpan<float>(site.Signal, signalStart, window));
                    site.PendingSignalStart = -1;
                }
                else
                {
                    site.PendingSignalStart = signalStart;
                    site.PendingRowCount = _count;
                }
            }

            v[(int)EmgFeature.EnvelopeMean] = shape.Mean;
            v[(int)EmgFeature.EnvelopeCv] = shape.CoefficientOfVariation;
            v[(int)EmgFeature.EnvelopeSlope] = shape.SlopePerSecond;
            v[(int)EmgFeature.RestFloor] = (float)floor;
            v[(int)EmgFeature.RestRatio] = (float)site.RestRatio;
            v[(int)EmgFeature.MotionEnergy] = motion;
            v[(int)EmgFeature.GaitBandPower] = gait;
            v[(int)EmgFeature.SkinTemperature] = celsius;
            v[(int)EmgFeature.SkinTemperatureTrend] = trend;
            v[(int)EmgFeature.HumLevel] = (float)mains.HumRms;
            v[(int)EmgFeature.MainsFrequency] = (float)mains.MainsFrequencyHz;
            output.SetQuality(s, quality);
        }

        ahead?.ReleaseWindow();
        ComputeCoactivation(output, start, window);
        ComputeSignalCorrelation(output, signalStart, window);
        output.TimeSeconds = time;
        output.SampleIndex = _count - 1;
    }

    /// <summary>The time-domain and spectral features of one window of filtered samples, into a site's vector.</summary>
    private void WriteModelFeatures(Span<float> v, ReadOnlySpan<float> signal)
    {
        var timeDomain = TimeDomainFeatures.Compute(signal, SampleRateHz, _deadband, _willison);
        var spectrum = _spectral.Analyze(signal);
        v[(int)EmgFeature.Rms] = timeDomain.Rms;
        v[(int)EmgFeature.Mav] = timeDomain.Mav;
        v[(int)EmgFeature.WaveformLength] = timeDomain.WaveformLengthPerSecond;
        v[(int)EmgFeature.ZeroCrossings] = timeDomain.ZeroCrossingsPerSecond;
        v[(int)EmgFeature.SlopeSignChanges] = timeDomain.SlopeSignChangesPerSecond;
        v[(int)EmgFeature.WillisonAmplitude] = timeDomain.WillisonAmplitudePerSecond;
        v[(int)EmgFeature.TeagerEnergy] = timeDomain.TeagerEnergy;
        v[(int)EmgFeature.MeanFrequency] = spectrum.MeanFrequencyHz;
        v[(int)EmgFeature.MedianFrequency] = spectrum.MedianFrequencyHz;
        v[(int)EmgFeature.LowBandRatio] = spectrum.LowBandRatio;
        v[(int)EmgFeature.MidBandRatio] = spectrum.MidBandRatio;
        v[(int)EmgFeature.HighBandRatio] = spectrum.HighBandRatio;
    }

    /// <summary>
    /// The lowest floor the site can resolve: the monitor's quarter step (<see cref="ChannelQualityMonitor.ResolutionFloorMillivolts"/>),
    /// and at least a quarter of the smallest step seen. The monitor learns its step only from a code held while dithering;
    /// rest of a fraction of a step that toggles between two codes all the time never holds one, and its mostly-zero
    /// envelope taught a floor that every toggle burst rose above (audit cause 7: st94 at gain 0.1). Toggling between two
    /// neighbours deviates from its mean by at most half a step, below the activation level over a quarter step.
    /// </summary>
    private static double Resolution(double learnt, double step)
    {
        double quarterStep = double.IsFinite(step) ? step / 4 : double.NaN;
        return learnt >= quarterStep || double.IsNaN(quarterStep) ? learnt : quarterStep;
    }

    /// <summary>The floor, raised to <paramref name="minimum"/> when below it; NaN (no floor yet) stays NaN, a NaN minimum is none.</summary>
    private static double AtLeast(double floor, double minimum) => floor < minimum ? minimum : floor;

    /// <summary>
    /// Whether a window the quality monitor passed is a dead channel rather than rest: its envelope lies within one ADC
    /// step (<paramref name="step"/>) and below half the floor, while the floor stood above half a step. A connected
    /// electrode's rest is the amplifier's and the skin's noise, which does not halve within seconds; a railed or
    /// disconnected input with a step of jitter, resampling's ringing or a little hum on it (issue 12, perturbation audit
    /// cause 5) keeps the band-passed, hum-removed signal within ±1 step, whose RMS is at most one step (the linear
    /// envelope, a mean absolute value, is at most the RMS; the band-pass passes no more power than it gets). Rest below
    /// one step toggles between two adjacent codes, whose RMS is at most half a step: a floor above that was resolved
    /// rest, and a floor at or below it is sub-step rest, which is always there and never judged dead. Such windows do not
    /// teach the floor: learnt, the floor followed the dead stretch down and the rest after it read as an activation that
    /// never let go (and, for the other site, as co-activation that held its real cramp voluntary).
    /// </summary>
    private static bool IsDead(double envelope, double floorBefore, double step) =>
        envelope <= step && envelope < RestFloorTracker.FastFallRatio * floorBefore && floorBefore > step / 2;

    /// <summary>
    /// Zero-lag correlation of the filtered signals of every pair of sites that are both active in this window (NaN for
    /// the others, which costs nothing at rest). Crosstalk is the same signal volume-conducted to the other electrode, so
    /// its waveform follows the source (|r| high); two muscles contracting together fire different motor units and their
    /// waveforms are nearly uncorrelated even when their envelopes rise together (De Luca et al., J Biomech 2012, on
    /// crosstalk in surface EMG).
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private void ComputeSignalCorrelation(FeatureFrame output, int start, int window)
    {
        int count = _sites.Length;
        for (int a = 0; a < count; a++)
        {
            for (int b = a + 1; b < count; b++)
            {
                double r = double.NaN;
                if (output.Activity(a).IsActive && output.Activity(b).IsActive)
                {
                    var x = new ReadOnlySpan<float>(_sites[a].Signal, start, window);
                    var y = new ReadOnlySpan<float>(_sites[b].Signal, start, window);
                    double sxy = 0, sxx = 0, syy = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sxy += (double)x[i] * y[i];
                        sxx += (double)x[i] * x[i];
                        syy += (double)y[i] * y[i];
                    }

                    r = sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
                }

                output.SetSignalCorrelation(a, b, r);
            }
        }
    }

    [MethodImpl(HotPath.Compiled)]
    private void ComputeCoactivation(FeatureFrame output, int start, int window)
    {
        int count = _sites.Length;
        if (count == 1)
        {
            var only = output.WritableSite(0);
            only[(int)EmgFeature.CoactivationFraction] = 0;
            only[(int)EmgFeature.CoactivationCorrelation] = 0;
            return;
        }

        // Each pair once (the matrix is symmetric); the diagonal is never read.
        var correlation = _correlation;
        for (int a = 0; a < count; a++)
        {
            for (int b = a + 1; b < count; b++)
            {
                double r = Correlation(_sites[a], _sites[b], start, window);
                correlation[(a * count) + b] = r;
                correlation[(b * count) + a] = r;
            }
        }

        for (int s = 0; s < count; s++)
        {
            int active = 0;
            double correlationSum = 0;
            for (int o = 0; o < count; o++)
            {
                if (o == s)
                {
                    continue;
                }

                if (_sites[o].RestRatio >= _options.ActivationRestRatio)
                {
                    active++;
                }

                correlationSum += correlation[(s * count) + o];
            }

            var v = output.WritableSite(s);
            v[(int)EmgFeature.CoactivationFraction] = (float)active / (count - 1);
            v[(int)EmgFeature.CoactivationCorrelation] = (float)(correlationSum / (count - 1));
        }
    }

    [MethodImpl(HotPath.Compiled)]
    private static double Correlation(SiteState a, SiteState b, int start, int window)
    {
        double sdProduct = (double)a.EnvelopeSd * b.EnvelopeSd;
        if (!(sdProduct > 1e-18))
        {
            return 0;
        }

        var x = new ReadOnlySpan<float>(a.EnvelopeRing, start, window);
        var y = new ReadOnlySpan<float>(b.EnvelopeRing, start, window);

        double covariance = (DotProduct(x, y) / window) - ((double)a.EnvelopeMean * b.EnvelopeMean);
        return Math.Clamp(covariance / sdProduct, -1, 1);
    }

    /// <summary>
    /// Σ x·y in double: the float lanes are widened (each product is exact in double) and summed in vector partial sums,
    /// a fixed order, so the result is deterministic; six pairs of 250 samples every hop made the serial sum a visible cost.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private static double DotProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < xv.Length; v++)
            {
                Vector.Widen(xv[v], out var x0, out var x1);
                Vector.Widen(yv[v], out var y0, out var y1);
                low += x0 * y0;
                high += x1 * y1;
            }

            i = xv.Length * Vector<float>.Count;
        }

        double total = Vector.Sum(low + high);
        for (; i < x.Length; i++)
        {
            total += (double)x[i] * y[i];
        }

        return total;
    }

    private sealed class SiteState
    {
        public SiteState(double sampleRateHz, int window, int hop, FeatureExtractorOptions options, ChannelQualityMonitor quality, double filterDelaySeconds)
        {
            Quality = quality;
            Signal = new float[4 * window];
            EnvelopeRing = new float[2 * window];
            RestFloor = new RestFloorTracker(options.HopSeconds, options.RestFloorWindowSeconds, options.RestFloorPercentile, options.MinimumRestFloorMillivolts);
            Activity = new MuscleActivityDetector(sampleRateHz, options.HopSeconds, filterDelaySeconds);
            Rhythm = new BurstRhythmDetector(options.HopSeconds);
        }

        /// <summary>
        /// Band-passed EMG, the last two windows, written twice (i and i + 2·window) so any window in them is one contiguous
        /// span: a deferred window (<see cref="EmgFeatureExtractor.DeferQuietModelFeatures"/>) is computed up to a window's rows later.
        /// </summary>
        public float[] Signal { get; }

        /// <summary>Linear envelope, mirrored like <see cref="Signal"/>.</summary>
        public float[] EnvelopeRing { get; }

        public RestFloorTracker RestFloor { get; }

        public MuscleActivityDetector Activity { get; }

        /// <summary>The rhythmic-burst pattern of the site's envelope over its floor (context: evidence of intent).</summary>
        public BurstRhythmDetector Rhythm { get; }

        /// <summary>The floor's window count when the canceller engaged (<see cref="HumEngagedAt"/>).</summary>
        public int HumEngagedCount { get; set; }

        /// <summary>Consecutive windows judged dead (<see cref="IsDead"/>) up to this one.</summary>
        public int DeadWindows { get; set; }

        /// <summary>The floor tracker's fall of the previous window (the activity detector sees it one hop later, once the floor it judges against has moved).</summary>
        public double LastFloorFall { get; set; }

        /// <summary>Whether the mains canceller was removing hum at the last hop.</summary>
        public bool HumEngaged { get; set; }

        /// <summary>
        /// When the canceller engaged while the floor held windows measured with the hum it removes, s; −∞ when the floor
        /// holds none (no engagement yet, or the floor has restarted since).
        /// </summary>
        public double HumEngagedAt { get; set; } = double.NegativeInfinity;

        /// <summary>End of the last window the activity detector found active, s (−∞ before any).</summary>
        public double LastActiveSeconds { get; set; } = double.NegativeInfinity;

        /// <summary>Windows of the current activation the quality monitor found at the rails and band-limited (saturated or overdriven).</summary>
        public int BandLimitedAtRailsHops { get; set; }

        /// <summary>Onset of the activation at the last hop, s (NaN when it was quiet).</summary>
        public double ActiveOnsetSeconds { get; set; } = double.NaN;

        /// <summary>End of the first window of the current activation that carried any quality flag, s (NaN while none did, or quiet).</summary>
        public double FirstMarkedSeconds { get; set; } = double.NaN;

        /// <summary>
        /// Start of the current run of clean windows at or above the stay level (<see cref="MuscleActivityDetector.StayRatio"/>
        /// × the floor), s: the end of the hop before its first window (NaN when the last window was not one).
        /// </summary>
        public double StayHeldFrom { get; set; } = double.NaN;

        /// <summary>End of the last window of that run, s (NaN when the last window was not one).</summary>
        public double StayHeldTo { get; set; } = double.NaN;

        /// <summary>The current activation goes on through band-unresolved clipping carried from a held stay level.</summary>
        public bool ClipCarried { get; set; }

        /// <summary>This window was carried as saturated by that rule (read and cleared after the activity detector).</summary>
        public bool ClipCarrying { get; set; }

        /// <summary>Time-domain and spectral features on every window (see <see cref="PinModelFeatures"/>).</summary>
        public bool ModelFeaturesPinned { get; set; }

        /// <summary>Quiet windows since those features were last computed.</summary>
        public int QuietWindowsSinceModelFeatures { get; set; }

        /// <summary>Start in <see cref="Signal"/> of the fresh window whose features are deferred; −1 when none are owed.</summary>
        public int PendingSignalStart { get; set; } = -1;

        /// <summary><see cref="EmgFeatureExtractor.RowCount"/> at the end of that window.</summary>
        public long PendingRowCount { get; set; }

        public ChannelQualityMonitor Quality { get; }

        public double RestRatio { get; set; }

        public float EnvelopeMean { get; set; }

        public float EnvelopeSd { get; set; }

        public void Reset(bool resetQuality)
        {
            Array.Clear(Signal);
            Array.Clear(EnvelopeRing);
            RestFloor.Reset();
            Activity.Reset();
            Rhythm.Reset();
            LastFloorFall = double.NaN;
            DeadWindows = 0;
            HumEngagedCount = 0;
            HumEngaged = false;
            HumEngagedAt = double.NegativeInfinity;
            LastActiveSeconds = double.NegativeInfinity;
            BandLimitedAtRailsHops = 0;
            ActiveOnsetSeconds = double.NaN;
            FirstMarkedSeconds = double.NaN;
            StayHeldFrom = double.NaN;
            StayHeldTo = double.NaN;
            ClipCarried = false;
            ClipCarrying = false;
            ModelFeaturesPinned = false;
            QuietWindowsSinceModelFeatures = 0;
            PendingSignalStart = -1;
            if (resetQuality)
            {
                Quality.Reset();
            }

            RestRatio = double.NaN;
            EnvelopeMean = 0;
            EnvelopeSd = 0;
        }
    }
}

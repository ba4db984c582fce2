using System.Runtime.CompilerServices;
using CrampSense.Signals;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Detection.Model;

/// <summary>
/// The whole detector for one recording or live session: rows → signal features (<see cref="EmgFeatureExtractor"/>)
/// → model inputs (<see cref="ModelFeatureBuilder"/>) → intent and artifact scores (<see cref="IWindowScorer"/>, information only) → one
/// <see cref="WindowAssessment"/> per site → per-site <see cref="CrampEventTracker"/> → events on the sink. The
/// same code path serves <c>crampsense replay</c> and the live service.
/// </summary>
/// <remarks>Not thread-safe: feed it from one thread. After construction nothing is allocated per row or per
/// window unless an event is emitted.</remarks>
public sealed class CrampDetector
{
    private readonly EmgFeatureExtractor _extractor;
    private readonly FeatureFrame _features;
    private readonly ModelFeatureBuilder _builder;
    private readonly IWindowScorer _model;
    private readonly CrampEventTracker[] _trackers;
    private readonly WindowAssessment[] _assessments;
    private readonly double[] _profileFloorMillivolts;
    private double _declaredExerciseUntil = double.NegativeInfinity;

    /// <summary>Creates a detector for the sites, sample rate and slow signals of <paramref name="layout"/>.</summary>
    public CrampDetector(RecordingLayout layout, IWindowScorer model, ICrampEventSink sink, CrampDetectorOptions? options = null)
        : this(layout, model, sink, options, frontEnd: null)
    {
    }

    /// <summary>
    /// As the other constructor, with the per-row front end (filters, envelopes, the first sites' quality) run ahead on the
    /// thread that reads the rows (<paramref name="frontEnd"/>, made with <see cref="CrampDetectorOptions.Features"/> of <paramref name="options"/>;
    /// see <see cref="EmgFeatureExtractor(RecordingLayout, FeatureExtractorOptions?, FrontEndAhead?)"/>): the same windows and
    /// events, the work on two threads. Such a detector ends with its first <see cref="Flush"/>. Null: as the other constructor.
    /// </summary>
    public CrampDetector(RecordingLayout layout, IWindowScorer model, ICrampEventSink sink, CrampDetectorOptions? options, FrontEndAhead? frontEnd)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new CrampDetectorOptions();
        Layout = layout;
        _model = model;
        _extractor = new EmgFeatureExtractor(layout, options.Features, frontEnd);
        _extractor.QuietModelFeatureInterval = options.ScoreEveryWindow ? 1 : RestScoringInterval;
        _extractor.DeferQuietModelFeatures = !options.ScoreEveryWindow;
        _features = _extractor.CreateFrame();
        _builder = new ModelFeatureBuilder(layout, options.Features.HopSeconds, options.Profile);
        _profileFloorMillivolts = layout.Sites.Select(site => options.Profile?.ForSite(site)?.RestFloorMicrovolts / 1000.0 ?? double.NaN).ToArray();
        SeedRestFloors();
        _trackers = new CrampEventTracker[layout.Sites.Count];
        _assessments = new WindowAssessment[layout.Sites.Count];
        for (int s = 0; s < _trackers.Length; s++)
        {
            string site = layout.Sites[s];
            _trackers[s] = new CrampEventTracker(options.Device, site, sink, options.Tracker, options.Profile?.ForSite(site), model.Version, options.Profile?.HabitsFor(site));
        }
    }

    /// <summary>
    /// A quiet site at rest is scored on every this-many-th window (200 ms at the default 50-ms hop) unless
    /// <see cref="CrampDetectorOptions.ScoreEveryWindow"/>: the model (about 1.5 µs per window and site) and the
    /// features only it reads (time-domain and spectral: <see cref="EmgFeatureExtractor.QuietModelFeatureInterval"/>)
    /// then cost a quarter at rest. Active windows and every window while a candidate or cramp runs are scored, so those
    /// events' confidence and frequencies are as before; a warning's frequencies average the computed windows (held in
    /// between), and the confidence of an event reported at the end of an opening stretch (a recording that
    /// starts inside a cramp), the one event built from quiet rest windows, is the mean over those scored windows.
    /// </summary>
    public const int RestScoringInterval = 4;

    /// <summary>
    /// Who besides the trackers reads a quiet window's scores at rest: called with the site (layout order) and the window's end
    /// (the detector's seconds) for a window due to be scored whose features were deferred; true has it scored. Null: nobody.
    /// The telemetry and the live view set it (<c>DetectionSession</c>): a quiet window at rest the trackers do not read is
    /// otherwise neither analysed (time-domain and spectral features) nor scored, which makes it
    /// <see cref="WindowScores.NotScored"/> and leaves its frequencies at an earlier window's.
    /// </summary>
    public Func<int, double, bool>? OtherScoreReaders { get; set; }

    /// <summary>The recording layout the detector was made for.</summary>
    public RecordingLayout Layout { get; }

    /// <summary>The model's version, as written into the events.</summary>
    public string ModelVersion => _model.Version;

    /// <summary>The latest window's assessment per site (valid after <see cref="Process"/> returned true).</summary>
    public ReadOnlySpan<WindowAssessment> Assessments => _assessments;

    /// <summary>The latest window's signal features.</summary>
    public FeatureFrame Features => _features;

    /// <summary>The latest window's model inputs (valid after <see cref="Process"/> returned true).</summary>
    public ModelFeatureBuilder ModelInputs => _builder;

    /// <summary>Where the event state machine of site <paramref name="siteIndex"/> (layout order) stands now.</summary>
    public CrampTrackerState TrackerState(int siteIndex) => _trackers[siteIndex].State;

    /// <summary>The evidence of intent holding site <paramref name="siteIndex"/>'s running candidate voluntary (<see cref="CrampEventTracker.CandidateIntent"/>).</summary>
    public IntentEvidence CandidateIntent(int siteIndex) => _trackers[siteIndex].CandidateIntent;

    /// <summary>
    /// The wearer is exercising until <paramref name="untilSeconds"/> (the detector's seconds): every window that ends
    /// before then carries <see cref="IntentEvidence.Declared"/>, which the trackers take like any other evidence of
    /// intent, so a hold or a stretch in that time is voluntary. A later call replaces the end. Thread-safe (the
    /// feedback arrives on another thread than the rows).
    /// </summary>
    public void DeclareExercise(double untilSeconds) => Volatile.Write(ref _declaredExerciseUntil, untilSeconds);

    /// <summary>Time of the last row processed, s.</summary>
    public double LastRowSeconds { get; private set; }

    /// <summary>Processes one row; returns true when a window completed (and the trackers saw it).</summary>
    [MethodImpl(HotPath.Compiled)]
    public bool Process(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        LastRowSeconds = frame.TimeSeconds;
        _builder.OnRow(frame);
        if (!_extractor.Process(frame, _features))
        {
            return false;
        }

        _builder.Compute(_features);
        var declared = _features.TimeSeconds < Volatile.Read(ref _declaredExerciseUntil) ? IntentEvidence.Declared : IntentEvidence.None;
        for (int s = 0; s < _trackers.Length; s++)
        {
            ref var window = ref _assessments[s];
            var quality = _features.Quality(s);
            window.EndSeconds = _features.TimeSeconds;
            window.Faults = ToFaults(quality);
            window.Saturated = (quality & SignalQuality.Saturated) != 0;
            var activity = _features.Activity(s);
            window.EnvelopeMicrovolts = Finite(_features[s, EmgFeature.EnvelopeMean] * 1000f);
            window.RestFloorMicrovolts = _builder.RestFloorMicrovolts(s);
            window.HumMicrovolts = Finite(_features[s, EmgFeature.HumLevel] * 1000f);
            float celsius = _features[s, EmgFeature.SkinTemperature];
            window.HasSkinTemperature = float.IsFinite(celsius);
            window.SkinTemperatureCelsius = window.HasSkinTemperature ? celsius : 0f;
            window.IsActive = activity.IsActive;
            window.ActivityOnsetSeconds = activity.OnsetSeconds;
            window.OpeningEndSeconds = activity.OpeningEndSeconds;
            window.OpeningStartSeconds = activity.OpeningStartSeconds;
            window.Intent = _builder.Intent(s) | declared;

            bool fresh = _features.ModelFeaturesFresh(s);
            if (_extractor.ModelFeaturesPending(s) && ReadsModelOutputs(s, in window, fresh))
            {
                // A quiet window at rest whose analysis was deferred: someone reads its scores or (held until the next
                // analysed window) its frequencies, so the deferred window is analysed now, from the samples kept for it.
                _extractor.CompleteModelFeatures(s, _features);
                _builder.RefreshWaveformInputs(_features, s);
            }

            window.Scores = window.Faults != SignalQuality.None ? WindowScores.Faulty
                : fresh && !_extractor.ModelFeaturesPending(s) ? _model.Score(_builder.Site(s))
                : WindowScores.NotScored;
            window.Probabilities = window.Scores.ToClassProbabilities(activity.IsActive);
            window.MeanFrequencyHz = Finite(_features[s, EmgFeature.MeanFrequency]);
            window.MedianFrequencyHz = Finite(_features[s, EmgFeature.MedianFrequency]);
            _trackers[s].Process(in window);

            // While a candidate or cramp runs, every window feeds the event's confidence and frequencies.
            _extractor.PinModelFeatures(s, _trackers[s].State != CrampTrackerState.Rest);
        }

        return true;
    }

    /// <summary>
    /// Ends the recording at <paramref name="endSeconds"/> (default: the last row's time): running cramps are
    /// reported as ended there. The detector then starts afresh.
    /// </summary>
    public void Flush(double? endSeconds = null)
    {
        double end = endSeconds ?? LastRowSeconds;
        foreach (var tracker in _trackers)
        {
            tracker.Flush(end);
        }

        _extractor.Reset();
        _builder.Reset();
        SeedRestFloors();
    }

    private void SeedRestFloors()
    {
        for (int s = 0; s < _profileFloorMillivolts.Length; s++)
        {
            _extractor.SeedRestFloor(s, _profileFloorMillivolts[s]);
        }
    }

    /// <summary>
    /// Whether the tracker, or (for a window due to be scored) another reader, reads the scores or frequencies of a window
    /// whose every other field is filled.
    /// </summary>
    private bool ReadsModelOutputs(int site, in WindowAssessment window, bool dueToBeScored) =>
        _trackers[site].ReadsModelOutputs(in window)
        || (dueToBeScored && window.Faults == SignalQuality.None && OtherScoreReaders is { } readers && readers(site, window.EndSeconds));

    /// <summary>The faults a window reports: its quality flags of <see cref="WindowAssessment.ReportedFaults"/>.</summary>
    internal static SignalQuality ToFaults(SignalQuality quality) => quality & WindowAssessment.ReportedFaults;

    private static float Finite(float value) => float.IsFinite(value) ? value : 0f;
}

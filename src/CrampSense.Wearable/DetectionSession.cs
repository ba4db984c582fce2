using System.Runtime.CompilerServices;
using CrampSense.Detection;
using CrampSense.Detection.Model;
using CrampSense.Signals;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable;

/// <summary>
/// One run of the wearable's detection over one frame source: frame → detector → events, 1 Hz telemetry, the
/// wearer's activity and the coach's clock ticks as <see cref="SessionItem"/>s into an <see cref="ISessionOutput"/>,
/// and a per-site snapshot for a live view. Synchronous and single-threaded: the service calls it on its detection
/// thread, <c>crampsense replay</c> on its only one, so both produce the same items from the same frames.
/// </summary>
/// <remarks>
/// Session seconds continue across sessions: a source re-opened after a failure starts its frames at 0 again, so a
/// session started with <c>continueFromSeconds</c> shifts them to follow on. Per frame it allocates nothing; per
/// telemetry period, event or snapshot it allocates the item.
/// </remarks>
public sealed class DetectionSession
{
    /// <summary>How often the coach gets a tick (hydration intervals, bedtime).</summary>
    public static readonly TimeSpan CoachTickPeriod = TimeSpan.FromSeconds(30);

    /// <summary>How often a live-view snapshot is taken.</summary>
    public static readonly TimeSpan SnapshotPeriod = TimeSpan.FromMilliseconds(250);

    private readonly ISessionOutput _output;
    private readonly Action<SiteSnapshot[]>? _onSnapshot;
    private readonly TelemetryAggregator _telemetry;
    private readonly ActivityEstimator _activity = new();
    private readonly Func<int, bool> _crampActive;
    private readonly double _continueFrom;
    private double _offset = double.NaN;
    private double _nextTick = CoachTickPeriod.TotalSeconds;
    private double _nextSnapshot;

    /// <param name="layout">Sites, rate and slow signals of the source.</param>
    /// <param name="model">The window scorer.</param>
    /// <param name="options">The detector's options (device, profile, features).</param>
    /// <param name="output">Where the items go.</param>
    /// <param name="telemetryPeriod">Telemetry period; default 1 s.</param>
    /// <param name="continueFromSeconds">Session seconds already reached by earlier sessions.</param>
    /// <param name="onSnapshot">Takes the live view's per-site snapshot every <see cref="SnapshotPeriod"/>, or null.</param>
    /// <param name="frontEnd">
    /// The filters and the first sites' quality run on the thread that reads the rows (<see cref="CrampDetector(RecordingLayout, IWindowScorer, ICrampEventSink, CrampDetectorOptions?, FrontEndAhead?)"/>;
    /// <c>crampsense replay</c>), or null: everything on the caller's thread, as the service runs it.
    /// </param>
    public DetectionSession(RecordingLayout layout, IWindowScorer model, CrampDetectorOptions options, ISessionOutput output, TimeSpan? telemetryPeriod = null, double continueFromSeconds = 0, Action<SiteSnapshot[]>? onSnapshot = null, FrontEndAhead? frontEnd = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _onSnapshot = onSnapshot;
        _continueFrom = continueFromSeconds;
        Detector = new CrampDetector(layout, model, new OutputSink(this), options, frontEnd);
        _telemetry = new TelemetryAggregator(layout.Sites, options.Profile, telemetryPeriod ?? TimeSpan.FromSeconds(1));
        _crampActive = s => Detector.TrackerState(s) == CrampTrackerState.Cramp;

        // The telemetry's class and the live view's cramp probability read windows' scores the trackers may not.
        Detector.OtherScoreReaders = (s, end) => _telemetry.ReadsScores(s) || (_onSnapshot is not null && end >= _nextSnapshot);
    }

    /// <summary>The detector (its windows, model inputs and tracker states).</summary>
    public CrampDetector Detector { get; }

    /// <summary>Time of the last frame in the source's own seconds (the detector's).</summary>
    public double LastRowSeconds => Detector.LastRowSeconds;

    /// <summary>Session seconds reached: the last frame's, shifted to follow earlier sessions.</summary>
    public double SessionSeconds => double.IsNaN(_offset) ? _continueFrom : Detector.LastRowSeconds + _offset;

    /// <summary>The source's (detector's) seconds of session second <paramref name="sessionSeconds"/>; before the first frame the two are taken to agree.</summary>
    public double ToSourceSeconds(double sessionSeconds) => sessionSeconds - (double.IsNaN(_offset) ? _continueFrom : _offset);

    /// <summary>The wearer exercises until session second <paramref name="untilSessionSeconds"/> (<see cref="CrampDetector.DeclareExercise"/>); thread-safe.</summary>
    public void DeclareExercise(double untilSessionSeconds) => Detector.DeclareExercise(ToSourceSeconds(untilSessionSeconds));

    /// <summary>When the detector emitted an event, in its seconds: confirmation for a start, end for an end.</summary>
    public static double EmittedSeconds(CrampEvent cramp)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        return cramp.Type switch
        {
            CrampEventKind.CrampStarted => cramp.ConfirmedSeconds ?? cramp.OnsetSeconds,
            CrampEventKind.CrampEnded => cramp.EndSeconds ?? cramp.OnsetSeconds,
            _ => cramp.EndSeconds ?? cramp.OnsetSeconds,
        };
    }

    /// <summary>Runs one frame; returns true when it completed a window (the detector's assessments are then new).</summary>
    /// <exception cref="ArgumentException">The frame does not fit the layout.</exception>
    [MethodImpl(HotPath.Compiled)]
    public bool Process(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (double.IsNaN(_offset))
        {
            _offset = Math.Max(0, _continueFrom - frame.TimeSeconds);
        }

        if (!Detector.Process(frame))
        {
            return false;
        }

        var now = frame.TimeSeconds + _offset;
        var windows = Detector.Assessments;
        var seconds = windows[0].EndSeconds;
        if (_telemetry.Add(windows, _crampActive) is { } period)
        {
            _output.Write(new TelemetryItem(period, now));
        }

        var moving = false;
        double? skin = null;
        for (var s = 0; s < windows.Length; s++)
        {
            moving |= windows[s].HasMotionContext;
            if (windows[s].HasSkinTemperature)
            {
                skin = windows[s].SkinTemperatureCelsius;
            }
        }

        if (_activity.Update(seconds + _offset, moving, skin, out var context))
        {
            _output.Write(new ActivityItem(context, now));
        }

        if (seconds >= _nextTick)
        {
            _nextTick = seconds + CoachTickPeriod.TotalSeconds;
            _output.Write(new CoachTickItem(now));
        }

        if (_onSnapshot is not null && seconds >= _nextSnapshot)
        {
            _nextSnapshot = seconds + SnapshotPeriod.TotalSeconds;
            var snapshot = new SiteSnapshot[windows.Length];
            for (var s = 0; s < windows.Length; s++)
            {
                ref readonly var w = ref windows[s];
                snapshot[s] = new SiteSnapshot(Detector.Layout.Sites[s], w.EnvelopeMicrovolts, TelemetryAggregator.ClassName(in w), w.Probabilities.Cramp, Detector.TrackerState(s), w.HasSkinTemperature ? w.SkinTemperatureCelsius : null);
            }

            _onSnapshot(snapshot);
        }

        return true;
    }

    /// <summary>Ends the session at <paramref name="endSeconds"/> (default: one sample after the last frame): running cramps end with <c>end_of_recording</c>.</summary>
    /// <returns>The end, in the detector's seconds.</returns>
    public double Flush(double? endSeconds = null)
    {
        var end = endSeconds ?? Detector.LastRowSeconds + (1.0 / Detector.Layout.SampleRateHz);
        Detector.Flush(end);
        return end;
    }

    private sealed class OutputSink(DetectionSession session) : ICrampEventSink
    {
        public void OnEvent(CrampEvent cramp)
        {
            var offset = double.IsNaN(session._offset) ? 0 : session._offset;
            session._output.Write(new DetectorEventItem(cramp, EmittedSeconds(cramp) + offset));
        }
    }
}

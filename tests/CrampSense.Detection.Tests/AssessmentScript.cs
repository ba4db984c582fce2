using CrampSense.Signals.Features;


namespace CrampSense.Detection.Tests;

/// <summary>
/// Builds a scripted sequence of window assessments at a 50 ms hop, segment by segment ("10 s rest, 6 s cramp,
/// 5 s rest"), and runs it through a tracker, remembering at which window time each event was emitted.
/// </summary>
internal sealed class AssessmentScript
{
    public const double HopSeconds = 0.05;
    public const float RestFloor = 5f;
    public const float CrampEnvelope = 150f;

    private const int HopMilliseconds = 50;

    private readonly List<WindowAssessment> _windows = [];

    public IReadOnlyList<WindowAssessment> Windows => _windows;

    /// <summary>End time of the last window added, s.</summary>
    public double NowSeconds => _windows.Count * HopMilliseconds / 1000.0;

    public AssessmentScript Rest(double seconds) =>
        Add(seconds, new ClassProbabilities(0.90f, 0.05f, 0.03f, 0.02f), RestFloor, active: false);

    /// <summary>Sustained activity without context: what the rule calls a cramp once it lasts the minimum.</summary>
    public AssessmentScript Cramp(double seconds, float envelope = CrampEnvelope) =>
        Add(seconds, new ClassProbabilities(0.02f, 0.05f, 0.90f, 0.03f), envelope, active: true);

    /// <summary>Activity with evidence of intent in its context (by default accelerometer motion).</summary>
    public AssessmentScript Voluntary(double seconds, float envelope = CrampEnvelope, IntentEvidence intent = IntentEvidence.Motion) =>
        Add(seconds, new ClassProbabilities(0.02f, 0.90f, 0.05f, 0.03f), envelope, active: true, intent: intent);

    /// <summary>A short drop in activity: the activity detector says quiet.</summary>
    public AssessmentScript Dip(double seconds) =>
        Add(seconds, new ClassProbabilities(0.80f, 0.05f, 0.10f, 0.05f), 2 * RestFloor, active: false);

    /// <summary>Raised tension that never activated the site (a slow rise): the envelope is <paramref name="ratio"/> × the floor.</summary>
    public AssessmentScript Prodrome(double seconds, float ratio = 3f, bool motion = false) =>
        Add(seconds, new ClassProbabilities(0.85f, 0.05f, 0.05f, 0.05f), ratio * RestFloor, active: false, intent: motion ? IntentEvidence.Motion : IntentEvidence.None);

    public AssessmentScript Fault(double seconds, SignalQuality faults) =>
        Add(seconds, new ClassProbabilities(0.05f, 0.03f, 0.9f, 0.02f), CrampEnvelope, active: true, faults: faults);

    public AssessmentScript Add(double seconds, ClassProbabilities probabilities, float envelope, bool active, SignalQuality faults = SignalQuality.None, IntentEvidence intent = IntentEvidence.None)
    {
        int count = WindowCount(seconds);
        for (int i = 0; i < count; i++)
        {
            AddWindow(probabilities, envelope, faults, active, intent);
        }

        return this;
    }

    /// <summary>Marks the last window as the one where the activity detector found that the recording started inside activity that ended at <paramref name="endSeconds"/>.</summary>
    public AssessmentScript OpeningEndedAt(double endSeconds)
    {
        var last = _windows[^1];
        last.OpeningEndSeconds = endSeconds;
        _windows[^1] = last;
        return this;
    }

    /// <summary>Sets the onset the activity detector reports on every active window from <paramref name="fromSeconds"/> on (a refined onset).</summary>
    public AssessmentScript ReportOnset(double fromSeconds, double onsetSeconds)
    {
        for (int i = 0; i < _windows.Count; i++)
        {
            var w = _windows[i];
            if (w.EndSeconds >= fromSeconds - 1e-9 && w.IsActive)
            {
                w.ActivityOnsetSeconds = onsetSeconds;
                _windows[i] = w;
            }
        }

        return this;
    }

    /// <summary>Feeds every window to a tracker made by <paramref name="createTracker"/> and returns the events with the window time each was emitted at.</summary>
    public static List<EmittedEvent> Run(IReadOnlyList<WindowAssessment> windows, Func<ICrampEventSink, CrampEventTracker> createTracker, double? flushAtSeconds = null)
    {
        var sink = new RecordingSink();
        var tracker = createTracker(sink);
        foreach (var window in windows)
        {
            sink.NowSeconds = window.EndSeconds;
            tracker.Process(window);
        }

        if (flushAtSeconds is { } end)
        {
            sink.NowSeconds = end;
            tracker.Flush(end);
        }

        return sink.Events;
    }

    public List<EmittedEvent> Run(CrampEventTrackerOptions? options = null, double? flushAtSeconds = null) =>
        Run(_windows, sink => new CrampEventTracker("dev1", "calf", sink, options, modelVersion: "test-model-1"), flushAtSeconds);

    private static int WindowCount(double seconds) => (int)Math.Round(seconds / HopSeconds);

    private void AddWindow(ClassProbabilities probabilities, float envelope, SignalQuality faults, bool active, IntentEvidence intent)
    {
        double end = (_windows.Count + 1) * HopMilliseconds / 1000.0;
        bool continues = _windows.Count > 0 && _windows[^1].IsActive && _windows[^1].Faults == SignalQuality.None;
        double onset = !active ? double.NaN : continues ? _windows[^1].ActivityOnsetSeconds : end - HopSeconds;
        _windows.Add(new WindowAssessment
        {
            EndSeconds = end,
            Probabilities = probabilities,
            EnvelopeMicrovolts = envelope,
            RestFloorMicrovolts = RestFloor,
            MeanFrequencyHz = 110f,
            MedianFrequencyHz = 95f,
            Faults = faults,
            HasSkinTemperature = true,
            SkinTemperatureCelsius = 31.5f,
            IsActive = active,
            ActivityOnsetSeconds = onset,
            OpeningEndSeconds = double.NaN,
            OpeningStartSeconds = 0,
            Intent = intent,
        });
    }
}

/// <summary>An event and the end time of the window that caused it.</summary>
internal sealed record EmittedEvent(double AtSeconds, CrampEvent Event);

/// <summary>A sink that keeps every event, stamped with the window time the test set.</summary>
internal sealed class RecordingSink : ICrampEventSink
{
    public List<EmittedEvent> Events { get; } = [];

    public double NowSeconds { get; set; }

    public void OnEvent(CrampEvent cramp) => Events.Add(new EmittedEvent(NowSeconds, cramp));
}

using CrampSense.Detection;

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
        Add(seconds, new ClassProbabilities(0.90f, 0.05f, 0.03f, 0.02f), RestFloor);

    public AssessmentScript Cramp(double seconds, float envelope = CrampEnvelope) =>
        Add(seconds, new ClassProbabilities(0.02f, 0.05f, 0.90f, 0.03f), envelope);

    public AssessmentScript Voluntary(double seconds, float envelope = CrampEnvelope, bool motion = true) =>
        Add(seconds, new ClassProbabilities(0.02f, 0.90f, 0.05f, 0.03f), envelope, motion: motion);

    /// <summary>A short drop in activity: the model's cramp probability falls below the exit threshold.</summary>
    public AssessmentScript Dip(double seconds) =>
        Add(seconds, new ClassProbabilities(0.80f, 0.05f, 0.10f, 0.05f), 2 * RestFloor);

    /// <summary>Raised tension at rest: the model still says rest, the envelope is <paramref name="ratio"/> × the floor.</summary>
    public AssessmentScript Prodrome(double seconds, float ratio = 3f, bool motion = false) =>
        Add(seconds, new ClassProbabilities(0.85f, 0.05f, 0.05f, 0.05f), ratio * RestFloor, motion: motion);

    public AssessmentScript Fault(double seconds, SignalFaults faults, float crampProbability = 0.9f) =>
        Add(seconds, new ClassProbabilities(0.05f, 0.03f, crampProbability, 0.02f), CrampEnvelope, faults);

    /// <summary>Windows whose cramp probability rises linearly from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public AssessmentScript CrampRamp(double seconds, float from, float to)
    {
        int count = WindowCount(seconds);
        for (int i = 0; i < count; i++)
        {
            float p = from + ((to - from) * (i + 1) / count);
            AddWindow(new ClassProbabilities(1 - p, 0.0f, p, 0.0f), RestFloor + ((CrampEnvelope - RestFloor) * p), SignalFaults.None, motion: false);
        }

        return this;
    }

    public AssessmentScript Add(double seconds, ClassProbabilities probabilities, float envelope, SignalFaults faults = SignalFaults.None, bool motion = false)
    {
        int count = WindowCount(seconds);
        for (int i = 0; i < count; i++)
        {
            AddWindow(probabilities, envelope, faults, motion);
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

    private void AddWindow(ClassProbabilities probabilities, float envelope, SignalFaults faults, bool motion)
    {
        _windows.Add(new WindowAssessment
        {
            EndSeconds = (_windows.Count + 1) * HopMilliseconds / 1000.0,
            Probabilities = probabilities,
            EnvelopeMicrovolts = envelope,
            RestFloorMicrovolts = RestFloor,
            MeanFrequencyHz = 110f,
            MedianFrequencyHz = 95f,
            Faults = faults,
            HasSkinTemperature = true,
            SkinTemperatureCelsius = 31.5f,
            HasMotionContext = motion,
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

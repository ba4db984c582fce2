using CrampSense.Signals.Recordings;

namespace CrampSense.Detection.Evaluation;

/// <summary>One recording to evaluate: its truth intervals, the cramps detected in it, its scenario kind and length.</summary>
public sealed record RecordingEvaluationInput
{
    /// <summary>Creates the input; throws when the duration is not a finite, non-negative number of seconds.</summary>
    public RecordingEvaluationInput(
        string name,
        ScenarioKind scenario,
        double durationSeconds,
        IReadOnlyList<TruthInterval> truth,
        IReadOnlyList<DetectedCramp> detections)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(detections);
        if (!double.IsFinite(durationSeconds) || durationSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, $"Recording '{name}': the duration must be a finite, non-negative number of seconds.");
        }

        Name = name;
        Scenario = scenario;
        DurationSeconds = durationSeconds;
        Truth = truth;
        Detections = detections;
    }

    /// <summary>Recording name (usually its file name) for the per-file table.</summary>
    public string Name { get; }

    public ScenarioKind Scenario { get; }

    /// <summary>Length of the recording, s.</summary>
    public double DurationSeconds { get; }

    /// <summary>All truth intervals of the recording; only <see cref="TruthKind.Cramp"/> ones are cramps to find.</summary>
    public IReadOnlyList<TruthInterval> Truth { get; }

    /// <summary>The cramps the detector reported.</summary>
    public IReadOnlyList<DetectedCramp> Detections { get; }
}

using CrampSense.Detection.Calibration;
using CrampSense.Signals.Features;

namespace CrampSense.Detection.Model;

/// <summary>Settings of a <see cref="CrampDetector"/>.</summary>
public sealed record CrampDetectorOptions
{
    /// <summary>Device id written into the events (default <c>replay</c>).</summary>
    public string Device { get; init; } = "replay";

    /// <summary>Personal calibration, or null for the defaults (adaptive floor, no % of max).</summary>
    public PersonalProfile? Profile { get; init; }

    /// <summary>The state machine's timing and rules; null = the defaults.</summary>
    public CrampEventTrackerOptions? Tracker { get; init; }

    /// <summary>The signal pipeline's settings (window, hop, filters).</summary>
    public FeatureExtractorOptions Features { get; init; } = FeatureExtractorOptions.Default;

    /// <summary>
    /// Score the model on every clean window of every site (for <c>replay --windows</c>, whose rows show the
    /// probabilities). Default false: a quiet site at rest is scored every <see cref="CrampDetector.RestScoringInterval"/>-th
    /// window only (its other windows carry <see cref="ClassProbabilities.NotScored"/>); active windows and every window
    /// while a candidate or cramp runs are always scored. The decision does not use the model (docs/detector.md), so
    /// events, onsets and ends are the same either way; see docs/signal-pipeline.md §6.
    /// </summary>
    public bool ScoreEveryWindow { get; init; }
}

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
}

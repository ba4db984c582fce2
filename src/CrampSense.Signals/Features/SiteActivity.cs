namespace CrampSense.Signals.Features;

/// <summary>
/// What the activity detector (<see cref="MuscleActivityDetector"/>) says about one site at the end of a window.
/// A plain value written into the <see cref="FeatureFrame"/> every hop.
/// </summary>
public readonly record struct SiteActivity
{
    /// <summary>The site is active in this window: its envelope rose abruptly over the rest floor and has not fallen back.</summary>
    public bool IsActive { get; init; }

    /// <summary>Onset of the current activation, s (NaN while not active). Refined once the activation has lasted a few seconds.</summary>
    public double OnsetSeconds { get; init; }

    /// <summary>The level the activation rose from (rest floor, or the raised tension just before it), in the envelope's unit (mV).</summary>
    public double ReferenceMillivolts { get; init; }

    /// <summary>
    /// Set (for one window only) when the rest floor turned out to be far lower than the level the recording started at:
    /// the recording started inside activity that ended at this time, s. NaN otherwise. The activity began at or before
    /// <see cref="OpeningStartSeconds"/>.
    /// </summary>
    public double OpeningEndSeconds { get; init; }

    /// <summary>First sample time of the recording (or since the last reset), s; meaningful with <see cref="OpeningEndSeconds"/>.</summary>
    public double OpeningStartSeconds { get; init; }

    /// <summary>Nothing active, nothing found.</summary>
    public static SiteActivity Quiet { get; } = new() { OnsetSeconds = double.NaN, OpeningEndSeconds = double.NaN, OpeningStartSeconds = double.NaN };
}

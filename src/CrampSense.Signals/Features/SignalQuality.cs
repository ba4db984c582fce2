namespace CrampSense.Signals.Features;

/// <summary>Signal-quality flags of one site over the last feature window; several can be set at once.</summary>
[Flags]
public enum SignalQuality
{
    /// <summary>No problem seen.</summary>
    None = 0,

    /// <summary>A raw sample reached the saturation level (|x| ≥ SaturationMillivolts): the front-end is railed.</summary>
    Railed = 1,

    /// <summary>The raw signal stayed constant for at least FlatSeconds: lead-off or a dead channel.</summary>
    Flat = 2,

    /// <summary>A raw sample was NaN or infinite (the filters held the last finite value instead).</summary>
    NonFinite = 4,

    /// <summary>The frame clock jumped by more than 1.5 sample periods (dropped samples) or went backwards.</summary>
    DroppedSamples = 8,
}

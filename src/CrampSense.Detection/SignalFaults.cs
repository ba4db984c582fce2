namespace CrampSense.Detection;

/// <summary>
/// Signal-quality problems seen on one site during one window. Any flag makes the window faulty: a faulty
/// window never counts as cramp evidence, and the first one of an episode raises a <c>signal_fault</c> event.
/// </summary>
[Flags]
public enum SignalFaults
{
    /// <summary>The channel looked healthy.</summary>
    None = 0,

    /// <summary>Samples sat at the ADC's rails (saturation, or an electrode touching a supply).</summary>
    Railed = 1,

    /// <summary>The signal was flat: lead-off, a detached electrode or a dead amplifier.</summary>
    Flat = 2,

    /// <summary>Samples were NaN or infinite.</summary>
    NotANumber = 4,

    /// <summary>Samples were missing from the window (the sampler fell behind or the bus failed).</summary>
    DroppedSamples = 8,
}

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

    /// <summary>A fraction of the samples sat at or near the front end's full scale: the amplifier or ADC saturates.</summary>
    Clipped = 16,

    /// <summary>A floating input: the window is dominated by (often clipped) mains pick-up.</summary>
    LeadOff = 32,

    /// <summary>Isolated spikes of a few samples, far above the signal: electrode pops.</summary>
    SpikeTrain = 64,

    /// <summary>Mains hum far above the channel's usual level dominates the window.</summary>
    HumBurst = 128,
}

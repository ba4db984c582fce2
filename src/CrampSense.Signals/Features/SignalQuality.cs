namespace CrampSense.Signals.Features;

/// <summary>Signal-quality flags of one site over the last feature window; several can be set at once (see <see cref="ChannelQualityMonitor"/>).</summary>
[Flags]
public enum SignalQuality
{
    /// <summary>No problem seen.</summary>
    None = 0,

    /// <summary>
    /// The channel is stuck at a rail (most of the window within the clip margin of one end of the full scale), or a
    /// raw sample reached <c>SaturationMillivolts</c> (beyond any surface EMG) far outside the window's other samples
    /// (more than 8·√3 of their RMS from their mean, or fewer than two samples of the window below it).
    /// </summary>
    Railed = 1,

    /// <summary>The raw signal stayed constant for at least FlatSeconds: lead-off or a dead channel.</summary>
    Flat = 2,

    /// <summary>A raw sample was NaN or infinite (the filters held the last finite value instead).</summary>
    NonFinite = 4,

    /// <summary>The frame clock jumped by more than 1.5 sample periods (dropped samples) or went backwards.</summary>
    DroppedSamples = 8,

    /// <summary>A fraction of the window's samples sat at or near full scale (known, or inferred from a pile-up of one extreme value): the front end saturates.</summary>
    Clipped = 16,

    /// <summary>Floating input: the window is dominated by a mains line and is clipped or far stronger than hum on a connected electrode.</summary>
    LeadOff = 32,

    /// <summary>Several isolated spikes of a few samples far above the window's spread: electrode pops.</summary>
    SpikeTrain = 64,

    /// <summary>Mains hum dominates the window and has risen well above this channel's usual hum level.</summary>
    HumBurst = 128,

    /// <summary>
    /// The front end saturated on what looks like a strong muscle contraction: the window is clipped, but on at most
    /// SaturatedMaximumFraction of its samples, its unclipped samples are band-limited (not independent like broadband
    /// noise) and no mains line dominates it. Reported, but not a fault: such a window can be active. Never set
    /// together with <see cref="Clipped"/>.
    /// </summary>
    Saturated = 256,

    /// <summary>
    /// Set only together with <see cref="Clipped"/>: the window is clipped beyond what <see cref="Saturated"/> accepts
    /// (more than SaturatedMaximumFraction of the last second at the rails, up to OverdrivenMaximumFraction), but the
    /// unclipped runs of the last second's windows near the rails, pooled, are band-limited beyond what independent samples
    /// reach by chance (or, in the first second of them, band-limited so far), and no mains line dominates: a contraction
    /// driven beyond full scale, or a signal that merely resembles one. A fault on its own; the feature extractor lets an activation that began on a clean or saturated
    /// window continue through it, as <see cref="Saturated"/> (positive evidence twice over: a rise seen before the
    /// clipping, and a muscle-like signal between the clips).
    /// </summary>
    Overdriven = 512,

    /// <summary>
    /// Set only together with <see cref="Clipped"/>: the window would be <see cref="Saturated"/> or <see cref="Overdriven"/>
    /// (at most OverdrivenMaximumFraction of the last second at the rails, no mains line dominating) but its unclipped runs are
    /// not band-limited beyond chance, at a sample rate whose Nyquist band the EMG band fills (fs ≤ 500 Hz: surface EMG
    /// reaches 250 Hz), where a contraction's runs need not be band-limited and the test cannot tell it from broadband
    /// noise. A fault on its own; the feature extractor lets an activation it saw rise clean for longer than an abrupt
    /// step takes to fill a window continue through it, as <see cref="Saturated"/> (issue 12, motor-unit night-cramp-60102),
    /// and so an activation that the first such window starts when the clean windows right up to it held the stay level
    /// that long (a cramp out of a prodrome, night-cramp-92102).
    /// </summary>
    BandUnresolved = 1024,

    /// <summary>
    /// Set only together with <see cref="Clipped"/>: as <see cref="BandUnresolved"/> (at most OverdrivenMaximumFraction of
    /// the last second at the rails, no mains line dominating, the unclipped runs not band-limited beyond chance), at a
    /// rate above 500 Hz, where that test can tell EMG from broadband noise and says noise: clipped noise, or a
    /// contraction driven so far beyond full scale, its median above ~100 Hz, that it crosses between the rails in one or
    /// two samples (docs/signal-pipeline.md §3, the limit of <see cref="Overdriven"/>). A fault on its own; the feature
    /// extractor lets an activation that had already reached the rails as a band-limited signal (saturated or overdriven)
    /// for more than a second continue through it as <see cref="Saturated"/> (issue 12, foreign v02/v04/v05/v10 at gain
    /// ×10: one cramp, not a fault that ends it and a second detection of its rest).
    /// </summary>
    BroadbandRuns = 2048,
}

/// <summary>Helpers over <see cref="SignalQuality"/> flags.</summary>
public static class SignalQualityFlags
{
    /// <summary>The flags that make a window faulty: every flag but <see cref="SignalQuality.Saturated"/>.</summary>
    public const SignalQuality Faults = ~SignalQuality.Saturated;

    /// <summary>True when <paramref name="quality"/> holds a flag that makes the window faulty (never active, no floor update).</summary>
    public static bool IsFaulty(this SignalQuality quality) => (quality & Faults) != 0;
}

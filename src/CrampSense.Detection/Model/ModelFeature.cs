namespace CrampSense.Detection.Model;

/// <summary>
/// The inputs of the window model, in the stable order of its feature vector (the value is the index). Most are
/// free of the amplifier's gain (ratios to the rest floor, spectral shape, rates), so the model does not learn
/// the simulator's absolute amplitudes. Add new features only at the end and retrain: a model depends on this
/// order. Definitions: docs/detector.md ("Window model").
/// </summary>
public enum ModelFeature
{
    /// <summary>log10 of the window's envelope over the detector's rest floor.</summary>
    LogRatio,

    /// <summary>Mean of <see cref="LogRatio"/> over the last second.</summary>
    LogRatioMean1s,

    /// <summary>Minimum of <see cref="LogRatio"/> over the last second (sustained activity keeps it high).</summary>
    LogRatioMin1s,

    /// <summary>Mean of <see cref="LogRatio"/> over the last 3 s.</summary>
    LogRatioMean3s,

    /// <summary>Minimum of <see cref="LogRatio"/> over the last 3 s.</summary>
    LogRatioMin3s,

    /// <summary>Standard deviation of <see cref="LogRatio"/> over the last 3 s (bursts and rhythm raise it).</summary>
    LogRatioSd3s,

    /// <summary>Maximum of <see cref="LogRatio"/> over the last 5 s.</summary>
    LogRatioMax5s,

    /// <summary>Seconds since this site became active (envelope ≥ 3 × floor) without a break, capped at 10; 0 at rest.</summary>
    ActiveSeconds,

    /// <summary>Number of rest↔active transitions over the last 5 s (gait and pedalling bursts give many).</summary>
    Transitions5s,

    /// <summary>Coefficient of variation of the envelope within the window.</summary>
    EnvelopeCv,

    /// <summary>Envelope slope over the envelope mean, 1/s (clamped to ±50).</summary>
    EnvelopeSlopeRelative,

    /// <summary>Mean frequency of the window's spectrum, Hz.</summary>
    MeanFrequency,

    /// <summary>Median frequency of the window's spectrum, Hz.</summary>
    MedianFrequency,

    /// <summary>Fraction of power in the low band (20–60 Hz).</summary>
    LowBandRatio,

    /// <summary>Fraction of power in the mid band (60–150 Hz).</summary>
    MidBandRatio,

    /// <summary>Fraction of power in the high band (150–450 Hz).</summary>
    HighBandRatio,

    /// <summary>Zero crossings per second (with the pipeline's deadband).</summary>
    ZeroCrossings,

    /// <summary>Slope-sign changes per second (with the pipeline's deadband).</summary>
    SlopeSignChanges,

    /// <summary>Waveform length per second over the mean absolute value, 1/s: a gain-free measure of how fast the signal moves.</summary>
    WaveformLengthRelative,

    /// <summary>Mean Teager–Kaiser energy over the squared RMS: gain-free.</summary>
    TeagerRelative,

    /// <summary>Highest <see cref="LogRatio"/> of the other sites (0 with one site).</summary>
    OtherSitesLogRatio,

    /// <summary>Highest 1-s mean <see cref="LogRatio"/> of the other sites (0 with one site).</summary>
    OtherSitesLogRatioMean1s,

    /// <summary>Longest <see cref="ActiveSeconds"/> of the other sites (0 with one site).</summary>
    OtherSitesActiveSeconds,

    /// <summary>Mean correlation of this site's envelope with the other sites' over the window (0 with one site).</summary>
    CoactivationCorrelation,

    /// <summary>1 when the recording has other EMG sites, else 0.</summary>
    HasOtherSites,

    /// <summary>log10 of the accelerometer's motion energy (g², +1e-7); −7 without an accelerometer.</summary>
    LogMotionEnergy,

    /// <summary>Maximum of <see cref="LogMotionEnergy"/> over the last 5 s.</summary>
    LogMotionEnergyMax5s,

    /// <summary>log10 of the accelerometer's gait-band (0.5–3 Hz) power (g², +1e-7); −7 without an accelerometer.</summary>
    LogGaitPower,

    /// <summary>Largest change of the (low-passed) gravity direction over the last 5 s, degrees: a posture change.</summary>
    PostureChange5s,

    /// <summary>1 when the recording has an accelerometer, else 0.</summary>
    HasAccelerometer,

    /// <summary>The window's envelope in % of the personal maximal voluntary contraction; −1 without a calibrated maximum.</summary>
    PercentOfMax,

    /// <summary>
    /// Largest posture change (degrees) seen from 5 s before this site's current run of activity until now, so the
    /// posture change that began a voluntary hold is remembered for the whole hold; at rest the 5-s value.
    /// </summary>
    RunPostureChange,

    /// <summary>Largest <see cref="LogMotionEnergy"/> from 5 s before the current run of activity until now; at rest the 5-s maximum.</summary>
    RunMotionMax,

    /// <summary>Share of the current run's windows in which another site was active too (synergist co-activation); at rest 1 or 0 for this window.</summary>
    RunOtherSitesActiveFraction,
}

/// <summary>Names of the <see cref="ModelFeature"/>s, in vector order.</summary>
public static class ModelFeatureNames
{
    /// <summary>Length of the model's feature vector.</summary>
    public const int Count = (int)ModelFeature.RunOtherSitesActiveFraction + 1;

    private static readonly string[] s_names = Enum.GetNames<ModelFeature>();

    /// <summary>The names, index i naming <c>(ModelFeature)i</c>.</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(s_names);
}

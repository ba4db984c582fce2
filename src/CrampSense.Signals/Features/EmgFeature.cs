namespace CrampSense.Signals.Features;

/// <summary>
/// The per-site features, in the stable order of a site's feature vector (the value is the index).
/// Add new features only at the end; a trained detector depends on this order.
/// Definitions and units: docs/signal-pipeline.md.
/// </summary>
public enum EmgFeature
{
    /// <summary>Root mean square of the band-passed EMG over the window, mV.</summary>
    Rms,

    /// <summary>Mean absolute value, mV.</summary>
    Mav,

    /// <summary>Waveform length (sum of |Δx|) per second of window, mV/s.</summary>
    WaveformLength,

    /// <summary>Zero crossings with a deadband, per second.</summary>
    ZeroCrossings,

    /// <summary>Slope-sign changes with a deadband, per second.</summary>
    SlopeSignChanges,

    /// <summary>Willison amplitude (|Δx| above a threshold), per second.</summary>
    WillisonAmplitude,

    /// <summary>Mean (centroid) frequency of the power spectrum in the pass band, Hz.</summary>
    MeanFrequency,

    /// <summary>Median frequency of the power spectrum in the pass band, Hz.</summary>
    MedianFrequency,

    /// <summary>Fraction of pass-band power in the low band (default 20–60 Hz).</summary>
    LowBandRatio,

    /// <summary>Fraction of pass-band power in the mid band (default 60–150 Hz).</summary>
    MidBandRatio,

    /// <summary>Fraction of pass-band power in the high band (default 150–450 Hz).</summary>
    HighBandRatio,

    /// <summary>Mean of the linear envelope over the window, mV.</summary>
    EnvelopeMean,

    /// <summary>Coefficient of variation (SD / mean) of the linear envelope, dimensionless.</summary>
    EnvelopeCv,

    /// <summary>Least-squares slope of the linear envelope across the window, mV/s.</summary>
    EnvelopeSlope,

    /// <summary>Robust rest floor of the envelope mean (a low percentile of the last minute of windows that were not active; <see cref="RestFloorTracker"/>), mV (NaN until the channel has had one clean window).</summary>
    RestFloor,

    /// <summary>Envelope mean over the rest floor, dimensionless.</summary>
    RestRatio,

    /// <summary>Mean Teager–Kaiser energy over the window, mV².</summary>
    TeagerEnergy,

    /// <summary>Fraction of the other sites whose rest ratio is at or above the activation ratio (0 with one site).</summary>
    CoactivationFraction,

    /// <summary>Mean Pearson correlation of this site's envelope with the other sites' over the window (0 with one site).</summary>
    CoactivationCorrelation,

    /// <summary>Mean square of the high-passed (gravity-free) acceleration magnitude, g² (0 without accelerometer).</summary>
    MotionEnergy,

    /// <summary>Mean square of the acceleration magnitude in the gait band (default 0.5–3 Hz), g².</summary>
    GaitBandPower,

    /// <summary>Latest skin temperature, °C (NaN until the first sample).</summary>
    SkinTemperature,

    /// <summary>Trend of the skin temperature, °C/min (NaN until two samples).</summary>
    SkinTemperatureTrend,

    /// <summary>RMS of the mains hum the canceller removes at the window's end (all harmonics), mV; 0 without hum.</summary>
    HumLevel,

    /// <summary>The tracked mains frequency at the window's end, Hz; 0 without hum.</summary>
    MainsFrequency,
}

/// <summary>Names of the features, in vector order, for column names of a training set or a log.</summary>
public static class EmgFeatureNames
{
    private static readonly string[] s_names =
    [
        "rms_mv",
        "mav_mv",
        "waveform_length_mv_per_s",
        "zero_crossings_per_s",
        "slope_sign_changes_per_s",
        "willison_amplitude_per_s",
        "mean_frequency_hz",
        "median_frequency_hz",
        "low_band_ratio",
        "mid_band_ratio",
        "high_band_ratio",
        "envelope_mean_mv",
        "envelope_cv",
        "envelope_slope_mv_per_s",
        "rest_floor_mv",
        "rest_ratio",
        "teager_energy_mv2",
        "coactivation_fraction",
        "coactivation_correlation",
        "motion_energy_g2",
        "gait_band_power_g2",
        "skin_temperature_c",
        "skin_temperature_trend_c_per_min",
        "hum_mv",
        "mains_frequency_hz",
    ];

    /// <summary>Number of features per site.</summary>
    public static int Count => s_names.Length;

    /// <summary>The names, index i naming <c>(EmgFeature)i</c>.</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(s_names);

    /// <summary>Name of one feature.</summary>
    public static string Of(EmgFeature feature) => s_names[(int)feature];
}

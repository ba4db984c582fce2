namespace CrampSense.Signals.Dsp;

/// <summary>
/// Settings of the per-channel EMG filter chain. Defaults follow SENIAM (20 Hz high-pass, no notch) plus the
/// mains-interference canceller, which changes nothing while no hum is detected.
/// </summary>
public sealed class EmgFilterOptions
{
    /// <summary>Corner of the DC blocker in Hz (default 0.5).</summary>
    public double DcRemovalHz { get; init; } = 0.5;

    /// <summary>Lower band-pass edge in Hz (default 20; SENIAM: high-pass 10–20 Hz).</summary>
    public double HighPassHz { get; init; } = 20;

    /// <summary>Upper band-pass edge in Hz before clamping to 0.45·fs (default 450).</summary>
    public double LowPassHz { get; init; } = 450;

    /// <summary>Butterworth prototype order of the band-pass (default 4).</summary>
    public int ButterworthOrder { get; init; } = 4;

    /// <summary>
    /// Mains-interference canceller (<see cref="MainsInterferenceCanceller"/>): detect 50 or 60 Hz hum per channel
    /// (default <see cref="MainsFrequency.Auto"/>), look for one frequency only, or <see cref="MainsFrequency.Off"/>.
    /// </summary>
    public MainsFrequency Mains { get; init; } = MainsFrequency.Auto;

    /// <summary>Time constant of the canceller's adaptive weights, s (default 0.25; each harmonic then removes a band about 1.3 Hz wide).</summary>
    public double MainsTimeConstantSeconds { get; init; } = MainsInterferenceCanceller.DefaultTimeConstantSeconds;

    /// <summary>
    /// A fixed mains notch in Hz after the canceller, or null for none (default: none, as SENIAM/ISEK advise). Kept
    /// for compatibility: it takes EMG power at that frequency all the time and loses most of its effect when the
    /// mains drifts; prefer <see cref="Mains"/>.
    /// </summary>
    public double? NotchHz { get; init; }

    /// <summary>Quality factor of the notch (default 30).</summary>
    public double NotchQualityFactor { get; init; } = 30;

    /// <summary>Low-pass corner of the linear envelope in Hz (default 6).</summary>
    public double EnvelopeCutoffHz { get; init; } = LinearEnvelope.DefaultCutoffHz;

    /// <summary>The defaults.</summary>
    public static EmgFilterOptions Default { get; } = new();

    /// <summary>
    /// Lists what is wrong with these options for <paramref name="sampleRateHz"/>, each message starting with
    /// the option's name (prefixed by <paramref name="prefix"/>, e.g. "Filter.").
    /// </summary>
    public IReadOnlyList<string> Validate(double sampleRateHz, string prefix = "")
    {
        var errors = new List<string>();
        double nyquist = sampleRateHz / 2;
        if (!double.IsFinite(DcRemovalHz) || DcRemovalHz <= 0 || DcRemovalHz >= nyquist)
        {
            errors.Add($"{prefix}{nameof(DcRemovalHz)} must lie between 0 and {nyquist} Hz (was {DcRemovalHz}).");
        }

        if (!double.IsFinite(HighPassHz) || HighPassHz <= 0 || HighPassHz >= nyquist)
        {
            errors.Add($"{prefix}{nameof(HighPassHz)} must lie between 0 and {nyquist} Hz (was {HighPassHz}).");
        }

        if (!double.IsFinite(LowPassHz) || LowPassHz <= HighPassHz)
        {
            errors.Add($"{prefix}{nameof(LowPassHz)} must be a number of hertz above {prefix}{nameof(HighPassHz)} ({HighPassHz}) (was {LowPassHz}).");
        }

        if (ButterworthOrder is < 1 or > 10)
        {
            errors.Add($"{prefix}{nameof(ButterworthOrder)} must be between 1 and 10 (was {ButterworthOrder}).");
        }

        if (NotchHz is double notch && (!double.IsFinite(notch) || notch <= 0 || notch >= nyquist))
        {
            errors.Add($"{prefix}{nameof(NotchHz)} must lie between 0 and {nyquist} Hz (was {notch}).");
        }

        if (!Enum.IsDefined(Mains))
        {
            errors.Add($"{prefix}{nameof(Mains)} must be Auto, Hz50, Hz60 or Off (was {(int)Mains}).");
        }
        else if (Mains is MainsFrequency.Hz50 or MainsFrequency.Hz60 && MainsInterferenceCanceller.HarmonicsBelowNyquist(Mains == MainsFrequency.Hz50 ? 50 : 60, sampleRateHz) == 0)
        {
            errors.Add($"{prefix}{nameof(Mains)} {Mains} needs a sample rate above {2 * ((Mains == MainsFrequency.Hz50 ? 50 : 60) + MainsInterferenceCanceller.TrackingRangeHz)} Hz (was {sampleRateHz}); use Off or Auto.");
        }

        if (!double.IsFinite(MainsTimeConstantSeconds) || MainsTimeConstantSeconds < 20 / sampleRateHz || MainsTimeConstantSeconds > 60)
        {
            errors.Add($"{prefix}{nameof(MainsTimeConstantSeconds)} must lie between {20 / sampleRateHz} s (20 samples) and 60 s (was {MainsTimeConstantSeconds}).");
        }

        if (NotchHz is double fixedNotch && double.IsFinite(fixedNotch) && ((Mains == MainsFrequency.Hz50 && fixedNotch != 50) || (Mains == MainsFrequency.Hz60 && fixedNotch != 60)))
        {
            errors.Add($"{prefix}{nameof(NotchHz)} ({fixedNotch} Hz) contradicts {prefix}{nameof(Mains)} = {Mains}.");
        }

        if (!double.IsFinite(NotchQualityFactor) || NotchQualityFactor <= 0)
        {
            errors.Add($"{prefix}{nameof(NotchQualityFactor)} must be positive (was {NotchQualityFactor}).");
        }

        if (!double.IsFinite(EnvelopeCutoffHz) || EnvelopeCutoffHz <= 0 || EnvelopeCutoffHz >= nyquist)
        {
            errors.Add($"{prefix}{nameof(EnvelopeCutoffHz)} must lie between 0 and {nyquist} Hz (was {EnvelopeCutoffHz}).");
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there are any.</summary>
    public void ThrowIfInvalid(double sampleRateHz)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        var errors = Validate(sampleRateHz);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid EMG filter options: " + string.Join(" ", errors));
        }
    }
}

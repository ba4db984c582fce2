using CrampSense.Signals.Dsp;

namespace CrampSense.Signals.Features;

/// <summary>
/// Settings of <see cref="EmgFeatureExtractor"/>. <see cref="Validate"/> names the offending option in every
/// message. Defaults and their reasons: docs/signal-pipeline.md.
/// </summary>
public sealed class FeatureExtractorOptions
{
    /// <summary>The per-channel filter chain.</summary>
    public EmgFilterOptions Filter { get; init; } = EmgFilterOptions.Default;

    /// <summary>Feature window length, s (default 0.25).</summary>
    public double WindowSeconds { get; init; } = 0.25;

    /// <summary>Time between feature vectors, s (default 0.05); at most <see cref="WindowSeconds"/>.</summary>
    public double HopSeconds { get; init; } = 0.05;

    /// <summary>Noise deadband of zero crossings and slope-sign changes, mV (default 0.01).</summary>
    public double DeadbandMillivolts { get; init; } = 0.01;

    /// <summary>Willison amplitude threshold, mV (default 0.02).</summary>
    public double WillisonThresholdMillivolts { get; init; } = 0.02;

    /// <summary>Edge between the low and mid spectral bands, Hz (default 60).</summary>
    public double LowMidEdgeHz { get; init; } = 60;

    /// <summary>Edge between the mid and high spectral bands, Hz (default 150).</summary>
    public double MidHighEdgeHz { get; init; } = 150;

    /// <summary>How much rest (windows not active) the rest floor's percentile covers, s (default 60).</summary>
    public double RestFloorWindowSeconds { get; init; } = 60;

    /// <summary>
    /// The percentile of those windows' envelope means taken as the floor, 0–1 (default 0.2: low enough that twitches
    /// and a prodrome between detected activations do not lift it, high enough to be stable).
    /// </summary>
    public double RestFloorPercentile { get; init; } = 0.2;

    /// <summary>Smallest rest floor used in the rest ratio, mV (default 0.001 = 1 µV).</summary>
    public double MinimumRestFloorMillivolts { get; init; } = 0.001;

    /// <summary>Rest ratio at or above which another site counts as active for co-activation (default 3).</summary>
    public double ActivationRestRatio { get; init; } = 3;

    /// <summary>
    /// |raw| at or above which a sample makes its window railed whatever the full scale, mV (default 20: beyond any surface
    /// EMG at the nominal gain; the peaks of a 3 mV-RMS contraction reach 10 mV), when it also lies beyond the window's
    /// signal (more than 8·√3 RMS of the window's samples below it from their mean, or fewer than two such samples): a
    /// recording at several times the nominal gain carries contractions past 20 mV that are no fault.
    /// </summary>
    public double SaturationMillivolts { get; init; } = 20;

    /// <summary>How long the raw signal must stay constant to be flagged flat, s (default 0.1).</summary>
    public double FlatSeconds { get; init; } = 0.1;

    /// <summary>Largest sample-to-sample change still counted as constant, mV (default 0: exactly repeated ADC codes).</summary>
    public double FlatToleranceMillivolts { get; init; }

    /// <summary>
    /// How long a channel that dithers between neighbouring codes (rest noise below one ADC step) may hold one code
    /// before it is flagged flat, s (default 5). A code of an MCP3008/3208 may be up to 2 steps wide (DNL ±1 LSB,
    /// no missing codes: DS21295 and DS21298 page 1), so sub-step rest can sit on one code for seconds.
    /// </summary>
    public double FlatDitherSeconds { get; init; } = 5;

    /// <summary>
    /// Largest code step counted as dither, mV (default 0.05: three steps of the documented 10-bit front end, 3.3 V /
    /// 1024 / gain 200 = 16.1 µV; a coarser step between two held values is a stuck or switching input, not a quantum).
    /// </summary>
    public double FlatDitherStepMillivolts { get; init; } = 0.05;

    /// <summary>
    /// Input range of every EMG channel at the electrodes (e.g. ±8.25 mV for an MCP3008 at 3.3 V after a gain of 200);
    /// null (default) = unknown: clipping is then inferred from a pile-up of one extreme value, and the recording's
    /// <c>full_scale_mv</c> key is used when there is one.
    /// </summary>
    public FullScaleRange? FullScale { get; init; }

    /// <summary>Input range per site, overriding <see cref="FullScale"/> (the service fills it from each channel's ADC and gain).</summary>
    public IReadOnlyDictionary<string, FullScaleRange>? SiteFullScale { get; init; }

    /// <summary>How close to either end of the full scale a sample counts as clipped, as a fraction of half the span (default 0.005: 41 µV of ±8.25 mV, 2.5 steps of a 10-bit ADC).</summary>
    public double ClipMarginFraction { get; init; } = 0.005;

    /// <summary>Fraction of a window's samples at full scale from which it is clipped (default 0.02).</summary>
    public double ClippedFraction { get; init; } = 0.02;

    /// <summary>Fraction of a window's samples at one rail from which the channel is railed (default 0.8).</summary>
    public double RailedFraction { get; init; } = 0.8;

    /// <summary>
    /// Largest fraction of the samples at the rails, over the windows of the last second, for which a clipped window can be a strong contraction
    /// (<see cref="SignalQuality.Saturated"/>, not a fault) when the unclipped samples are band-limited and not hum
    /// (default 0.32 = 2Q(1): a Gaussian-like signal spends that fraction beyond ±full scale when its RMS equals the
    /// full scale; more, and the ADC reports the rails rather than the signal).
    /// </summary>
    public double SaturatedMaximumFraction { get; init; } = 0.32;

    /// <summary>
    /// Largest fraction of the samples at the rails, over the windows of the last second, for which a clipped window can
    /// still be a contraction driven beyond full scale (<see cref="SignalQuality.Overdriven"/>, with
    /// <see cref="SignalQuality.Clipped"/>): the unclipped runs of the last second's clipped windows, pooled, are
    /// band-limited and no mains dominates. Such a window continues an activation that began clean, never starts one
    /// (default 0.62 ≈ 2Q(0.5): a Gaussian-like signal of twice the full scale's RMS).
    /// </summary>
    public double OverdrivenMaximumFraction { get; init; } = 0.62;

    /// <summary>Without a known full scale: how many times more often the window's extreme value must occur than the next value inward to count as a clipping pile-up (default 3).</summary>
    public double PileUpRatio { get; init; } = 3;

    /// <summary>Without a known full scale: smallest distance of a pile-up from the window mean, mV (default 0.5; quantised rest noise piles up within a few µV).</summary>
    public double PileUpMinimumMillivolts { get; init; } = 0.5;

    /// <summary>Fraction of a window's power in the mains line and its harmonics from which hum dominates it (default 0.7).</summary>
    public double HumDominanceFraction { get; init; } = 0.7;

    /// <summary>Smallest hum RMS that can be a hum burst, mV (default 0.1).</summary>
    public double HumBurstMinimumMillivolts { get; init; } = 0.1;

    /// <summary>Hum RMS, as a multiple of the channel's usual hum level, from which a dominant hum is a burst (default 4).</summary>
    public double HumBurstRatio { get; init; } = 4;

    /// <summary>Time constant of the usual hum level when the hum rises, s (default 180: a hum that stays becomes usual after about a minute).</summary>
    public double UsualHumRiseSeconds { get; init; } = 180;

    /// <summary>Time constant of the usual hum level when the hum falls, s (default 10).</summary>
    public double UsualHumFallSeconds { get; init; } = 10;

    /// <summary>Hum RMS from which a dominant mains line means a floating input even without clipping, mV (default 1.5).</summary>
    public double LeadOffHumMillivolts { get; init; } = 1.5;

    /// <summary>Smallest spike height above the window mean, mV (default 1).</summary>
    public double SpikeMinimumMillivolts { get; init; } = 1;

    /// <summary>Smallest spike height as a multiple of the window's mean absolute deviation (default 10).</summary>
    public double SpikeSpreadRatio { get; init; } = 10;

    /// <summary>Longest spike, s (default 0.005).</summary>
    public double SpikeMaxSeconds { get; init; } = 0.005;

    /// <summary>Isolated spikes within <see cref="SpikeTrainSeconds"/> from which the channel shows a spike train (default 3).</summary>
    public int SpikeTrainCount { get; init; } = 3;

    /// <summary>How far back isolated spikes are counted, s (default 2: pops at 1.5 Hz or faster make a train).</summary>
    public double SpikeTrainSeconds { get; init; } = 2;

    /// <summary>Rate the accelerometer magnitude is resampled to, Hz (default 50).</summary>
    public double ImuAnalysisRateHz { get; init; } = 50;

    /// <summary>Window of the motion energy, s (default 1).</summary>
    public double MotionWindowSeconds { get; init; } = 1;

    /// <summary>Gait band lower edge, Hz (default 0.5).</summary>
    public double GaitBandLowHz { get; init; } = 0.5;

    /// <summary>Gait band upper edge, Hz (default 3).</summary>
    public double GaitBandHighHz { get; init; } = 3;

    /// <summary>Window of the gait-band power, s (default 4: two periods of the slowest gait frequency).</summary>
    public double GaitWindowSeconds { get; init; } = 4;

    /// <summary>Time constant of the skin-temperature trend, s (default 60).</summary>
    public double TemperatureTrendSeconds { get; init; } = 60;

    /// <summary>The defaults.</summary>
    public static FeatureExtractorOptions Default { get; } = new();

    /// <summary>Lists every problem for a recording sampled at <paramref name="sampleRateHz"/>; each message starts with the option name.</summary>
    public IReadOnlyList<string> Validate(double sampleRateHz)
    {
        var errors = new List<string>();
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            errors.Add($"The sample rate must be a positive, finite number of hertz (was {sampleRateHz}).");
            return errors;
        }

        if (Filter is null)
        {
            errors.Add($"{nameof(Filter)} must not be null.");
        }
        else
        {
            errors.AddRange(Filter.Validate(sampleRateHz, nameof(Filter) + "."));
        }

        double samplePeriod = 1 / sampleRateHz;
        Positive(errors, nameof(WindowSeconds), WindowSeconds);
        if (double.IsFinite(WindowSeconds) && Math.Round(WindowSeconds * sampleRateHz) < 8)
        {
            errors.Add($"{nameof(WindowSeconds)} must span at least 8 samples ({8 * samplePeriod} s at {sampleRateHz} Hz) (was {WindowSeconds}).");
        }

        Positive(errors, nameof(HopSeconds), HopSeconds);
        if (HopSeconds > WindowSeconds)
        {
            errors.Add($"{nameof(HopSeconds)} must not exceed {nameof(WindowSeconds)} ({WindowSeconds}) (was {HopSeconds}).");
        }

        NotNegative(errors, nameof(DeadbandMillivolts), DeadbandMillivolts);
        NotNegative(errors, nameof(WillisonThresholdMillivolts), WillisonThresholdMillivolts);
        Positive(errors, nameof(LowMidEdgeHz), LowMidEdgeHz);
        if (!(MidHighEdgeHz > LowMidEdgeHz))
        {
            errors.Add($"{nameof(MidHighEdgeHz)} must be above {nameof(LowMidEdgeHz)} ({LowMidEdgeHz}) (was {MidHighEdgeHz}).");
        }

        if (!(RestFloorWindowSeconds >= 2 * HopSeconds) || !double.IsFinite(RestFloorWindowSeconds))
        {
            errors.Add($"{nameof(RestFloorWindowSeconds)} must be a finite number of seconds of at least two hops (was {RestFloorWindowSeconds}).");
        }

        if (!(RestFloorPercentile > 0 && RestFloorPercentile < 1))
        {
            errors.Add($"{nameof(RestFloorPercentile)} must lie between 0 and 1 (was {RestFloorPercentile}).");
        }

        Positive(errors, nameof(MinimumRestFloorMillivolts), MinimumRestFloorMillivolts);
        Positive(errors, nameof(ActivationRestRatio), ActivationRestRatio);
        Positive(errors, nameof(SaturationMillivolts), SaturationMillivolts);
        Positive(errors, nameof(FlatSeconds), FlatSeconds);
        NotNegative(errors, nameof(FlatToleranceMillivolts), FlatToleranceMillivolts);
        Positive(errors, nameof(FlatDitherSeconds), FlatDitherSeconds);
        Positive(errors, nameof(FlatDitherStepMillivolts), FlatDitherStepMillivolts);
        if (FlatDitherSeconds < FlatSeconds)
        {
            errors.Add($"{nameof(FlatDitherSeconds)} must be at least {nameof(FlatSeconds)} ({FlatSeconds}) (was {FlatDitherSeconds}).");
        }

        Fraction(errors, nameof(ClipMarginFraction), ClipMarginFraction);
        Fraction(errors, nameof(ClippedFraction), ClippedFraction);
        Fraction(errors, nameof(RailedFraction), RailedFraction);
        Fraction(errors, nameof(SaturatedMaximumFraction), SaturatedMaximumFraction);
        Fraction(errors, nameof(OverdrivenMaximumFraction), OverdrivenMaximumFraction);
        if (!(PileUpRatio >= 1) || !double.IsFinite(PileUpRatio))
        {
            errors.Add($"{nameof(PileUpRatio)} must be a finite number of at least 1 (was {PileUpRatio}).");
        }

        Positive(errors, nameof(PileUpMinimumMillivolts), PileUpMinimumMillivolts);
        Fraction(errors, nameof(HumDominanceFraction), HumDominanceFraction);
        Positive(errors, nameof(HumBurstMinimumMillivolts), HumBurstMinimumMillivolts);
        Positive(errors, nameof(HumBurstRatio), HumBurstRatio);
        Positive(errors, nameof(UsualHumRiseSeconds), UsualHumRiseSeconds);
        Positive(errors, nameof(UsualHumFallSeconds), UsualHumFallSeconds);
        Positive(errors, nameof(LeadOffHumMillivolts), LeadOffHumMillivolts);
        Positive(errors, nameof(SpikeMinimumMillivolts), SpikeMinimumMillivolts);
        Positive(errors, nameof(SpikeSpreadRatio), SpikeSpreadRatio);
        Positive(errors, nameof(SpikeMaxSeconds), SpikeMaxSeconds);
        Positive(errors, nameof(SpikeTrainSeconds), SpikeTrainSeconds);
        if (SpikeTrainCount < 1)
        {
            errors.Add($"{nameof(SpikeTrainCount)} must be at least 1 (was {SpikeTrainCount}).");
        }

        Positive(errors, nameof(ImuAnalysisRateHz), ImuAnalysisRateHz);
        Positive(errors, nameof(MotionWindowSeconds), MotionWindowSeconds);
        Positive(errors, nameof(GaitBandLowHz), GaitBandLowHz);
        if (!(GaitBandHighHz > GaitBandLowHz))
        {
            errors.Add($"{nameof(GaitBandHighHz)} must be above {nameof(GaitBandLowHz)} ({GaitBandLowHz}) (was {GaitBandHighHz}).");
        }
        else if (double.IsFinite(ImuAnalysisRateHz) && ImuAnalysisRateHz > 0)
        {
            int decimation = Math.Max(1, (int)Math.Round(sampleRateHz / ImuAnalysisRateHz));
            double analysisRate = sampleRateHz / decimation;
            if (GaitBandHighHz >= analysisRate / 2)
            {
                errors.Add($"{nameof(GaitBandHighHz)} must lie below half the IMU analysis rate ({analysisRate / 2} Hz; raise {nameof(ImuAnalysisRateHz)}) (was {GaitBandHighHz}).");
            }
        }

        Positive(errors, nameof(GaitWindowSeconds), GaitWindowSeconds);
        Positive(errors, nameof(TemperatureTrendSeconds), TemperatureTrendSeconds);
        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there are any.</summary>
    public void ThrowIfInvalid(double sampleRateHz)
    {
        var errors = Validate(sampleRateHz);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid feature extractor options: " + string.Join(" ", errors));
        }
    }

    private static void Positive(List<string> errors, string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            errors.Add($"{name} must be a positive number (was {value}).");
        }
    }

    private static void Fraction(List<string> errors, string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0 || value > 1)
        {
            errors.Add($"{name} must be a fraction above 0 and at most 1 (was {value}).");
        }
    }

    private static void NotNegative(List<string> errors, string name, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            errors.Add($"{name} must be zero or positive (was {value}).");
        }
    }
}

namespace CrampSense.Detection.Calibration;

/// <summary>
/// What a sustained contraction looked like over the seconds before the rule would confirm it (the candidate's first
/// 5 s, the statistics a <c>cramp_started</c> event carries): its level over the rest floor, its peak over its mean
/// (steadiness: a steady hold is near 1, an irregular or rising discharge above) and its mean frequency. All three are
/// free of the amplifier's gain.
/// </summary>
public readonly record struct HabitSignature(double LogMeanOverFloor, double LogPeakOverMean, double MeanFrequencyHz)
{
    /// <summary>The signature of statistics in µV and Hz; null when a value is missing or not positive.</summary>
    public static HabitSignature? From(double? meanMicrovolts, double? peakMicrovolts, double? floorMicrovolts, double? meanFrequencyHz)
    {
        if (meanMicrovolts is not { } mean || peakMicrovolts is not { } peak || floorMicrovolts is not { } floor || meanFrequencyHz is not { } frequency
            || !(mean > 0 && peak > 0 && floor > 0 && double.IsFinite(mean) && double.IsFinite(peak) && double.IsFinite(floor) && double.IsFinite(frequency)))
        {
            return null;
        }

        return new HabitSignature(Math.Log(mean / floor), Math.Log(peak / mean), frequency);
    }
}

/// <summary>A closed range of one signature value.</summary>
public readonly record struct HabitRange(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>
/// One wearer's voluntary habit on one site, learnt from clips the wearer rejected (<c>crampsense train --personal</c>):
/// the box of <see cref="HabitSignature"/> values their rejected contractions had, widened by a margin. By the rule a
/// sustained single-site contraction without context is a cramp; a candidate whose signature falls inside a habit of its
/// site is the wearer's own habit (<see cref="IntentEvidence.Habit"/>), so it is not confirmed. A habit whose box holds
/// a cramp cannot be learnt: the trainer refuses it (it checks the wearer's confirmed clips and the base's cramps).
/// </summary>
public sealed record PersonalHabit
{
    public PersonalHabit(string site, HabitRange logMeanOverFloor, HabitRange logPeakOverMean, HabitRange meanFrequencyHz, int examples)
    {
        if (!Signals.Recordings.RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not a valid site name.", nameof(site));
        }

        foreach (var (name, range) in new[] { ("log_mean_over_floor", logMeanOverFloor), ("log_peak_over_mean", logPeakOverMean), ("mean_frequency_hz", meanFrequencyHz) })
        {
            if (!double.IsFinite(range.Low) || !double.IsFinite(range.High) || range.Low > range.High)
            {
                throw new ArgumentOutOfRangeException(name, $"'{name}' must be [low, high] with finite low <= high, got [{range.Low}, {range.High}]");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(examples, 1);
        Site = site;
        LogMeanOverFloor = logMeanOverFloor;
        LogPeakOverMean = logPeakOverMean;
        MeanFrequencyHz = meanFrequencyHz;
        Examples = examples;
    }

    public string Site { get; }

    public HabitRange LogMeanOverFloor { get; }

    public HabitRange LogPeakOverMean { get; }

    public HabitRange MeanFrequencyHz { get; }

    /// <summary>How many rejected contractions it was learnt from.</summary>
    public int Examples { get; }

    /// <summary>True when every value of <paramref name="signature"/> lies in the habit's box.</summary>
    public bool Matches(in HabitSignature signature) =>
        LogMeanOverFloor.Contains(signature.LogMeanOverFloor)
        && LogPeakOverMean.Contains(signature.LogPeakOverMean)
        && MeanFrequencyHz.Contains(signature.MeanFrequencyHz);
}

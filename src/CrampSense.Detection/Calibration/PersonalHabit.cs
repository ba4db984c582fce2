namespace CrampSense.Detection.Calibration;

/// <summary>
/// What a sustained contraction looked like over the seconds before the rule would confirm it (the candidate's first
/// 5 s, the statistics a <c>cramp_started</c> event carries): its level over the rest floor and its peak over its mean
/// (steadiness: a steady hold is near 1, an irregular or rising discharge above), both free of the amplifier's gain. The
/// spectrum is not in it: the mean frequency of surface EMG is the site's (tissue, electrodes), the same for a habit and
/// a cramp on that site, and moves with the electrodes from one recording to the next (20 Hz between two recordings of
/// one simulated wearer, models/README.md "Personal adaptation").
/// </summary>
public readonly record struct HabitSignature(double LogMeanOverFloor, double LogPeakOverMean)
{
    /// <summary>The signature of statistics in µV and Hz; null when a value is missing or not positive.</summary>
    public static HabitSignature? From(double? meanMicrovolts, double? peakMicrovolts, double? floorMicrovolts)
    {
        if (meanMicrovolts is not { } mean || peakMicrovolts is not { } peak || floorMicrovolts is not { } floor
            || !(mean > 0 && peak > 0 && floor > 0 && double.IsFinite(mean) && double.IsFinite(peak) && double.IsFinite(floor)))
        {
            return null;
        }

        return new HabitSignature(Math.Log(mean / floor), Math.Log(peak / mean));
    }
}

/// <summary>A closed range of one signature value.</summary>
public readonly record struct HabitRange(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>
/// One wearer's voluntary habit on one site, learnt from clips the wearer rejected (<c>crampsense train --personal</c>):
/// the box of <see cref="HabitSignature"/> values their rejected contractions had, widened by a margin, and how long
/// their holds last. By the rule a sustained single-site contraction without context is a cramp; a candidate whose
/// signature falls inside a habit of its site is the wearer's own habit (<see cref="IntentEvidence.Habit"/>), so it is
/// not confirmed while it lasts no longer than the wearer's holds do: once it is still active
/// <see cref="ConfirmAfterSeconds"/> after its onset it has outlasted every hold the habit was learnt from and is
/// confirmed (onset unchanged, later), so a long cramp at the habit's level is still reported. A habit without that
/// duration (profiles written before it existed) keeps it from being confirmed at all, as those profiles were checked.
/// A habit that would hide a cramp cannot be learnt: the trainer refuses it (it checks the wearer's confirmed clips and
/// the base's cramps).
/// </summary>
public sealed record PersonalHabit
{
    public PersonalHabit(string site, HabitRange logMeanOverFloor, HabitRange logPeakOverMean, int examples, double? confirmAfterSeconds = null)
    {
        if (!Signals.Recordings.RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not a valid site name.", nameof(site));
        }

        foreach (var (name, range) in new[] { ("log_mean_over_floor", logMeanOverFloor), ("log_peak_over_mean", logPeakOverMean) })
        {
            if (!double.IsFinite(range.Low) || !double.IsFinite(range.High) || range.Low > range.High)
            {
                throw new ArgumentOutOfRangeException(name, $"'{name}' must be [low, high] with finite low <= high, got [{range.Low}, {range.High}]");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(examples, 1);
        if (confirmAfterSeconds is { } after && !(after > 0 && double.IsFinite(after)))
        {
            throw new ArgumentOutOfRangeException(nameof(confirmAfterSeconds), after, "'confirm_after_s' must be a finite number of seconds above 0.");
        }

        Site = site;
        ConfirmAfterSeconds = confirmAfterSeconds;
        LogMeanOverFloor = logMeanOverFloor;
        LogPeakOverMean = logPeakOverMean;
        Examples = examples;
    }

    public string Site { get; }

    public HabitRange LogMeanOverFloor { get; }

    public HabitRange LogPeakOverMean { get; }

    /// <summary>How many rejected contractions it was learnt from.</summary>
    public int Examples { get; }

    /// <summary>
    /// Seconds after its onset from which a matching contraction that is still active is confirmed after all: longer
    /// than the wearer's rejected holds by a margin (<c>confirm_after_s</c>). Null: never (the habit vetoes).
    /// </summary>
    public double? ConfirmAfterSeconds { get; }

    /// <summary>True when every value of <paramref name="signature"/> lies in the habit's box.</summary>
    public bool Matches(in HabitSignature signature) =>
        LogMeanOverFloor.Contains(signature.LogMeanOverFloor)
        && LogPeakOverMean.Contains(signature.LogPeakOverMean);
}

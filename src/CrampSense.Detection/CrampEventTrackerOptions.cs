using System.Globalization;

namespace CrampSense.Detection;

/// <summary>
/// Thresholds and timing of the <see cref="CrampEventTracker"/>. Times are in seconds, probabilities 0–1.
/// <see cref="Validate"/> checks every value and names the option at fault.
/// </summary>
public sealed record CrampEventTrackerOptions
{
    /// <summary>The shortest minimum cramp duration that may be configured, s (the product requirement).</summary>
    public const double ShortestMinimumCrampSeconds = 2.0;

    /// <summary>
    /// How long a contraction must last, from its onset, before it is reported as a cramp. Default 5 s,
    /// never below 2 s: shorter activity is never a cramp, which keeps ordinary movements out.
    /// </summary>
    public double MinimumCrampSeconds { get; init; } = 5.0;

    /// <summary>Cramp probability at or above which a window at rest starts a cramp candidate (upper hysteresis threshold).</summary>
    public double EnterCrampProbability { get; init; } = 0.6;

    /// <summary>Cramp probability at or above which a running candidate or cramp stays active (lower hysteresis threshold).</summary>
    public double ExitCrampProbability { get; init; } = 0.4;

    /// <summary>
    /// Cramp probability that marks the start of the contraction for back-dating the onset: the onset is the
    /// start of the continuous run of windows at or above this probability (or with the envelope above
    /// <see cref="OnsetEnvelopeRatio"/>) that led to the candidate.
    /// </summary>
    public double OnsetCrampProbability { get; init; } = 0.3;

    /// <summary>
    /// Envelope, as a multiple of the rest floor, that also marks the contraction as begun (when the window does
    /// not look more voluntary or artifact than cramp). Default 8: above the 2–6 × floor of the pre-cramp
    /// pattern (Chaney &amp; Sherman: +100–500 %), so a prodrome does not pull the onset back by tens of seconds.
    /// </summary>
    public double OnsetEnvelopeRatio { get; init; } = 8.0;

    /// <summary>
    /// Mean envelope of a candidate, as a multiple of the rest floor, that it must exceed before it is confirmed.
    /// Default 7: one floor above the top of the pre-cramp pattern (+500 % = 6 ×, Chaney &amp; Sherman pilot), so a
    /// strong prodrome is reported as a warning, not as a cramp (at exactly 6 × a simulated prodrome whose windows
    /// fluctuate around its mean was confirmed, night-cramp-9301); a candidate below it is confirmed later, once its
    /// mean rises above it. 0 turns the rule off; it applies only when the floor is known.
    /// </summary>
    public double MinimumCrampRatio { get; init; } = 7.0;

    /// <summary>
    /// Envelope, as a multiple of the rest floor, below which a window counts as quiet whatever the model says.
    /// Default 3, the signal pipeline's own activation threshold: the model's history features (activity over the
    /// last 1–5 s) can keep the cramp probability up for a few windows after a contraction has stopped, and those
    /// windows must neither keep a candidate alive nor confirm it — otherwise a 4.5 s voluntary contraction
    /// followed by a flicker is reported as a 5 s cramp. 0 turns the gate off; it applies only when the floor is known.
    /// </summary>
    public double ActiveEnvelopeRatio { get; init; } = 3.0;

    /// <summary>
    /// Quiet stretches (cramp probability below the exit threshold) shorter than this are bridged. A candidate
    /// that is quiet this long is dropped: the activity was not sustained. Default 0.5 s.
    /// </summary>
    public double DipToleranceSeconds { get; init; } = 0.5;

    /// <summary>A confirmed cramp ends once it has been quiet this long. Default 1 s; must exceed <see cref="DipToleranceSeconds"/>.</summary>
    public double EndAfterSeconds { get; init; } = 1.0;

    /// <summary>
    /// Longest burst that is taken for the stretch reflex before silence: when a cramp's last active stretch
    /// followed a dip and lasted at most this long, the cramp is reported as ended where that dip began, and the
    /// burst's amplitude does not count. Stretching a cramped calf raises motor-unit activity across triceps surae
    /// before silence (Ross &amp; Thomas, Brain 1995;118:983). Default 0.5 s; 0 turns the rule off.
    /// </summary>
    public double ReflexBurstMaxSeconds { get; init; } = 0.5;

    /// <summary>A fault episode is over once the signal has been clean this long; a later fault raises a new <c>signal_fault</c>. Default 1 s.</summary>
    public double FaultClearSeconds { get; init; } = 1.0;

    /// <summary>Lowest envelope, as a multiple of the rest floor, that counts as the pre-cramp pattern (+100 %; Chaney &amp; Sherman pilot: 100–500 %).</summary>
    public double WarningMinRatio { get; init; } = 2.0;

    /// <summary>Highest envelope, as a multiple of the rest floor, that counts as the pre-cramp pattern (+500 %; Chaney &amp; Sherman pilot).</summary>
    public double WarningMaxRatio { get; init; } = 6.0;

    /// <summary>
    /// How long the pattern must last before <c>cramp_warning</c>. Default 20 s: the pilot saw the rise 41 ± 11 s
    /// before the cramp (Chaney &amp; Sherman), so 20 s still leaves time to act.
    /// </summary>
    public double WarningSustainSeconds { get; init; } = 20.0;

    /// <summary>Gaps in the pattern shorter than this do not restart it (the raised tension is spiky). Default 2 s.</summary>
    public double WarningGapToleranceSeconds { get; init; } = 2.0;

    /// <summary>
    /// No warning within this time of the previous warning or of the end of a cramp (tension stays about twice
    /// baseline after a cramp; Chaney &amp; Sherman). Default 300 s.
    /// </summary>
    public double WarningCooldownSeconds { get; init; } = 300.0;

    /// <summary>Windows whose voluntary probability reaches this are voluntary effort, not the pre-cramp pattern. Default 0.5.</summary>
    public double WarningMaxVoluntaryProbability { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(MinimumCrampSeconds) || MinimumCrampSeconds < ShortestMinimumCrampSeconds)
        {
            throw Invalid(nameof(MinimumCrampSeconds), MinimumCrampSeconds, $"must be at least {ShortestMinimumCrampSeconds.ToString(CultureInfo.InvariantCulture)} s: shorter activity is never a cramp");
        }

        RequireProbability(nameof(EnterCrampProbability), EnterCrampProbability);
        RequireProbability(nameof(ExitCrampProbability), ExitCrampProbability);
        RequireProbability(nameof(OnsetCrampProbability), OnsetCrampProbability);
        if (ExitCrampProbability > EnterCrampProbability)
        {
            throw Invalid(nameof(ExitCrampProbability), ExitCrampProbability, $"must not exceed {nameof(EnterCrampProbability)} ({Format(EnterCrampProbability)})");
        }

        if (OnsetCrampProbability > ExitCrampProbability)
        {
            throw Invalid(nameof(OnsetCrampProbability), OnsetCrampProbability, $"must not exceed {nameof(ExitCrampProbability)} ({Format(ExitCrampProbability)})");
        }

        if (!double.IsFinite(OnsetEnvelopeRatio) || OnsetEnvelopeRatio <= 1)
        {
            throw Invalid(nameof(OnsetEnvelopeRatio), OnsetEnvelopeRatio, "must be a finite multiple of the rest floor above 1");
        }

        if (!double.IsFinite(MinimumCrampRatio) || MinimumCrampRatio < 0)
        {
            throw Invalid(nameof(MinimumCrampRatio), MinimumCrampRatio, "must be a finite, non-negative multiple of the rest floor (0 = off)");
        }

        if (!double.IsFinite(ActiveEnvelopeRatio) || ActiveEnvelopeRatio < 0 || (ActiveEnvelopeRatio > 0 && ActiveEnvelopeRatio < 1))
        {
            throw Invalid(nameof(ActiveEnvelopeRatio), ActiveEnvelopeRatio, "must be 0 (off) or a finite multiple of the rest floor of at least 1");
        }

        RequirePositiveSeconds(nameof(DipToleranceSeconds), DipToleranceSeconds);
        RequirePositiveSeconds(nameof(EndAfterSeconds), EndAfterSeconds);
        if (EndAfterSeconds <= DipToleranceSeconds)
        {
            throw Invalid(nameof(EndAfterSeconds), EndAfterSeconds, $"must exceed {nameof(DipToleranceSeconds)} ({Format(DipToleranceSeconds)} s)");
        }

        if (!double.IsFinite(ReflexBurstMaxSeconds) || ReflexBurstMaxSeconds < 0)
        {
            throw Invalid(nameof(ReflexBurstMaxSeconds), ReflexBurstMaxSeconds, "must be a finite, non-negative number of seconds");
        }

        RequirePositiveSeconds(nameof(FaultClearSeconds), FaultClearSeconds);
        if (!double.IsFinite(WarningMinRatio) || WarningMinRatio <= 1)
        {
            throw Invalid(nameof(WarningMinRatio), WarningMinRatio, "must be a finite multiple of the rest floor above 1");
        }

        if (!double.IsFinite(WarningMaxRatio) || WarningMaxRatio < WarningMinRatio)
        {
            throw Invalid(nameof(WarningMaxRatio), WarningMaxRatio, $"must be finite and at least {nameof(WarningMinRatio)} ({Format(WarningMinRatio)})");
        }

        RequirePositiveSeconds(nameof(WarningSustainSeconds), WarningSustainSeconds);
        RequirePositiveSeconds(nameof(WarningGapToleranceSeconds), WarningGapToleranceSeconds);
        if (!double.IsFinite(WarningCooldownSeconds) || WarningCooldownSeconds < 0)
        {
            throw Invalid(nameof(WarningCooldownSeconds), WarningCooldownSeconds, "must be a finite, non-negative number of seconds");
        }

        RequireProbability(nameof(WarningMaxVoluntaryProbability), WarningMaxVoluntaryProbability);
    }

    private static void RequireProbability(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw Invalid(name, value, "must be a probability between 0 and 1");
        }
    }

    private static void RequirePositiveSeconds(string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw Invalid(name, value, "must be a finite, positive number of seconds");
        }
    }

    private static ArgumentException Invalid(string name, double value, string rule) =>
        new($"Cramp detector option {name} {rule}; got {Format(value)}.", name);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

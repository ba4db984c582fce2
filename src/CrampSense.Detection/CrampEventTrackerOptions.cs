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

    /// <summary>
    /// How long after the onset evidence of intent still counts, s (default 1.5): the context of a contraction is what
    /// happens around its start (a posture change while rising on tiptoes, a co-contraction) — within about a second of
    /// it — and that evidence reaches the windows up to half a second later (another site's activation needs a few
    /// hops, the gravity direction is low-passed with a 0.5-s time constant). Movement later in a cramp (grabbing or
    /// stretching the leg) is the reaction to it. A candidate is confirmed no earlier than this after its onset.
    /// Motion covers the second before each window and a posture change the 1.5 s before it, so the context spans
    /// about onset − 1.5 s to onset + this.
    /// </summary>
    public double ContextAfterOnsetSeconds { get; init; } = 1.5;

    /// <summary>
    /// Quiet stretches (the activity detector says not active) shorter than this are bridged. A candidate
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

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(MinimumCrampSeconds) || MinimumCrampSeconds < ShortestMinimumCrampSeconds)
        {
            throw Invalid(nameof(MinimumCrampSeconds), MinimumCrampSeconds, $"must be at least {ShortestMinimumCrampSeconds.ToString(CultureInfo.InvariantCulture)} s: shorter activity is never a cramp");
        }

        RequirePositiveSeconds(nameof(ContextAfterOnsetSeconds), ContextAfterOnsetSeconds);
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

        RequirePositiveSeconds(nameof(WarningSustainSeconds), WarningSustainSeconds);
        RequirePositiveSeconds(nameof(WarningGapToleranceSeconds), WarningGapToleranceSeconds);
        if (!double.IsFinite(WarningCooldownSeconds) || WarningCooldownSeconds < 0)
        {
            throw Invalid(nameof(WarningCooldownSeconds), WarningCooldownSeconds, "must be a finite, non-negative number of seconds");
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

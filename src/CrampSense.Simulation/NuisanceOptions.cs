namespace CrampSense.Simulation;

/// <summary>
/// Overrides for the nuisances a scenario adds. Every property left <c>null</c> keeps the scenario's own
/// default; <see cref="None"/> switches all of them off. Rates are events per hour of recording.
/// </summary>
public sealed record NuisanceOptions
{
    /// <summary>No nuisance at all (clean signals for reference tests).</summary>
    public static NuisanceOptions None { get; } = new()
    {
        HumMicrovolts = 0,
        HumBurstsPerHour = 0,
        BaselineWanderMicrovolts = 0,
        MotionArtifactsPerHour = 0,
        ElectrodePopsPerHour = 0,
        LeadOffsPerHour = 0,
        DroppedSamplesPerHour = 0,
        ColdSkin = false,
    };

    /// <summary>Continuous mains hum at the electrodes, µV peak of the fundamental (harmonics are smaller). 0 = none.</summary>
    public double? HumMicrovolts { get; init; }

    /// <summary>Bursts of strong hum (5–60 s, e.g. near an appliance), labelled <c>artifact</c>.</summary>
    public double? HumBurstsPerHour { get; init; }

    /// <summary>Slow baseline wander (0.05–1 Hz), µV peak. 0 = none.</summary>
    public double? BaselineWanderMicrovolts { get; init; }

    /// <summary>Motion artifacts (&lt; 20 Hz transients with an accelerometer spike), labelled <c>artifact</c>.</summary>
    public double? MotionArtifactsPerHour { get; init; }

    /// <summary>Electrode pops (step and exponential decay on one site), labelled <c>artifact</c>.</summary>
    public double? ElectrodePopsPerHour { get; init; }

    /// <summary>Lead-off episodes (flat or railed channel, 5–60 s), labelled <c>fault</c>.</summary>
    public double? LeadOffsPerHour { get; init; }

    /// <summary>
    /// Gaps of 5–200 ms where the acquisition lost samples (e.g. a scheduler stall on the Pi): the rows are
    /// missing, so <c>t_s</c> jumps; labelled <c>fault</c>. Off in every scenario unless asked for.
    /// </summary>
    public double? DroppedSamplesPerHour { get; init; }

    /// <summary>An episode of cold skin (skin temperature falls 5–9 °C, lowering the EMG median frequency).</summary>
    public bool? ColdSkin { get; init; }

    internal IEnumerable<string> Validate()
    {
        foreach (var (value, option) in new[]
        {
            (HumMicrovolts, "--hum-uv"),
            (HumBurstsPerHour, "--hum-bursts-per-hour"),
            (BaselineWanderMicrovolts, "--wander-uv"),
            (MotionArtifactsPerHour, "--motion-per-hour"),
            (ElectrodePopsPerHour, "--pops-per-hour"),
            (LeadOffsPerHour, "--lead-offs-per-hour"),
            (DroppedSamplesPerHour, "--dropouts-per-hour"),
        })
        {
            if (value is { } v && (!double.IsFinite(v) || v < 0 || v > 10_000))
            {
                yield return $"{option}: {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; use a number from 0 to 10000.";
            }
        }
    }
}

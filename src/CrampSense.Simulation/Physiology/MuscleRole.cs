namespace CrampSense.Simulation.Physiology;

/// <summary>What a site's muscle does in gait and cycling, inferred from the site name.</summary>
internal enum MuscleRole
{
    Calf,
    Shin,
    Hamstring,
    Quadriceps,
    Foot,
    Arm,
    Other,
}

/// <summary>Rhythmic activities that lock EMG bursts to a movement cycle.</summary>
internal enum RhythmKind
{
    Walking,
    Running,
    Cycling,
}

/// <summary>One burst of a muscle within a movement cycle: centre and width as fractions of the cycle.</summary>
internal readonly record struct CycleBurst(double Centre, double Width, double Weight);

internal static class MuscleRoles
{
    public static MuscleRole FromSite(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.Contains("calf", StringComparison.Ordinal) || site.Contains("gastro", StringComparison.Ordinal) || site.Contains("soleus", StringComparison.Ordinal))
        {
            return MuscleRole.Calf;
        }

        if (site.Contains("shin", StringComparison.Ordinal) || site.Contains("tibialis", StringComparison.Ordinal))
        {
            return MuscleRole.Shin;
        }

        if (site.Contains("hamstring", StringComparison.Ordinal) || site.Contains("biceps_femoris", StringComparison.Ordinal))
        {
            return MuscleRole.Hamstring;
        }

        if (site.Contains("quad", StringComparison.Ordinal) || site.Contains("thigh", StringComparison.Ordinal) || site.Contains("vastus", StringComparison.Ordinal))
        {
            return MuscleRole.Quadriceps;
        }

        if (site.Contains("foot", StringComparison.Ordinal) || site.Contains("toe", StringComparison.Ordinal) || site.Contains("hallucis", StringComparison.Ordinal))
        {
            return MuscleRole.Foot;
        }

        if (site.Contains("arm", StringComparison.Ordinal) || site.Contains("hand", StringComparison.Ordinal) || site.Contains("biceps", StringComparison.Ordinal))
        {
            return MuscleRole.Arm;
        }

        return MuscleRole.Other;
    }

    /// <summary>
    /// Phase offset of the site's limb within the movement cycle: the accelerometer sits on the left (or only)
    /// leg, and the right leg moves half a cycle later in walking, running and pedalling.
    /// </summary>
    public static double CyclePhaseOffset(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.Contains("right", StringComparison.Ordinal) || site.EndsWith("_r", StringComparison.Ordinal) ? 0.5 : 0;
    }

    /// <summary>True for muscles that take part in leg cramps (calf and foot first: Hallegraeff et al. 2017).</summary>
    public static bool IsLeg(MuscleRole role) => role is MuscleRole.Calf or MuscleRole.Shin or MuscleRole.Hamstring or MuscleRole.Quadriceps or MuscleRole.Foot;

    /// <summary>
    /// Burst timing within the cycle (phase 0 = heel strike, or crank top dead centre for cycling). Approximate
    /// textbook gait and pedalling EMG timing (e.g. Winter's gait EMG atlas); not from cramp-science.md, and
    /// only the locking of bursts to the cycle matters for the detector.
    /// </summary>
    public static IReadOnlyList<CycleBurst> Bursts(MuscleRole role, RhythmKind kind) => (role, kind) switch
    {
        (MuscleRole.Calf, RhythmKind.Walking) => [new(0.32, 0.09, 1)],
        (MuscleRole.Calf, RhythmKind.Running) => [new(0.17, 0.08, 1)],
        (MuscleRole.Calf, RhythmKind.Cycling) => [new(0.28, 0.10, 0.8)],
        (MuscleRole.Shin, RhythmKind.Walking) => [new(0.03, 0.05, 1), new(0.75, 0.09, 0.6)],
        (MuscleRole.Shin, RhythmKind.Running) => [new(0.0, 0.05, 1), new(0.80, 0.09, 0.6)],
        (MuscleRole.Shin, RhythmKind.Cycling) => [new(0.78, 0.12, 0.6)],
        (MuscleRole.Hamstring, RhythmKind.Walking) => [new(0.93, 0.07, 1)],
        (MuscleRole.Hamstring, RhythmKind.Running) => [new(0.88, 0.08, 1)],
        (MuscleRole.Hamstring, RhythmKind.Cycling) => [new(0.55, 0.12, 0.9)],
        (MuscleRole.Quadriceps, RhythmKind.Walking) => [new(0.06, 0.06, 1)],
        (MuscleRole.Quadriceps, RhythmKind.Running) => [new(0.04, 0.07, 1), new(0.92, 0.04, 0.5)],
        (MuscleRole.Quadriceps, RhythmKind.Cycling) => [new(0.15, 0.10, 1)],
        (MuscleRole.Foot, _) => [new(0.35, 0.10, 0.8)],
        (MuscleRole.Arm, RhythmKind.Cycling) => [new(0.0, 0.25, 0.2)],
        (MuscleRole.Arm, _) => [new(0.5, 0.15, 0.3)],
        _ => [new(0.3, 0.1, 0.7)],
    };
}

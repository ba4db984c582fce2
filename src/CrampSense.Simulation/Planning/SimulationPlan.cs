using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation.Planning;

/// <summary>Body postures; each has an orientation of gravity in the sensor frame.</summary>
internal enum Posture
{
    Standing,
    Sitting,
    LyingSupine,
    LyingLeft,
    LyingRight,
}

/// <summary>Voluntary excitation of one site over an interval, optionally locked to a movement rhythm.</summary>
/// <param name="Site">Site index.</param>
/// <param name="Start">Start, s.</param>
/// <param name="End">End, s.</param>
/// <param name="Level">Excitation (fraction of maximal) at the plateau or burst peak.</param>
/// <param name="RampSeconds">Rise and fall time.</param>
/// <param name="Rhythm">Index of a rhythm bout whose cycle shapes the drive, or −1 for a tonic drive.</param>
internal sealed record DriveSegment(int Site, double Start, double End, double Level, double RampSeconds, int Rhythm = -1)
{
    /// <summary>Slow fluctuation of a held contraction (physiological tremor of force), relative amplitude.</summary>
    public double Wobble { get; init; } = 0.05;
}

/// <summary>A bout of walking, running or cycling, with the start time of every cycle.</summary>
internal sealed class RhythmBout
{
    public RhythmBout(RhythmKind kind, double start, double end, double[] cycleStarts, double intensity)
    {
        Kind = kind;
        Start = start;
        End = end;
        CycleStarts = cycleStarts;
        Intensity = intensity;
    }

    public RhythmKind Kind { get; }

    public double Start { get; }

    public double End { get; }

    /// <summary>Cycle start times (heel strike / top dead centre), increasing; the last entry is the end of the last cycle.</summary>
    public double[] CycleStarts { get; }

    /// <summary>Relative movement vigour (scales accelerations).</summary>
    public double Intensity { get; }

    /// <summary>Phase in [0, 1) at time <paramref name="t"/>, or −1 outside the bout. <paramref name="cursor"/> speeds up
    /// increasing-time lookups.</summary>
    public double PhaseAt(double t, ref int cursor)
    {
        var starts = CycleStarts;
        if (t < starts[0] || t >= starts[^1])
        {
            return -1;
        }

        if (cursor < 0 || cursor >= starts.Length - 1 || starts[cursor] > t)
        {
            var found = Array.BinarySearch(starts, t);
            cursor = Math.Max(0, found >= 0 ? found : ~found - 1);
        }

        while (cursor < starts.Length - 2 && starts[cursor + 1] <= t)
        {
            cursor++;
        }

        return (t - starts[cursor]) / (starts[cursor + 1] - starts[cursor]);
    }
}

/// <summary>A cramp on one site, with its optional prodrome and stretch ending.</summary>
internal sealed record CrampEpisode(
    int Site,
    double ProdromeStart,
    double Onset,
    double StretchStart,
    double End,
    double InitialIntensity,
    double PeakIntensity,
    double ProdromeIncrease)
{
    public bool HasProdrome => ProdromeStart < Onset;

    /// <summary>
    /// Power the prodrome adds at a fraction <paramref name="progress"/> (0–1) of it, as a multiple of the floor's power:
    /// the site's amplitude (floor and prodrome summed in power) rises from the floor to (1 + increase) × the floor at
    /// the onset along a smoothstep, ((1 + increase·S(p))² − 1) with S(p) = p²(3 − 2p) (Chaney &amp; Sherman: tension
    /// rising over 41 ± 11 s by 100–500 %). Its relative rise is at most 1.5·increase / (1 + increase/2) per prodrome,
    /// ≈ 1.3 × in 4 s of a 30-s prodrome at +450 %, and it starts without a step even where the site's real floor lies
    /// below the floor the engine assumes. The earlier shape, a prodrome linear in its own amplitude from zero, doubled
    /// the site's amplitude within seconds once it exceeded the floor.
    /// </summary>
    public double ProdromePowerOverFloor(double progress)
    {
        var amplitude = 1 + (ProdromeIncrease * ProdromeRise(progress));
        return (amplitude * amplitude) - 1;
    }

    /// <summary>The prodrome's rise S(p) = p²(3 − 2p), 0 at its start, 1 at the onset.</summary>
    public static double ProdromeRise(double progress)
    {
        var p = Math.Clamp(progress, 0, 1);
        return p * p * (3 - (2 * p));
    }

    /// <summary>The progress (0–1) at which <see cref="ProdromePowerOverFloor"/> reaches <paramref name="powerOverFloor"/> (bisection: S is monotonic).</summary>
    public double ProdromeProgressAt(double powerOverFloor)
    {
        var rise = (Math.Sqrt(1 + Math.Max(0, powerOverFloor)) - 1) / ProdromeIncrease;
        double low = 0, high = 1;
        for (var k = 0; k < 40; k++)
        {
            var mid = (low + high) / 2;
            if (ProdromeRise(mid) < rise)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>Seconds of ramp from onset to the initial intensity.</summary>
    public double OnsetRampSeconds { get; init; } = 2;

    /// <summary>ISI coefficient of variation of this cramp's discharge.</summary>
    public double IsiCv { get; init; } = PhysiologyConstants.CrampIsiCv;

    /// <summary>Seconds over which a cramp that ends on its own fades out before <see cref="StretchStart"/>;
    /// 0 for a cramp ended by stretching.</summary>
    public double FadeSeconds { get; init; }

    /// <summary>Rate gain of this cramp, pps per unit excitation above threshold.</summary>
    public double RateGainPps { get; init; } = PhysiologyConstants.CrampRateGainPps;
}

/// <summary>A posture from a time on, reached over a transition.</summary>
internal sealed record PostureChange(double Time, Posture Posture, double TiltDegrees, double TransitionSeconds);

internal enum ArtifactKind
{
    Motion,
    ElectrodePop,
    HumBurst,
}

/// <summary>A transient artifact on the sites in <paramref name="SiteMask"/> (bit per site index).</summary>
internal sealed record ArtifactEvent(ArtifactKind Kind, ulong SiteMask, double Start, double Duration, double AmplitudeMillivolts, double Parameter, double AccelerationG);

internal enum LeadOffMode
{
    Flat,
    RailedHigh,
    RailedLow,
}

internal sealed record LeadOffEvent(int Site, double Start, double End, LeadOffMode Mode, double FlatMillivolts);

/// <summary>A cold-skin episode: the skin cools by <paramref name="DropCelsius"/> and recovers.</summary>
internal sealed record ColdEpisode(double Start, double End, double DropCelsius);

/// <summary>Everything that happens in a recording, planned before rendering so the truth is known up-front.</summary>
internal sealed class SimulationPlan
{
    public SimulationPlan(int siteCount, double durationSeconds)
    {
        DurationSeconds = durationSeconds;
        Drives = new List<DriveSegment>[siteCount];
        FasciculationIntervalSeconds = new double[siteCount];
        for (var i = 0; i < siteCount; i++)
        {
            Drives[i] = [];
            FasciculationIntervalSeconds[i] = double.PositiveInfinity;
        }
    }

    public double DurationSeconds { get; }

    public List<DriveSegment>[] Drives { get; }

    public List<RhythmBout> Rhythms { get; } = [];

    public List<CrampEpisode> Cramps { get; } = [];

    public List<PostureChange> Postures { get; } = [];

    public List<ArtifactEvent> Artifacts { get; } = [];

    public List<LeadOffEvent> LeadOffs { get; } = [];

    public List<ColdEpisode> ColdEpisodes { get; } = [];

    /// <summary>Intervals (s) whose rows are missing from the recording, in time order.</summary>
    public List<(double Start, double End)> Dropouts { get; } = [];

    public List<Signals.Recordings.TruthInterval> Truth { get; } = [];

    /// <summary>Mean interval between fasciculation potentials per site, s (infinity = none).</summary>
    public double[] FasciculationIntervalSeconds { get; }

    /// <summary>Continuous hum, µV peak of the fundamental.</summary>
    public double HumMicrovolts { get; set; }

    /// <summary>Baseline wander, µV peak.</summary>
    public double WanderMicrovolts { get; set; }

    /// <summary>Skin temperature offset from the subject's baseline during the recording (e.g. warm bed), °C.</summary>
    public double SkinOffsetCelsius { get; set; }
}

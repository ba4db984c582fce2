using CrampSense.Signals.Recordings;
using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation.Planning;

/// <summary>
/// Builds a <see cref="SimulationPlan"/> and its truth together, so every planned activity is labelled where
/// it is placed. Scenario planners call these helpers in time order.
/// </summary>
internal sealed class PlanBuilder
{
    public PlanBuilder(IReadOnlyList<string> sites, double durationSeconds, SimulationRandom random)
    {
        Sites = sites;
        Roles = sites.Select(MuscleRoles.FromSite).ToArray();
        Random = random;
        Plan = new SimulationPlan(sites.Count, durationSeconds);
    }

    public IReadOnlyList<string> Sites { get; }

    public MuscleRole[] Roles { get; }

    public SimulationRandom Random { get; }

    public SimulationPlan Plan { get; }

    public int SiteCount => Sites.Count;

    /// <summary>Range of cramp onset ramps, s (drawn uniformly); randomised recordings use 0.05–1 s.</summary>
    public (double Min, double Max) CrampOnsetRamp { get; set; } = (0.5, 3);

    /// <summary>The wearer's voluntary habit (drawn from the wearer's seed), for <see cref="AddHabitHold"/>.</summary>
    public VoluntaryHabit? Habit { get; init; }

    public double Duration => Plan.DurationSeconds;

    /// <summary>The posture in force at the end of the plan so far.</summary>
    public Posture CurrentPosture => Plan.Postures.Count == 0 ? Posture.Standing : Plan.Postures[^1].Posture;

    public double CurrentTilt => Plan.Postures.Count == 0 ? 0 : Plan.Postures[^1].TiltDegrees;

    /// <summary>
    /// When the evidence of intent planned so far ends: the last posture change (the first posture is no change),
    /// movement rhythm or voluntary drive; including the lying down that a sleep segment starting at
    /// <paramref name="sleepStart"/> adds when the body is not lying yet (Sleep: 2-s transition).
    /// </summary>
    public double IntentContextEnd(double sleepStart)
    {
        var end = double.NegativeInfinity;
        for (var i = 1; i < Plan.Postures.Count; i++)
        {
            end = Math.Max(end, Plan.Postures[i].Time + Plan.Postures[i].TransitionSeconds);
        }

        foreach (var bout in Plan.Rhythms)
        {
            end = Math.Max(end, bout.End);
        }

        foreach (var drives in Plan.Drives)
        {
            foreach (var drive in drives)
            {
                end = Math.Max(end, drive.End);
            }
        }

        if (Plan.Postures.Count > 0 && CurrentPosture is not (Posture.LyingSupine or Posture.LyingLeft or Posture.LyingRight))
        {
            end = Math.Max(end, sleepStart + 2);
        }

        return end;
    }

    public void SetPosture(double time, Posture posture, double tiltDegrees = 0, double transitionSeconds = 1)
        => Plan.Postures.Add(new PostureChange(time, posture, tiltDegrees, transitionSeconds));

    public void SetFasciculations(double meanIntervalSeconds)
    {
        for (var i = 0; i < SiteCount; i++)
        {
            Plan.FasciculationIntervalSeconds[i] = meanIntervalSeconds * Random.Uniform(0.7, 1.4);
        }
    }

    /// <summary>A tonic voluntary contraction on one site, labelled <c>voluntary</c>.</summary>
    public void AddTonic(int site, double start, double end, double level, double rampSeconds)
    {
        end = Math.Min(end, Duration);
        if (end <= start || level <= 0)
        {
            return;
        }

        Plan.Drives[site].Add(new DriveSegment(site, start, end, level, rampSeconds));
        AddTruth(TruthKind.Voluntary, site, start, end);
    }

    /// <summary>A bout of rhythmic movement with bursts locked to the cycle on every site.</summary>
    public void AddRhythmBout(RhythmKind kind, double start, double end, double cycleHz, double intensity, Func<MuscleRole, double> levelForRole)
    {
        end = Math.Min(end, Duration);
        if (end - start < 2 / cycleHz)
        {
            return;
        }

        // Stride-to-stride variability of healthy gait is a few percent (model choice, 3 % CV).
        var starts = new List<double> { start };
        var t = start;
        while (true)
        {
            var period = (1 / cycleHz) * (1 + (0.03 * Random.NextGaussian()));
            if (t + period > end)
            {
                break;
            }

            t += period;
            starts.Add(t);
        }

        var boutIndex = Plan.Rhythms.Count;
        Plan.Rhythms.Add(new RhythmBout(kind, start, t, [.. starts], intensity));
        for (var site = 0; site < SiteCount; site++)
        {
            var level = levelForRole(Roles[site]) * Random.Uniform(0.8, 1.2);
            if (level <= 0)
            {
                continue;
            }

            Plan.Drives[site].Add(new DriveSegment(site, start, t, Math.Min(level, 0.95), 0.5, boutIndex));
            AddTruth(TruthKind.Voluntary, site, start, t);
        }
    }

    /// <summary>
    /// A sustained voluntary hold with synergist co-activation on the other sites and a posture change at
    /// its start (undone at its end): the cues that tell a hold from a cramp.
    /// </summary>
    public void AddHold(double start, double duration, int primarySite)
    {
        var end = Math.Min(start + duration, Duration);
        var ramp = Random.Uniform(0.3, 1.0);
        var level = Random.Uniform(0.2, 0.7);
        AddTonicWithWobble(primarySite, start, end, level, ramp);
        var anyCoactive = false;
        for (var site = 0; site < SiteCount; site++)
        {
            if (site == primarySite)
            {
                continue;
            }

            // Synergists and stabilisers co-activate (model choice: 20–80 % of the primary level; at least one clearly).
            var fraction = anyCoactive ? Random.Uniform(0.1, 0.8) : Random.Uniform(0.3, 0.8);
            anyCoactive = true;
            AddTonicWithWobble(site, start + Random.Uniform(0, 0.3), end - Random.Uniform(0, 0.3), level * fraction, ramp);
        }

        var posture = CurrentPosture;
        var tilt = CurrentTilt;
        // At least PhysiologyConstants.IntentPostureChangeDegrees: with one site the posture change is the hold's only
        // evidence of intent, and a context-free sustained contraction is a cramp by the product's rule.
        var change = posture switch
        {
            Posture.Sitting => Random.Uniform(35, 70),     // knee extension
            Posture.Standing => Random.Uniform(PhysiologyConstants.IntentPostureChangeDegrees, 40),    // rise on tiptoe, lean
            _ => Random.Uniform(PhysiologyConstants.IntentPostureChangeDegrees, 45),                   // leg lift in bed
        };
        SetPosture(start - 0.3, posture, tilt + (Random.Chance(0.5) ? change : -change), 0.8);
        SetPosture(end, posture, tilt, 0.8);
    }

    /// <summary>
    /// One hold of the wearer's <see cref="Habit"/> from <paramref name="start"/>: its site only, no co-activation, no
    /// posture change; returns its end.
    /// </summary>
    public double AddHabitHold(double start)
    {
        var habit = Habit ?? throw new InvalidOperationException("The plan has no wearer habit.");
        var end = Math.Min(start + Random.Uniform(habit.MinimumSeconds, habit.MaximumSeconds), Duration);
        var level = habit.Level * Random.Uniform(0.92, 1.08);
        var ramp = habit.RampSeconds * Random.Uniform(0.85, 1.15);
        if (end > start)
        {
            Plan.Drives[habit.Site].Add(new DriveSegment(habit.Site, start, end, level, ramp) { Wobble = habit.Wobble });
            AddTruth(TruthKind.Voluntary, habit.Site, start, end);
        }

        return end;
    }

    /// <summary>
    /// A maximal voluntary contraction of one site (excitation 0.9–1), with the co-contraction that a maximal
    /// effort brings to neighbouring muscles and a small posture change.
    /// </summary>
    public void AddMaximalContraction(int site, double start, double duration)
    {
        var end = Math.Min(start + duration, Duration);
        AddTonicWithWobble(site, start, end, Random.Uniform(0.9, 1.0), 0.5);
        for (var other = 0; other < SiteCount; other++)
        {
            if (other != site)
            {
                AddTonicWithWobble(other, start + 0.2, end - 0.2, Random.Uniform(0.05, 0.3), 0.5);
            }
        }

        var tilt = CurrentTilt;
        SetPosture(start, CurrentPosture, tilt + Random.Uniform(5, 15), 0.5);
        SetPosture(end, CurrentPosture, tilt, 0.5);
    }

    /// <summary>A short (&lt; 5 s) voluntary contraction, on one site or several, with or without movement.</summary>
    public void AddShortContraction(double start, double duration)
    {
        var end = Math.Min(start + duration, Duration);
        var primary = Random.NextInt(SiteCount);
        var level = Random.Uniform(0.1, 0.6);
        var ramp = Math.Min(0.3, duration / 4);
        AddTonicWithWobble(primary, start, end, level, ramp);
        if (Random.Chance(0.4))
        {
            for (var site = 0; site < SiteCount; site++)
            {
                if (site != primary && Random.Chance(0.6))
                {
                    AddTonicWithWobble(site, start, end, level * Random.Uniform(0.2, 0.7), ramp);
                }
            }
        }

        if (Random.Chance(0.5))
        {
            var tilt = CurrentTilt;
            SetPosture(start, CurrentPosture, tilt + Random.Uniform(-15, 15), Math.Min(0.5, duration / 2));
            SetPosture(end, CurrentPosture, tilt, 0.5);
        }
    }

    /// <summary>
    /// A cramp on <paramref name="site"/>: optional prodrome before <paramref name="onset"/>, irregular
    /// discharge with rising intensity for <paramref name="duration"/> seconds, then a stretch (short burst on all
    /// leg sites, posture change) and silence. Returns the end of the stretch burst.
    /// A minority (15 %, model choice) end on their own instead: the discharge fades over 2–8 s with no burst
    /// and no movement, so a detector cannot rely on the stretch to find the end.
    /// </summary>
    public double AddCramp(int site, double onset, double duration, bool withProdrome, Posture stretchPosture, double stretchTilt)
    {
        if (Random.Chance(0.15))
        {
            return AddFadingCramp(site, onset, duration, withProdrome);
        }

        var prodromeStart = onset;
        var increase = 0.0;
        if (withProdrome)
        {
            var lead = Random.Uniform(PhysiologyConstants.ProdromeMinimumSeconds, PhysiologyConstants.ProdromeMaximumSeconds);
            prodromeStart = Math.Max(0, onset - lead);

            // Mean increase 217 % with range 100–500 % (Chaney & Sherman); drawn so the mean lands near 2.2.
            increase = Math.Clamp(PhysiologyConstants.ProdromeMinimumIncrease + Random.NextGamma(2) * 0.6, PhysiologyConstants.ProdromeMinimumIncrease * 1.2, PhysiologyConstants.ProdromeMaximumIncrease * 0.9);
        }

        var stretchStart = onset + duration;
        var burst = Random.Uniform(PhysiologyConstants.StretchBurstMinimumSeconds, PhysiologyConstants.StretchBurstMaximumSeconds);
        var end = Math.Min(stretchStart + burst, Duration);
        var initial = Random.Uniform(0.2, 0.35);
        var peak = Math.Min(0.9, initial + Random.Uniform(0.15, 0.45));
        var ramp = Random.Uniform(CrampOnsetRamp.Min, CrampOnsetRamp.Max);
        var isiCv = Math.Clamp(PhysiologyConstants.CrampIsiCv + (PhysiologyConstants.CrampIsiCvSpread * Random.NextGaussian()), 0.3, 0.62);
        var rateGain = PhysiologyConstants.CrampRateGainPps * Random.Uniform(0.7, 1.3);
        Plan.Cramps.Add(new CrampEpisode(site, prodromeStart, DriveStart(onset, initial, ramp), stretchStart, end, initial, peak, increase)
        {
            OnsetRampSeconds = ramp,
            IsiCv = isiCv,
            RateGainPps = rateGain,
        });

        if (withProdrome)
        {
            AddTruth(TruthKind.Prodrome, site, prodromeStart, onset);
        }

        AddTruth(TruthKind.Cramp, site, onset, end);

        // Forced stretch raises activity in all muscles of the group before silence (Ross & Thomas 1995).
        for (var other = 0; other < SiteCount; other++)
        {
            var level = Random.Uniform(0.25, 0.5) * (other == site ? 1 : 0.6);
            Plan.Drives[other].Add(new DriveSegment(other, stretchStart, end, level, 0.08) { Wobble = 0.1 });
            if (other != site)
            {
                AddTruth(TruthKind.Voluntary, other, stretchStart, end);
            }
        }

        SetPosture(stretchStart - 0.2, stretchPosture, stretchTilt, 1.2);
        return end;
    }

    private double AddFadingCramp(int site, double onset, double duration, bool withProdrome)
    {
        var prodromeStart = onset;
        var increase = 0.0;
        if (withProdrome)
        {
            prodromeStart = Math.Max(0, onset - Random.Uniform(PhysiologyConstants.ProdromeMinimumSeconds, PhysiologyConstants.ProdromeMaximumSeconds));
            increase = Math.Clamp(PhysiologyConstants.ProdromeMinimumIncrease + (Random.NextGamma(2) * 0.6), PhysiologyConstants.ProdromeMinimumIncrease * 1.2, PhysiologyConstants.ProdromeMaximumIncrease * 0.9);
        }

        var initial = Random.Uniform(0.2, 0.35);
        var peak = Math.Min(0.9, initial + Random.Uniform(0.15, 0.45));
        var ramp = Random.Uniform(CrampOnsetRamp.Min, CrampOnsetRamp.Max);
        var fade = Math.Min(Random.Uniform(2, 8), duration / 3);

        // The fade follows the cramp's duration: a cramp of the minimum that then faded over its last third was a
        // sustained contraction of only 4.4 s in its EMG although its truth said 5.03 s (night-cramp-70101 of the 70000
        // sets, both engines). The truth ends at the last discharge, where the fading drive falls below the lowest
        // recruitment threshold (as the onset is the first, DriveStart).
        var end = Math.Min(onset + duration + fade, Duration);
        var isiCv = Math.Clamp(PhysiologyConstants.CrampIsiCv + (PhysiologyConstants.CrampIsiCvSpread * Random.NextGaussian()), 0.3, 0.62);
        var rateGain = PhysiologyConstants.CrampRateGainPps * Random.Uniform(0.7, 1.3);
        Plan.Cramps.Add(new CrampEpisode(site, prodromeStart, DriveStart(onset, initial, ramp), end, end, initial, peak, increase)
        {
            OnsetRampSeconds = ramp,
            FadeSeconds = fade,
            IsiCv = isiCv,
            RateGainPps = rateGain,
        });

        if (withProdrome)
        {
            AddTruth(TruthKind.Prodrome, site, prodromeStart, onset);
        }

        AddTruth(TruthKind.Cramp, site, onset, Math.Max(Math.Min(onset + duration, end), LastDischarge(end, peak, fade)));
        return end;
    }

    /// <summary>
    /// When the fading drive of a cramp that ends on its own at <paramref name="driveEnd"/> (a smoothstep down over
    /// <paramref name="fadeSeconds"/> from <paramref name="peakIntensity"/>) falls below the lowest recruitment
    /// threshold, FullRecruitmentExcitation / RecruitmentRange (Fuglevand 1993, unit 1): the last discharge, the end of the
    /// contraction, as <see cref="DriveStart"/> gives the first.
    /// </summary>
    internal static double LastDischarge(double driveEnd, double peakIntensity, double fadeSeconds)
    {
        var level = PhysiologyConstants.FullRecruitmentExcitation / PhysiologyConstants.RecruitmentRange / peakIntensity;
        return level >= 1 ? driveEnd - fadeSeconds : driveEnd - (InverseSmoothstep(level) * fadeSeconds);
    }

    /// <summary>
    /// When the cramp's drive must start so that its first motor unit discharges at the truth onset. The drive
    /// rises as a smoothstep over the ramp and the lowest recruitment threshold is
    /// FullRecruitmentExcitation / RecruitmentRange (Fuglevand 1993, unit 1), so nothing is in the EMG until the
    /// drive crosses it; the truth onset is where the contraction begins, the first discharge, not the start of
    /// an invisible ramp. Never before the recording starts.
    /// </summary>
    internal static double DriveStart(double firstDischarge, double initialIntensity, double rampSeconds)
    {
        var level = PhysiologyConstants.FullRecruitmentExcitation / PhysiologyConstants.RecruitmentRange / initialIntensity;
        if (level >= 1)
        {
            return firstDischarge;
        }

        return Math.Max(0, firstDischarge - (InverseSmoothstep(level) * rampSeconds));
    }

    /// <summary>The x in [0, 1] with x²(3 − 2x) = <paramref name="level"/> (0 ≤ level ≤ 1), by bisection (monotonic there).</summary>
    private static double InverseSmoothstep(double level)
    {
        double low = 0, high = 1;
        for (var i = 0; i < 40; i++)
        {
            var mid = 0.5 * (low + high);
            if (mid * mid * (3 - (2 * mid)) < level)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return 0.5 * (low + high);
    }

    public void AddTruth(TruthKind kind, int site, double start, double end)
    {
        start = Math.Max(0, start);
        end = Math.Min(end, Duration);
        if (end > start)
        {
            Plan.Truth.Add(new TruthInterval(kind, Sites[site], start, end));
        }
    }

    /// <summary>Picks the site a cramp happens on, weighted by how often each muscle cramps.</summary>
    public int PickCrampSite(bool nocturnal)
    {
        var weights = new double[SiteCount];
        for (var i = 0; i < SiteCount; i++)
        {
            weights[i] = (Roles[i], nocturnal) switch
            {
                // Nocturnal cramps: mostly gastrocnemius, then foot, seldom thigh (BMJ Best Practice; Hallegraeff 2017).
                (MuscleRole.Calf, true) => 1.0,
                (MuscleRole.Foot, true) => 0.4,
                (MuscleRole.Hamstring or MuscleRole.Quadriceps, true) => 0.05,

                // Exercise cramps, 161-km ultramarathon (PMC4532703): calf 54 %, quadriceps 44 %, hamstrings 33 %.
                (MuscleRole.Calf, false) => PhysiologyConstants.ExerciseCrampWeightCalf,
                (MuscleRole.Quadriceps, false) => PhysiologyConstants.ExerciseCrampWeightQuadriceps,
                (MuscleRole.Hamstring, false) => PhysiologyConstants.ExerciseCrampWeightHamstring,
                (MuscleRole.Foot, false) => 0.1,
                _ => 0.01,
            };
        }

        var total = weights.Sum();
        var pick = Random.NextDouble() * total;
        for (var i = 0; i < SiteCount; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return i;
            }
        }

        return SiteCount - 1;
    }

    private void AddTonicWithWobble(int site, double start, double end, double level, double ramp)
    {
        end = Math.Min(end, Duration);
        if (end <= start)
        {
            return;
        }

        Plan.Drives[site].Add(new DriveSegment(site, start, end, level, ramp) { Wobble = Random.Uniform(0.03, 0.1) });
        AddTruth(TruthKind.Voluntary, site, start, end);
    }
}

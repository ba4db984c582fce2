using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation.Planning;

/// <summary>Plans one scenario's activities into <paramref name="b"/> over [<paramref name="start"/>, <paramref name="end"/>) seconds.</summary>
internal delegate void ScenarioPlanner(PlanBuilder b, double start, double end);

/// <summary>The activity plans of the scenarios. Each fills a time span, so the mixed scenario can chain them.</summary>
internal static class ScenarioPlanners
{
    public static void Rest(PlanBuilder b, double start, double end)
    {
        var posture = b.Random.Chance(0.5) ? Posture.Sitting : Posture.Standing;
        var baseTilt = posture == Posture.Sitting ? b.Random.Uniform(10, 30) : b.Random.Uniform(-5, 5);
        b.SetPosture(start, posture, baseTilt, 1.5);

        // Fidgeting: small posture shifts without muscle activity worth labelling.
        var t = start + b.Random.Uniform(60, 300);
        while (t < end - 5)
        {
            b.SetPosture(t, posture, baseTilt + b.Random.Uniform(-6, 6), b.Random.Uniform(0.5, 2));
            t += b.Random.Uniform(60, 300);
        }
    }

    public static void Sleep(PlanBuilder b, double start, double end)
    {
        if (b.CurrentPosture is not (Posture.LyingSupine or Posture.LyingLeft or Posture.LyingRight) || b.Plan.Postures.Count == 0)
        {
            b.SetPosture(start, Posture.LyingSupine, 0, 2);
        }

        // Turning over in bed every 8–25 min: a brief, low, multi-site burst and a new lying orientation.
        var t = start + b.Random.Uniform(300, 1500);
        while (t < end - 10)
        {
            var length = b.Random.Uniform(1, 3);
            var level = b.Random.Uniform(0.05, 0.2);
            for (var site = 0; site < b.SiteCount; site++)
            {
                b.AddTonic(site, t, t + (length * b.Random.Uniform(0.6, 1)), level * b.Random.Uniform(0.4, 1), 0.3);
            }

            var next = (Posture)(2 + b.Random.NextInt(3));
            b.SetPosture(t, next, b.Random.Uniform(-10, 10), length);
            t += b.Random.Uniform(480, 1500);
        }
    }

    public static void NightCramp(PlanBuilder b, double start, double end)
    {
        var span = end - start;
        var count = Math.Max(1, (int)(span / 1200));
        var slot = span / count;
        for (var k = 0; k < count; k++)
        {
            var slotStart = start + (k * slot);
            var slotEnd = slotStart + slot;
            var withProdrome = b.Random.Chance(0.75);
            var lead = withProdrome ? PhysiologyConstants.ProdromeMaximumSeconds + 3 : 5;
            const double Tail = 20;
            var available = Math.Max(PhysiologyConstants.CrampMinimumSeconds, slot - lead - Tail - PhysiologyConstants.StretchBurstMaximumSeconds);
            var duration = b.Random.LogUniform(PhysiologyConstants.CrampMinimumSeconds, Math.Min(PhysiologyConstants.CrampMaximumSeconds, available) + 1e-9);
            var onset = slotStart + lead + b.Random.Uniform(0, available - duration);

            // The rule: no evidence of intent in the QuietBeforeCrampSeconds before an onset. After another
            // segment's activity or the return to bed of the last cramp, the onset waits (by at most 5 s, inside the
            // tail), without new draws, so plans that already kept the quiet are unchanged.
            onset = Math.Max(onset, b.IntentContextEnd(slotStart) + PhysiologyConstants.QuietBeforeCrampSeconds);

            Sleep(b, slotStart, onset - lead);
            var site = b.PickCrampSite(nocturnal: true);

            // Body still through the cramp; the stretch is sitting up and pulling the foot up (dorsiflexion).
            var crampEnd = b.AddCramp(site, onset, duration, withProdrome, Posture.Sitting, b.Random.Uniform(40, 70));
            var backToBed = Math.Min(crampEnd + b.Random.Uniform(8, 18), slotEnd);
            b.SetPosture(backToBed, Posture.LyingSupine, 0, 2);
            Sleep(b, backToBed + 1, slotEnd);
        }
    }

    public static void Walking(PlanBuilder b, double start, double end) => Gait(b, start, end, RhythmKind.Walking);

    public static void Running(PlanBuilder b, double start, double end) => Gait(b, start, end, RhythmKind.Running);

    public static void Cycling(PlanBuilder b, double start, double end)
    {
        b.SetPosture(start, Posture.Sitting, b.Random.Uniform(25, 40), 1.5);
        var t = start + b.Random.Uniform(3, 15);
        while (t < end - 10)
        {
            var bout = Math.Min(b.Random.Uniform(180, 600), end - t);
            b.AddRhythmBout(RhythmKind.Cycling, t, t + bout, b.Random.Uniform(1.0, 1.5), 1, CyclingLevel);
            t += bout + b.Random.Uniform(10, 60);
        }
    }

    public static void ExerciseCramp(PlanBuilder b, double start, double end)
    {
        var cycling = b.Random.Chance(0.4);
        var exerciseEnd = start + ((end - start) * b.Random.Uniform(0.65, 0.8));
        if (cycling)
        {
            b.SetPosture(start, Posture.Sitting, 30, 1.5);
            b.AddRhythmBout(RhythmKind.Cycling, start + 3, exerciseEnd, b.Random.Uniform(1.0, 1.5), 1, CyclingLevel);
        }
        else
        {
            b.SetPosture(start, Posture.Standing, 0, 1.5);
            b.AddRhythmBout(RhythmKind.Running, start + 3, exerciseEnd, b.Random.Uniform(1.3, 1.5), 1, RunningLevel);
        }

        // The athlete stops and stands (or sits) still; the cramp comes late in the effort.
        var stopAt = b.Plan.Rhythms[^1].End;
        b.SetPosture(stopAt, cycling ? Posture.Sitting : Posture.Standing, cycling ? 20 : 0, 1);
        // Still for a while before the cramp: gait or a posture change just before the onset is evidence of intent,
        // and by the product's rule a contraction with it is not a cramp.
        var onset = stopAt + b.Random.Uniform(PhysiologyConstants.QuietBeforeCrampSeconds, PhysiologyConstants.QuietBeforeCrampSeconds + 4);
        var available = Math.Max(PhysiologyConstants.CrampMinimumSeconds, end - onset - 25);
        var duration = b.Random.LogUniform(PhysiologyConstants.CrampMinimumSeconds, Math.Min(180, available) + 1e-9);
        var site = b.PickCrampSite(nocturnal: false);
        var crampEnd = b.AddCramp(site, onset, duration, false, cycling ? Posture.Sitting : Posture.Standing, b.Random.Uniform(20, 50));
        var after = crampEnd + b.Random.Uniform(8, 20);
        if (after < end)
        {
            b.SetPosture(after, cycling ? Posture.Sitting : Posture.Standing, 0, 1.5);
        }
    }

    public static void VoluntaryHolds(PlanBuilder b, double start, double end)
    {
        var posture = b.Random.Chance(0.5) ? Posture.Sitting : Posture.Standing;
        b.SetPosture(start, posture, posture == Posture.Sitting ? 20 : 0, 1.5);
        var t = start + b.Random.Uniform(3, 15);
        while (t < end - 4)
        {
            var hold = Math.Min(b.Random.LogUniform(2, 60), end - t - 2);
            if (hold < 2)
            {
                break;
            }

            b.AddHold(t, hold, PickVoluntarySite(b));
            t += hold + b.Random.Uniform(5, 40);
        }
    }

    /// <summary>The wearer's habit (<see cref="VoluntaryHabit"/>): lying still, a hold every 20–90 s.</summary>
    public static void HabitHolds(PlanBuilder b, double start, double end)
    {
        b.SetPosture(start, Posture.LyingSupine, 0, 1.5);
        var t = start + b.Random.Uniform(5, 20);
        while (t < end - b.Habit!.MinimumSeconds - 5)
        {
            t = b.AddHabitHold(t) + b.Random.Uniform(20, 90);
        }
    }

    public static void ShortContractions(PlanBuilder b, double start, double end)
    {
        var posture = (Posture)b.Random.NextInt(3);
        b.SetPosture(start, posture, posture == Posture.Sitting ? 20 : 0, 1.5);
        var t = start + b.Random.Uniform(2, 10);
        while (t < end - 5)
        {
            var duration = b.Random.Uniform(0.3, PhysiologyConstants.ShortContractionMaximumSeconds);
            b.AddShortContraction(t, duration);
            t += duration + b.Random.Uniform(4, 30);
        }
    }

    /// <summary>
    /// Calibration session: rest, then on each site in turn three maximal voluntary contractions of 3–5 s with
    /// a minute's rest between (the usual MVC protocol; durations are a model choice).
    /// </summary>
    public static void MaxContractions(PlanBuilder b, double start, double end)
    {
        var posture = b.Random.Chance(0.5) ? Posture.Sitting : Posture.Standing;
        b.SetPosture(start, posture, posture == Posture.Sitting ? 20 : 0, 1.5);
        var t = start + b.Random.Uniform(10, 20);
        for (var site = 0; site < b.SiteCount && t < end - 6; site++)
        {
            for (var trial = 0; trial < 3 && t < end - 6; trial++)
            {
                // Below the short-contraction limit (4.8 s), so a maximal effort never looks like a sustained contraction.
                var length = b.Random.Uniform(3, PhysiologyConstants.ShortContractionMaximumSeconds);
                b.AddMaximalContraction(site, t, length);
                t += length + b.Random.Uniform(30, 60);
            }
        }
    }

    /// <summary>An hour of daily life: segments of the other scenarios chained.</summary>
    public static void Mixed(PlanBuilder b, double start, double end)
    {
        ScenarioPlanner[] parts = [Rest, Sleep, NightCramp, Walking, Running, Cycling, VoluntaryHolds, ShortContractions, ExerciseCramp];
        double[] minimum = [30, 60, 90, 30, 30, 30, 30, 30, 150];
        var t = start;
        while (t < end - 1)
        {
            var length = Math.Min(b.Random.Uniform(180, 900), end - t);
            if (end - t - length < 60)
            {
                length = end - t;
            }

            int pick;
            do
            {
                pick = b.Random.NextInt(parts.Length);
            }
            while (minimum[pick] > length && pick != 0);

            parts[pick](b, t, t + length);
            t += length;
        }
    }

    private static void Gait(PlanBuilder b, double start, double end, RhythmKind kind)
    {
        b.SetPosture(start, Posture.Standing, 0, 1.5);
        var t = start + b.Random.Uniform(3, 15);
        while (t < end - 10)
        {
            var bout = Math.Min(kind == RhythmKind.Walking ? b.Random.Uniform(60, 300) : b.Random.Uniform(120, 600), end - t);

            // Stride (one leg's cycle) frequency: walking ~0.85–1.0 Hz, running ~1.3–1.5 Hz (model choice from
            // typical cadences of 100–120 and 160–180 steps/min).
            var strideHz = kind == RhythmKind.Walking ? b.Random.Uniform(0.85, 1.0) : b.Random.Uniform(1.3, 1.5);
            b.AddRhythmBout(kind, t, t + bout, strideHz, kind == RhythmKind.Walking ? 1 : 2.2, kind == RhythmKind.Walking ? WalkingLevel : RunningLevel);
            t += bout + b.Random.Uniform(10, 60);
        }
    }

    // Burst peak excitation per muscle (fraction of maximal). Model choice: walking needs roughly 20–40 %,
    // running 40–70 % of maximal activity in the leg muscles.
    private static double WalkingLevel(MuscleRole role) => role switch
    {
        MuscleRole.Calf => 0.35,
        MuscleRole.Shin => 0.25,
        MuscleRole.Hamstring => 0.25,
        MuscleRole.Quadriceps => 0.2,
        MuscleRole.Foot => 0.2,
        MuscleRole.Arm => 0.05,
        _ => 0.2,
    };

    private static double RunningLevel(MuscleRole role) => role switch
    {
        MuscleRole.Calf => 0.65,
        MuscleRole.Shin => 0.45,
        MuscleRole.Hamstring => 0.5,
        MuscleRole.Quadriceps => 0.55,
        MuscleRole.Foot => 0.4,
        MuscleRole.Arm => 0.1,
        _ => 0.4,
    };

    private static double CyclingLevel(MuscleRole role) => role switch
    {
        MuscleRole.Quadriceps => 0.45,
        MuscleRole.Hamstring => 0.3,
        MuscleRole.Calf => 0.25,
        MuscleRole.Shin => 0.2,
        MuscleRole.Foot => 0.2,
        MuscleRole.Arm => 0.1,
        _ => 0.25,
    };

    private static int PickVoluntarySite(PlanBuilder b)
    {
        for (var tries = 0; tries < 4; tries++)
        {
            var site = b.Random.NextInt(b.SiteCount);
            if (MuscleRoles.IsLeg(b.Roles[site]))
            {
                return site;
            }
        }

        return b.Random.NextInt(b.SiteCount);
    }
}

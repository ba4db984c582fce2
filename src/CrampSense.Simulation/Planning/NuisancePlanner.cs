using CrampSense.Signals.Recordings;
using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation.Planning;

/// <summary>Nuisance settings with every value decided (scenario defaults merged with the request).</summary>
internal sealed record ResolvedNuisances(
    double HumMicrovolts,
    double HumBurstsPerHour,
    double WanderMicrovolts,
    double MotionPerHour,
    double PopsPerHour,
    double LeadOffsPerHour,
    double DropoutsPerHour,
    bool ColdSkin)
{
    /// <summary>Scenario defaults are ranges' typical values: they are varied per seed so subjects differ; request
    /// overrides are taken as given.</summary>
    public static ResolvedNuisances Resolve(NuisanceOptions defaults, NuisanceOptions? overrides, SimulationRandom random)
    {
        double Pick(double? requested, double? fallback) => requested ?? (fallback ?? 0) * random.Uniform(0.3, 1.5);
        return new ResolvedNuisances(
            Pick(overrides?.HumMicrovolts, defaults.HumMicrovolts),
            Pick(overrides?.HumBurstsPerHour, defaults.HumBurstsPerHour),
            Pick(overrides?.BaselineWanderMicrovolts, defaults.BaselineWanderMicrovolts),
            Pick(overrides?.MotionArtifactsPerHour, defaults.MotionArtifactsPerHour),
            Pick(overrides?.ElectrodePopsPerHour, defaults.ElectrodePopsPerHour),
            Pick(overrides?.LeadOffsPerHour, defaults.LeadOffsPerHour),
            Pick(overrides?.DroppedSamplesPerHour, defaults.DroppedSamplesPerHour),
            overrides?.ColdSkin ?? defaults.ColdSkin ?? false);
    }
}

/// <summary>Places nuisances at their rates over the whole recording, keeping lead-offs off cramp sites.</summary>
internal static class NuisancePlanner
{
    /// <summary>How long a motion artifact's accelerometer jolt lasts after its start, s (BodyModel draws 2 s).</summary>
    private const double MotionJoltSeconds = 2;

    public static void Add(PlanBuilder b, ResolvedNuisances n)
    {
        var plan = b.Plan;
        var random = b.Random;
        plan.HumMicrovolts = n.HumMicrovolts;
        plan.WanderMicrovolts = n.WanderMicrovolts;
        var allSites = b.SiteCount >= 64 ? ulong.MaxValue : (1UL << b.SiteCount) - 1;

        foreach (var start in PoissonTimes(random, n.MotionPerHour, b.Duration))
        {
            // Motion artifacts: < 20 Hz transients (De Luca et al. 2010) on some or all sites, with an IMU spike.
            var mask = random.Chance(0.5) ? allSites : RandomMask(random, b.SiteCount);
            var duration = random.Uniform(0.2, 1.5);
            var motion = new ArtifactEvent(ArtifactKind.Motion, mask, start, duration, random.Uniform(0.1, 1.0), random.Uniform(2, 15), random.Uniform(0.5, 3));

            // A jolt on the accelerometer is evidence of intent: none may fall around a cramp's onset (the
            // product's rule), so such a draw is dropped (after its values are drawn, so later events keep theirs).
            if (plan.Cramps.Any(c => start + duration + MotionJoltSeconds > c.Onset - PhysiologyConstants.QuietBeforeCrampSeconds && start < c.Onset + PhysiologyConstants.CrampMinimumSeconds + 1))
            {
                continue;
            }

            plan.Artifacts.Add(motion);
            AddTruth(b, mask, TruthKind.Artifact, start, start + duration);
        }

        foreach (var start in PoissonTimes(random, n.PopsPerHour, b.Duration))
        {
            var site = random.NextInt(b.SiteCount);
            var tau = random.Uniform(0.05, 0.3);
            var amplitude = random.Uniform(0.3, 2.0) * (random.Chance(0.5) ? 1 : -1);
            plan.Artifacts.Add(new ArtifactEvent(ArtifactKind.ElectrodePop, 1UL << site, start, 5 * tau, amplitude, tau, 0));
            b.AddTruth(TruthKind.Artifact, site, start, start + (5 * tau));
        }

        foreach (var start in PoissonTimes(random, n.HumBurstsPerHour, b.Duration))
        {
            var duration = random.Uniform(5, 60);
            plan.Artifacts.Add(new ArtifactEvent(ArtifactKind.HumBurst, allSites, start, duration, random.Uniform(0.05, 0.4), 0, 0));
            AddTruth(b, allSites, TruthKind.Artifact, start, start + duration);
        }

        foreach (var start in PoissonTimes(random, n.LeadOffsPerHour, b.Duration))
        {
            var site = random.NextInt(b.SiteCount);
            var end = Math.Min(start + random.Uniform(5, 60), b.Duration);

            // A faulty channel must never carry a cramp: skip lead-offs that would overlap one on that site.
            // Nor does a lead-off start while the channel is already off.
            if (plan.Cramps.Any(c => c.Site == site && c.ProdromeStart < end && c.End > start)
                || plan.LeadOffs.Any(l => l.Site == site && l.Start < end && l.End > start))
            {
                continue;
            }

            var mode = (LeadOffMode)random.NextInt(3);
            plan.LeadOffs.Add(new LeadOffEvent(site, start, end, mode, random.Uniform(-0.05, 0.05)));
            b.AddTruth(TruthKind.Fault, site, start, end);
        }

        foreach (var start in PoissonTimes(random, n.DropoutsPerHour, b.Duration))
        {
            // Stalls of the acquisition loop: 5–200 ms (model choice), all channels at once.
            var end = Math.Min(start + random.LogUniform(0.005, 0.2), b.Duration);
            if (plan.Dropouts.Count > 0 && plan.Dropouts[^1].End >= start)
            {
                continue;
            }

            plan.Dropouts.Add((start, end));
            AddTruth(b, allSites, TruthKind.Fault, start, end);
        }

        if (n.ColdSkin)
        {
            var length = Math.Min(b.Duration * 0.6, random.Uniform(300, 1200));
            var start = random.Uniform(0, b.Duration - length);
            plan.ColdEpisodes.Add(new ColdEpisode(start, start + length, random.Uniform(5, 9)));
        }
    }

    private static IEnumerable<double> PoissonTimes(SimulationRandom random, double perHour, double duration)
    {
        if (perHour <= 0)
        {
            yield break;
        }

        var t = random.NextExponential(3600 / perHour);
        while (t < duration - 0.5)
        {
            yield return t;
            t += random.NextExponential(3600 / perHour);
        }
    }

    private static ulong RandomMask(SimulationRandom random, int siteCount)
    {
        var mask = 1UL << random.NextInt(siteCount);
        for (var i = 0; i < siteCount; i++)
        {
            if (random.Chance(0.3))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    private static void AddTruth(PlanBuilder b, ulong mask, TruthKind kind, double start, double end)
    {
        for (var site = 0; site < b.SiteCount; site++)
        {
            if ((mask & (1UL << site)) != 0)
            {
                b.AddTruth(kind, site, start, end);
            }
        }
    }
}

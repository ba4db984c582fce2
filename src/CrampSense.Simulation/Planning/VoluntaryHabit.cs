namespace CrampSense.Simulation.Planning;

/// <summary>
/// A wearer's own voluntary habit, drawn once per wearer (<see cref="SimulationRequest.WearerSeed"/>) and repeated in
/// every recording of that wearer (the <c>habit-holds</c> scenario): a long hold of one site with no co-activation, no
/// movement and no posture change (pressing the foot against the bed's end, bracing the calf while reading), with the
/// wearer's consistent level, ramp and steadiness. Without context such a hold is a cramp by the product's rule; only the
/// wearer's answers (rejected clips) can teach the detector otherwise (issue 16 §5). Ranges are model choices: levels and
/// ramps inside the voluntary holds' (0.2–0.7 of maximal drive, 0.3–1 s) and cramps' (0.5–3 s) ranges, so some wearers'
/// habits look like their cramps and some do not.
/// </summary>
/// <param name="Site">Index of the held site.</param>
/// <param name="Level">Drive level of the hold (fraction of maximal), the same ±8 % each time.</param>
/// <param name="RampSeconds">Rise time, the same ±15 % each time.</param>
/// <param name="Wobble">Slow fluctuation of the drive (steadiness).</param>
/// <param name="MinimumSeconds">Shortest hold.</param>
/// <param name="MaximumSeconds">Longest hold.</param>
internal sealed record VoluntaryHabit(int Site, double Level, double RampSeconds, double Wobble, double MinimumSeconds, double MaximumSeconds)
{
    public static VoluntaryHabit Draw(int siteCount, SimulationRandom random)
    {
        var site = random.NextInt(siteCount);
        var level = random.Uniform(0.15, 0.6);
        var ramp = random.Uniform(0.3, 2.5);
        var wobble = random.Uniform(0.02, 0.1);
        var minimum = random.Uniform(8, 15);
        return new VoluntaryHabit(site, level, ramp, wobble, minimum, minimum + random.Uniform(5, 30));
    }
}

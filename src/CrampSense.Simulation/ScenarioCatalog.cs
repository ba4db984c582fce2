using System.Diagnostics.CodeAnalysis;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation.Planning;

namespace CrampSense.Simulation;

/// <summary>The scenarios the simulator can render (<c>crampsense scenarios</c> lists them).</summary>
public static class ScenarioCatalog
{
    private static readonly string[] LegSites = ["calf", "shin", "hamstring", "quadriceps"];

    private static readonly Entry[] Entries =
    [
        new(
            new ScenarioDescription("rest", "Awake and still (sitting or standing): noise floor, rare fasciculations, fidgeting.", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(10), LegSites, [TruthKind.Artifact]),
            Nuisance(hum: 3, wander: 10, motion: 2, pops: 1),
            ScenarioPlanners.Rest),
        new(
            new ScenarioDescription("sleep", "Lying asleep: noise floor, fasciculations, turning over every 8–25 min.", TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(10), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 5, motion: 0.5, pops: 0.5),
            ScenarioPlanners.Sleep),
        new(
            new ScenarioDescription("night-cramp", "Nocturnal calf cramp (one per 20 min): optional prodrome, 5 s–10 min of irregular discharge on one site, stretch burst, silence.", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(90), LegSites, [TruthKind.Prodrome, TruthKind.Cramp, TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 5, motion: 0.5, pops: 0.5),
            ScenarioPlanners.NightCramp),
        new(
            new ScenarioDescription("walking", "Walking bouts with gait-locked bursts and the accelerometer's stride rhythm, standing pauses.", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 40, motion: 20, pops: 2),
            ScenarioPlanners.Walking),
        new(
            new ScenarioDescription("running", "Running bouts: strong gait-locked bursts, heel-strike impacts on the accelerometer.", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 60, motion: 40, pops: 3),
            ScenarioPlanners.Running),
        new(
            new ScenarioDescription("cycling", "Seated pedalling bouts with crank-locked bursts (quadriceps, hamstring, calf).", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 20, motion: 6, pops: 2),
            ScenarioPlanners.Cycling),
        new(
            new ScenarioDescription("exercise-cramp", "Long run or ride, then an exercise-associated cramp (calf, quadriceps or hamstring) after stopping.", TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(150), LegSites, [TruthKind.Cramp, TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 40, motion: 20, pops: 2),
            ScenarioPlanners.ExerciseCramp),
        new(
            new ScenarioDescription("voluntary-holds", "Sustained voluntary holds of 2–60 s with synergist co-activation and a posture change: not cramps.", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 3, wander: 10, motion: 4, pops: 1),
            ScenarioPlanners.VoluntaryHolds),
        new(
            new ScenarioDescription("habit-holds", "One wearer's voluntary habit (--wearer-seed): long holds of one site, no co-activation, no movement, no posture change; a cramp by the rule until the wearer's rejections teach otherwise.", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(60), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 5, motion: 0.5, pops: 0.5),
            ScenarioPlanners.HabitHolds),
        new(
            new ScenarioDescription("short-contractions", "Short voluntary contractions (0.3–4.5 s) at rest, one or several sites, with or without movement.", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 3, wander: 10, motion: 4, pops: 1),
            ScenarioPlanners.ShortContractions),
        new(
            new ScenarioDescription("max-contractions", "Calibration: rest, then three maximal voluntary contractions of 3–5 s per site (for crampsense calibrate --max).", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Voluntary, TruthKind.Artifact]),
            Nuisance(hum: 2, wander: 10, motion: 2, pops: 0.5),
            ScenarioPlanners.MaxContractions),
        new(
            new ScenarioDescription("nuisances", "Rest with frequent nuisances: hum and hum bursts, wander, motion artifacts, pops, lead-offs, cold skin.", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30), LegSites, [TruthKind.Artifact, TruthKind.Fault]),
            new NuisanceOptions { HumMicrovolts = 15, HumBurstsPerHour = 6, BaselineWanderMicrovolts = 60, MotionArtifactsPerHour = 30, ElectrodePopsPerHour = 12, LeadOffsPerHour = 6, ColdSkin = true },
            ScenarioPlanners.Rest),
        new(
            new ScenarioDescription("mixed", "Daily life: segments of every other scenario chained, cramps included.", TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(60), LegSites, [TruthKind.Prodrome, TruthKind.Cramp, TruthKind.Voluntary, TruthKind.Artifact, TruthKind.Fault]),
            Nuisance(hum: 4, wander: 20, motion: 8, pops: 2, leadOffs: 0.5, humBursts: 0.5),
            ScenarioPlanners.Mixed),
    ];

    /// <summary>Every scenario, in a stable order.</summary>
    public static IReadOnlyList<ScenarioDescription> All { get; } = Entries.Select(e => e.Description).ToArray();

    /// <summary>Looks a scenario up by name (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out ScenarioDescription? scenario)
    {
        var entry = Find(name);
        scenario = entry?.Description;
        return entry is not null;
    }

    internal static Entry? Find(string? name) =>
        name is null ? null : Array.Find(Entries, e => string.Equals(e.Description.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    private static NuisanceOptions Nuisance(double hum, double wander, double motion, double pops, double leadOffs = 0, double humBursts = 0) => new()
    {
        HumMicrovolts = hum,
        HumBurstsPerHour = humBursts,
        BaselineWanderMicrovolts = wander,
        MotionArtifactsPerHour = motion,
        ElectrodePopsPerHour = pops,
        LeadOffsPerHour = leadOffs,
        ColdSkin = false,
    };

    internal sealed record Entry(ScenarioDescription Description, NuisanceOptions DefaultNuisances, ScenarioPlanner Planner);
}

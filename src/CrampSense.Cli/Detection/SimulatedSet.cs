using System.Globalization;
using CrampSense.Simulation;

namespace CrampSense.Cli.Detection;

/// <summary>One simulated recording of a training, validation or evaluation set.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Seed">Simulator seed (a different simulated subject per seed).</param>
/// <param name="Duration">Length.</param>
/// <param name="Sites">EMG sites.</param>
/// <param name="SampleRateHz">EMG sample rate.</param>
/// <param name="WithAccelerometer">False to drop the accelerometer (teaches the no-IMU case).</param>
/// <param name="Group">The subject group for the train/validation split.</param>
internal sealed record SimulatedRecordingSpec(string Scenario, int Seed, TimeSpan Duration, IReadOnlyList<string> Sites, double SampleRateHz, bool WithAccelerometer, int Group)
{
    /// <summary>The engine that renders the EMG.</summary>
    public SimulationEngine Engine { get; init; } = SimulationEngine.MotorUnit;

    /// <summary>Randomised front end; null = the engine's default (<see cref="SimulationRequest.RandomiseFrontEnd"/>).</summary>
    public bool? RandomiseFrontEnd { get; init; }

    /// <summary>The wearer (<see cref="SimulationRequest.WearerSeed"/>); null = the wearer of <see cref="Seed"/>.</summary>
    public int? WearerSeed { get; init; }

    public SimulationRequest ToRequest() => new()
    {
        WearerSeed = WearerSeed,
        Engine = Engine,
        RandomiseFrontEnd = RandomiseFrontEnd,
        Scenario = Scenario,
        Seed = Seed,
        Duration = Duration,
        Sites = Sites,
        SampleRateHz = SampleRateHz,
        MainsFrequencyHz = (Seed & 1) == 0 ? 50 : 60,
    };

    public string FileName => string.Create(CultureInfo.InvariantCulture, $"{Scenario}-{Seed}.csv");
}

/// <summary>
/// Plans sets of simulated recordings: many subjects (seeds), every scenario, sites from one to four, with and
/// without accelerometer, sample rates 500–2000 Hz, so the model cannot lean on one configuration. Seeds of a set
/// are <c>seedBase + 100·cycle + entry</c>; sets with seed bases far apart never share a subject.
/// </summary>
internal static class SimulatedSet
{
    private static readonly string[] AllSites = ["calf", "shin", "hamstring", "quadriceps"];

    // (scenario, minutes): one training cycle, weighted towards cramps (4 per cycle) and the activity most like them.
    private static readonly (string Scenario, double Minutes)[] TrainingCycle =
    [
        ("night-cramp", 3), ("exercise-cramp", 3), ("voluntary-holds", 4), ("short-contractions", 3),
        ("walking", 2), ("running", 2), ("night-cramp", 2.5), ("cycling", 2), ("rest", 2), ("sleep", 2),
        ("nuisances", 3), ("exercise-cramp", 3), ("mixed", 4),
    ];

    // One evaluation cycle (78 min): every scenario, five cramps, nuisances at the scenario defaults plus the nuisance scenario.
    private static readonly (string Scenario, double Minutes)[] EvaluationCycle =
    [
        ("night-cramp", 4), ("night-cramp", 4), ("night-cramp", 4), ("exercise-cramp", 3), ("exercise-cramp", 3),
        ("walking", 5), ("running", 5), ("cycling", 5), ("voluntary-holds", 10), ("short-contractions", 5),
        ("rest", 5), ("sleep", 10), ("nuisances", 5), ("mixed", 10),
    ];

    /// <summary>A training or validation set of about <paramref name="hours"/> hours.</summary>
    /// <param name="hours">Planned length before <paramref name="exclude"/> is applied.</param>
    /// <param name="seedBase">First seed.</param>
    /// <param name="exclude">Scenarios left out (a held-out scenario test); the others keep their seeds.</param>
    /// <param name="engine">The engine of every recording; null = alternate the engines.</param>
    /// <param name="randomise">Randomised front ends; null = each engine's default.</param>
    public static IReadOnlyList<SimulatedRecordingSpec> Training(double hours, int seedBase, IReadOnlyCollection<string>? exclude = null, SimulationEngine? engine = SimulationEngine.MotorUnit, bool? randomise = null) =>
        Plan(TrainingCycle, hours, seedBase, varied: true, engine, randomise)
            .Where(s => exclude is null || !exclude.Contains(s.Scenario, StringComparer.OrdinalIgnoreCase))
            .ToArray();

    /// <summary>
    /// An evaluation set of about <paramref name="hours"/> hours: every scenario and nuisance; all four sites at
    /// 1 kHz with the accelerometer, or, for recordings with a randomised front end, 1–4 sites (calf always) at
    /// 500, 1000 or 2000 Hz (the accelerometer always there: it is the context the rule needs).
    /// </summary>
    /// <param name="hours">Total length.</param>
    /// <param name="seedBase">First seed.</param>
    /// <param name="engine">The engine of every recording; null = alternate the engines.</param>
    /// <param name="randomise">Randomised front ends; null = each engine's default.</param>
    public static IReadOnlyList<SimulatedRecordingSpec> Evaluation(double hours, int seedBase, SimulationEngine? engine = SimulationEngine.MotorUnit, bool? randomise = null) =>
        Plan(EvaluationCycle, hours, seedBase, varied: false, engine, randomise);

    private static List<SimulatedRecordingSpec> Plan((string Scenario, double Minutes)[] cycle, double hours, int seedBase, bool varied, SimulationEngine? engine, bool? randomise)
    {
        var specs = new List<SimulatedRecordingSpec>();
        double total = 0;
        double budget = hours * 3600;
        for (int c = 0; total < budget - 1; c++)
        {
            for (int e = 0; e < cycle.Length && total < budget - 1; e++)
            {
                int seed = checked(seedBase + (100 * c) + e);
                var (scenario, minutes) = cycle[e];
                var random = new Random(seed);
                var sites = AllSites;
                bool accelerometer = true;
                double rate = 1000;
                if (varied)
                {
                    double pick = random.NextDouble();
                    sites = pick < 0.2 ? ["calf"] : pick < 0.45 ? ["calf", AllSites[1 + random.Next(3)]] : AllSites;
                    if (scenario == "exercise-cramp" && sites.Length == 1)
                    {
                        sites = ["calf", "hamstring", "quadriceps"];
                    }

                    accelerometer = random.NextDouble() >= 0.2;

                    // One site and no accelerometer leaves no evidence of intent: by the design rule a sustained
                    // contraction is then a cramp, so voluntary activity recorded that way is no negative example.
                    if (sites.Length == 1 && !accelerometer && !scenario.Contains("cramp", StringComparison.Ordinal))
                    {
                        accelerometer = true;
                    }
                    double ratePick = random.NextDouble();
                    rate = ratePick < 0.1 ? 500 : ratePick < 0.2 ? 2000 : 1000;
                }

                // Mixed sets alternate the engines recording by recording, shifted each cycle so every scenario gets both.
                var recordingEngine = engine ?? ((c + e) % 2 == 0 ? SimulationEngine.MotorUnit : SimulationEngine.Stochastic);
                var randomised = randomise ?? recordingEngine == SimulationEngine.Stochastic;
                if (randomised && !varied)
                {
                    // A stream apart from the training variation's, so these draws never shift its choices.
                    var layout = new Random(seed ^ 0x5EED);
                    var others = AllSites.Skip(1).OrderBy(_ => layout.Next()).ToArray();
                    sites = [AllSites[0], .. others.Take(layout.Next(4))];
                    rate = layout.Next(3) switch { 0 => 500, 1 => 1000, _ => 2000 };
                }

                var duration = TimeSpan.FromSeconds(Math.Round(minutes * 60));
                specs.Add(new SimulatedRecordingSpec(scenario, seed, duration, sites, rate, accelerometer, c) { Engine = recordingEngine, RandomiseFrontEnd = randomise });
                total += duration.TotalSeconds;
            }
        }

        return specs;
    }
}

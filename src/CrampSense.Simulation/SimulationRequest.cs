using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Simulation;

/// <summary>
/// What to simulate. Maps one to one onto <c>crampsense simulate</c>: <c>--scenario</c>, <c>--duration</c>,
/// <c>--seed</c>, <c>--sites</c>, <c>--sample-rate</c>, <c>--mains</c> and the nuisance options; the messages
/// of <see cref="Validate"/> name those options.
/// </summary>
public sealed record SimulationRequest
{
    /// <summary>Lowest supported EMG sample rate, Hz.</summary>
    public const double MinimumSampleRateHz = 200;

    /// <summary>Highest supported EMG sample rate, Hz.</summary>
    public const double MaximumSampleRateHz = 10_000;

    /// <summary>Longest recording, so that a typo cannot ask for a year of data.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromHours(48);

    /// <summary>Most EMG sites in one recording.</summary>
    public const int MaximumSites = 16;

    /// <summary>Scenario name from <see cref="ScenarioCatalog.All"/> (<c>--scenario</c>).</summary>
    public required string Scenario { get; init; }

    /// <summary>Recording length (<c>--duration</c>); null = the scenario's default.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Seed (<c>--seed</c>): the same request gives bit-identical frames; another seed another subject and plan.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The wearer (<c>--wearer-seed</c>): when set, the subject, the randomised front end and the wearer's voluntary habit
    /// (the <c>habit-holds</c> scenario) come from this seed, and only the plan and the rendering from <see cref="Seed"/>,
    /// so several recordings are of one person; null = the wearer of <see cref="Seed"/>.
    /// </summary>
    public int? WearerSeed { get; init; }

    /// <summary>EMG sites in column order (<c>--sites</c>); null = the scenario's default.</summary>
    public IReadOnlyList<string>? Sites { get; init; }

    /// <summary>EMG sample rate in Hz (<c>--sample-rate</c>), the rate of the rows.</summary>
    public double SampleRateHz { get; init; } = 1000;

    /// <summary>Mains frequency of the hum, 50 or 60 Hz (<c>--mains</c>).</summary>
    public double MainsFrequencyHz { get; init; } = 50;

    /// <summary>Nuisance overrides; null = the scenario's defaults.</summary>
    public NuisanceOptions? Nuisances { get; init; }

    /// <summary>How the EMG is rendered (<c>--engine</c>); both engines render the same plan and truth.</summary>
    public SimulationEngine Engine { get; init; } = SimulationEngine.MotorUnit;

    /// <summary>
    /// Randomise the front end and each site's spectrum, gain and floor widely from the seed (<c>--randomise</c>;
    /// ranges in <see cref="FrontEndRandomisation"/>): null = the engine's default, on for
    /// <see cref="SimulationEngine.Stochastic"/>, off for <see cref="SimulationEngine.MotorUnit"/> (whose
    /// recordings for a seed stay as they were before randomisation existed). An explicit <c>--hum-uv</c> wins
    /// over the randomised hum.
    /// </summary>
    public bool? RandomiseFrontEnd { get; init; }

    /// <summary>Whether this request's front end is randomised (<see cref="RandomiseFrontEnd"/> resolved).</summary>
    public bool IsFrontEndRandomised => RandomiseFrontEnd ?? Engine == SimulationEngine.Stochastic;

    /// <summary>Checks every option and returns one message per problem (empty when the request is usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        ScenarioDescription? scenario = null;
        if (string.IsNullOrWhiteSpace(Scenario))
        {
            errors.Add($"--scenario: a scenario name is required; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
        }
        else if (!ScenarioCatalog.TryGet(Scenario, out scenario))
        {
            errors.Add($"--scenario: unknown scenario '{Scenario}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
        }

        if (Duration is { } duration)
        {
            if (duration <= TimeSpan.Zero || duration > MaximumDuration)
            {
                errors.Add($"--duration: {duration} is out of range; use more than 0 and at most {MaximumDuration.TotalHours.ToString(CultureInfo.InvariantCulture)} h.");
            }
            else if (scenario is not null && duration < scenario.MinimumDuration)
            {
                errors.Add($"--duration: scenario '{scenario.Name}' needs at least {scenario.MinimumDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, got {duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
        }

        if (Sites is not null)
        {
            if (Sites.Count == 0)
            {
                errors.Add("--sites: give at least one site (for example calf,hamstring).");
            }
            else if (Sites.Count > MaximumSites)
            {
                errors.Add($"--sites: {Sites.Count} sites given; at most {MaximumSites} are supported.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var site in Sites)
            {
                if (!RecordingLayout.IsValidSite(site))
                {
                    errors.Add($"--sites: '{site}' is not a valid site name; use lower-case letters, digits and '_' (for example calf, calf_left).");
                }
                else if (!seen.Add(site))
                {
                    errors.Add($"--sites: '{site}' appears twice.");
                }
            }
        }

        if (!double.IsFinite(SampleRateHz) || SampleRateHz < MinimumSampleRateHz || SampleRateHz > MaximumSampleRateHz)
        {
            errors.Add($"--sample-rate: {SampleRateHz.ToString(CultureInfo.InvariantCulture)} Hz is out of range; use {MinimumSampleRateHz.ToString(CultureInfo.InvariantCulture)} to {MaximumSampleRateHz.ToString(CultureInfo.InvariantCulture)} Hz.");
        }

        if (MainsFrequencyHz is not (50 or 60))
        {
            errors.Add($"--mains: {MainsFrequencyHz.ToString(CultureInfo.InvariantCulture)} Hz is not a mains frequency; use 50 or 60.");
        }

        if (!Enum.IsDefined(Engine))
        {
            errors.Add($"--engine: '{Engine}' is not an engine; use {string.Join(" or ", SimulationEngines.Names)}.");
        }

        if (Nuisances is not null)
        {
            errors.AddRange(Nuisances.Validate());
        }

        return errors;
    }
}

namespace CrampSense.Simulation;

/// <summary>One simulator scenario as listed by <c>crampsense scenarios</c>.</summary>
/// <param name="Name">Name used on the command line (<c>--scenario</c>), e.g. <c>night-cramp</c>.</param>
/// <param name="Summary">One-line description of what the recording contains.</param>
/// <param name="DefaultDuration">Length used when the request gives none.</param>
/// <param name="MinimumDuration">Shortest length the scenario can be planned in.</param>
/// <param name="DefaultSites">Sites used when the request gives none.</param>
/// <param name="TruthKinds">Kinds of ground-truth interval the scenario produces with its default nuisances
/// (nuisance overrides can add <c>artifact</c> and <c>fault</c> to any scenario).</param>
public sealed record ScenarioDescription(
    string Name,
    string Summary,
    TimeSpan DefaultDuration,
    TimeSpan MinimumDuration,
    IReadOnlyList<string> DefaultSites,
    IReadOnlyList<Signals.Recordings.TruthKind> TruthKinds);

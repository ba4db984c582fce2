namespace CrampSense.Detection.Evaluation;

/// <summary>Maps a simulator scenario name (a recording's <c>scenario=</c> metadata) to the <see cref="ScenarioKind"/> its false alarms count under.</summary>
public static class ScenarioKinds
{
    /// <summary>
    /// rest, sleep, night-cramp, nuisances and anything unknown (real recordings included) → rest/sleep, the
    /// strictest target; walking, running, cycling, exercise-cramp and mixed (daily life, with exercise) →
    /// exercise; voluntary-holds and short-contractions → voluntary holds.
    /// </summary>
    public static ScenarioKind FromScenarioName(string? scenario) => scenario?.Trim().ToLowerInvariant() switch
    {
        "walking" or "running" or "cycling" or "exercise-cramp" or "mixed" => ScenarioKind.Exercise,
        "voluntary-holds" or "short-contractions" => ScenarioKind.VoluntaryHolds,
        _ => ScenarioKind.RestSleep,
    };
}

using System.Text.Json.Serialization;

namespace CrampSense.Detection.Evaluation;

/// <summary>What kind of activity a recording holds; false alarms are reported per kind because the targets differ.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScenarioKind>))]
public enum ScenarioKind
{
    /// <summary>Rest or sleep (target ≤ 0.2 false alarms per hour).</summary>
    [JsonStringEnumMemberName("rest_sleep")]
    RestSleep,

    /// <summary>Exercise: walking, running, cycling (target ≤ 1 false alarm per hour).</summary>
    [JsonStringEnumMemberName("exercise")]
    Exercise,

    /// <summary>Voluntary holds and other deliberate contractions (target ≤ 1 false alarm per hour).</summary>
    [JsonStringEnumMemberName("voluntary_holds")]
    VoluntaryHolds,
}

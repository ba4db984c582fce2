using System.Text.Json.Serialization;

namespace CrampSense.Coaching;

/// <summary>What a <see cref="CoachPrompt"/> asks the user to do; its JSON <c>kind</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptKind>))]
public enum PromptKind
{
    /// <summary>Stop and stretch the cramping muscle (sent on <c>cramp_started</c>).</summary>
    [JsonStringEnumMemberName("stretch")]
    Stretch,

    /// <summary>Drink water with electrolytes (after a cramp, during and after long exercise).</summary>
    [JsonStringEnumMemberName("hydrate")]
    Hydrate,

    /// <summary>Rest the muscle after a severe cramp.</summary>
    [JsonStringEnumMemberName("rest")]
    Rest,

    /// <summary>Cramps are frequent, long or come with weakness: have them checked by a doctor.</summary>
    [JsonStringEnumMemberName("see_doctor")]
    SeeDoctor,

    /// <summary>Evening reminder to stretch calves and hamstrings before sleep (users with night cramps).</summary>
    [JsonStringEnumMemberName("bedtime_stretch")]
    BedtimeStretch,
}

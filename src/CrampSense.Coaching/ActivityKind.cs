using System.Text.Json.Serialization;

namespace CrampSense.Coaching;

/// <summary>What the wearer is doing, as the host judges it (from the IMU, the clock or the user).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivityKind>))]
public enum ActivityKind
{
    /// <summary>Awake and not exercising.</summary>
    [JsonStringEnumMemberName("rest")]
    Rest,

    /// <summary>Asleep or in bed.</summary>
    [JsonStringEnumMemberName("sleep")]
    Sleep,

    /// <summary>Exercising (running, cycling, a match, a workout).</summary>
    [JsonStringEnumMemberName("exercise")]
    Exercise,
}

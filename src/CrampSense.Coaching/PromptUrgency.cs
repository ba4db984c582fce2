using System.Text.Json.Serialization;

namespace CrampSense.Coaching;

/// <summary>How urgent a <see cref="CoachPrompt"/> is; its JSON <c>urgency</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptUrgency>))]
public enum PromptUrgency
{
    /// <summary>A reminder that can wait (hydration during exercise, bedtime stretch).</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Advice that belongs to something that just happened (after a cramp, see a doctor).</summary>
    [JsonStringEnumMemberName("normal")]
    Normal,

    /// <summary>Act now: a cramp is running.</summary>
    [JsonStringEnumMemberName("high")]
    High,
}

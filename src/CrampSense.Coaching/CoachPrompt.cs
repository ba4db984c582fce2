using System.Text.Json.Serialization;

namespace CrampSense.Coaching;

/// <summary>One piece of advice from the <see cref="CrampCoach"/>, ready to publish or show.</summary>
/// <remarks>
/// The <see cref="Id"/> depends only on what triggered the prompt, never on when the coach happened to run:
/// <c>&lt;event id&gt;:&lt;kind&gt;</c> for prompts caused by a cramp event (e.g. <c>pi-01:calf:cramp:12500:stretch</c>),
/// <c>&lt;device&gt;:&lt;kind&gt;:&lt;reason&gt;:&lt;UTC due time in Unix ms&gt;</c> for timed reminders and
/// <c>&lt;device&gt;:bedtime_stretch:&lt;local date&gt;</c> for the bedtime reminder. Replaying the same events
/// with the same clock therefore gives the same ids, and a consumer can drop duplicates.
/// </remarks>
public sealed record CoachPrompt
{
    /// <summary>Stable, unique id (see remarks).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>What the prompt asks for.</summary>
    [JsonPropertyName("kind")]
    public required PromptKind Kind { get; init; }

    /// <summary>The muscle site it is about; null for prompts not tied to one site (hydration reminders, bedtime).</summary>
    [JsonPropertyName("site")]
    public string? Site { get; init; }

    /// <summary>How urgent it is.</summary>
    [JsonPropertyName("urgency")]
    public required PromptUrgency Urgency { get; init; }

    /// <summary>Short title (a notification headline), in the coach's language.</summary>
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    /// <summary>The advice itself, in the coach's language.</summary>
    [JsonPropertyName("text")]
    public required string Text { get; init; }

    /// <summary>Name of the vibration pattern to play (<see cref="HapticPattern"/>).</summary>
    [JsonPropertyName("haptic")]
    public required string HapticPattern { get; init; }

    /// <summary>When the coach issued it (UTC, from the injected clock).</summary>
    [JsonPropertyName("created")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The id of the cramp event that caused it, if any.</summary>
    [JsonPropertyName("trigger_id")]
    public string? TriggerId { get; init; }

    /// <summary>The wire name of <paramref name="kind"/> (<c>stretch</c>, <c>hydrate</c>, <c>rest</c>, <c>see_doctor</c>, <c>bedtime_stretch</c>).</summary>
    public static string KindName(PromptKind kind) => kind switch
    {
        PromptKind.Stretch => "stretch",
        PromptKind.Hydrate => "hydrate",
        PromptKind.Rest => "rest",
        PromptKind.SeeDoctor => "see_doctor",
        PromptKind.BedtimeStretch => "bedtime_stretch",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prompt kind."),
    };
}

using System.Text.Json.Serialization;

namespace CrampSense.Detection.Calibration;

/// <summary>The profile file as written, before validation. Every member is nullable so that a missing one can be named.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PersonalProfileDocument
{
    [JsonPropertyName("version")]
    public int? Version { get; set; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; set; }

    [JsonPropertyName("device")]
    public string? Device { get; set; }

    [JsonPropertyName("sites")]
    public Dictionary<string, SiteCalibrationDocument?>? Sites { get; set; }

    [JsonPropertyName("habits")]
    public List<HabitDocument?>? Habits { get; set; }
}

/// <summary>One learnt habit of the profile file, before validation.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class HabitDocument
{
    [JsonPropertyName("site")]
    public string? Site { get; set; }

    [JsonPropertyName("examples")]
    public int? Examples { get; set; }

    [JsonPropertyName("log_mean_over_floor")]
    public double[]? LogMeanOverFloor { get; set; }

    [JsonPropertyName("log_peak_over_mean")]
    public double[]? LogPeakOverMean { get; set; }

    // Absent in profiles written before it existed: such a habit vetoes (PersonalHabit.ConfirmAfterSeconds).
    [JsonPropertyName("confirm_after_s")]
    public double? ConfirmAfterSeconds { get; set; }
}

/// <summary>One site of the profile file, before validation.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class SiteCalibrationDocument
{
    [JsonPropertyName("rest_floor_uv")]
    public double? RestFloorMicrovolts { get; set; }

    [JsonPropertyName("max_voluntary_uv")]
    public double? MaxVoluntaryMicrovolts { get; set; }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(PersonalProfileDocument))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrampSense.Detection.Evaluation;

/// <summary>One true cramp paired with the detection that found it. Times in s.</summary>
public sealed record CrampMatch
{
    [JsonPropertyName("site")]
    public required string Site { get; init; }

    [JsonPropertyName("id")]
    public required string DetectionId { get; init; }

    [JsonPropertyName("true_onset_s")]
    public required double TrueOnsetSeconds { get; init; }

    [JsonPropertyName("true_end_s")]
    public required double TrueEndSeconds { get; init; }

    [JsonPropertyName("onset_s")]
    public required double OnsetSeconds { get; init; }

    [JsonPropertyName("confirmed_s")]
    public required double ConfirmedSeconds { get; init; }

    [JsonPropertyName("end_s")]
    public required double EndSeconds { get; init; }

    /// <summary>Confirmation latency: confirmed − true onset.</summary>
    [JsonPropertyName("latency_s")]
    public double LatencySeconds => ConfirmedSeconds - TrueOnsetSeconds;

    /// <summary>Onset error: reported onset − true onset (negative when reported early).</summary>
    [JsonPropertyName("onset_error_s")]
    public double OnsetErrorSeconds => OnsetSeconds - TrueOnsetSeconds;

    /// <summary>Duration error: reported duration − true duration.</summary>
    [JsonPropertyName("duration_error_s")]
    public double DurationErrorSeconds => (EndSeconds - OnsetSeconds) - (TrueEndSeconds - TrueOnsetSeconds);
}

/// <summary>Event-level counts and rates, for one file or pooled over many. Ratios are null when undefined (0/0).</summary>
public sealed record EventMetrics
{
    [JsonPropertyName("true_cramps")]
    public required int TrueCramps { get; init; }

    [JsonPropertyName("detected_cramps")]
    public required int DetectedCramps { get; init; }

    [JsonPropertyName("matched")]
    public required int Matched { get; init; }

    [JsonPropertyName("missed")]
    public int Missed => TrueCramps - Matched;

    [JsonPropertyName("false_alarms")]
    public int FalseAlarms => DetectedCramps - Matched;

    /// <summary>Time not covered by any true cramp, in hours.</summary>
    [JsonPropertyName("non_cramp_hours")]
    public required double NonCrampHours { get; init; }

    /// <summary>matched / true cramps.</summary>
    [JsonPropertyName("recall")]
    public required double? Recall { get; init; }

    /// <summary>matched / detected cramps.</summary>
    [JsonPropertyName("precision")]
    public required double? Precision { get; init; }

    /// <summary>2·matched / (true cramps + detected cramps).</summary>
    [JsonPropertyName("f1")]
    public required double? F1 { get; init; }

    /// <summary>False alarms per hour of non-cramp time.</summary>
    [JsonPropertyName("false_alarms_per_hour")]
    public required double? FalseAlarmsPerHour { get; init; }

    [JsonPropertyName("latency_median_s")]
    public required double? LatencyMedianSeconds { get; init; }

    [JsonPropertyName("latency_p95_s")]
    public required double? LatencyP95Seconds { get; init; }

    [JsonPropertyName("onset_error_median_s")]
    public required double? OnsetErrorMedianSeconds { get; init; }

    /// <summary>Median of |detected onset − true onset| over matched cramps, s (null when none matched).</summary>
    [JsonPropertyName("onset_abs_error_median_s")]
    public double? OnsetAbsoluteErrorMedianSeconds { get; init; }

    /// <summary>90th percentile of |detected onset − true onset| over matched cramps, s (null when none matched).</summary>
    [JsonPropertyName("onset_abs_error_p90_s")]
    public double? OnsetAbsoluteErrorP90Seconds { get; init; }

    [JsonPropertyName("duration_error_median_s")]
    public required double? DurationErrorMedianSeconds { get; init; }
}

/// <summary>The evaluation of one recording: a row of the per-file table.</summary>
public sealed record FileEvaluation
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("scenario")]
    public required ScenarioKind Scenario { get; init; }

    [JsonPropertyName("duration_s")]
    public required double DurationSeconds { get; init; }

    [JsonPropertyName("metrics")]
    public required EventMetrics Metrics { get; init; }

    [JsonPropertyName("matches")]
    public required IReadOnlyList<CrampMatch> Matches { get; init; }
}

/// <summary>False alarms pooled over the files of one scenario kind.</summary>
public sealed record ScenarioFalseAlarms
{
    [JsonPropertyName("scenario")]
    public required ScenarioKind Scenario { get; init; }

    [JsonPropertyName("files")]
    public required int Files { get; init; }

    [JsonPropertyName("non_cramp_hours")]
    public required double NonCrampHours { get; init; }

    [JsonPropertyName("false_alarms")]
    public required int FalseAlarms { get; init; }

    [JsonPropertyName("false_alarms_per_hour")]
    public required double? FalseAlarmsPerHour { get; init; }
}

/// <summary>The evaluation of a set of recordings: per-file rows, pooled totals and false alarms per scenario kind.</summary>
public sealed record EvaluationReport
{
    [JsonPropertyName("files")]
    public required IReadOnlyList<FileEvaluation> Files { get; init; }

    /// <summary>All matches of all files pooled (micro-averaged).</summary>
    [JsonPropertyName("totals")]
    public required EventMetrics Totals { get; init; }

    [JsonPropertyName("by_scenario")]
    public required IReadOnlyList<ScenarioFalseAlarms> ByScenario { get; init; }

    /// <summary>The report as indented JSON (what <c>crampsense evaluate --json</c> writes).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IndentedDetectionJsonContext.Default.EvaluationReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid report; the message gives line and column.</exception>
    public static EvaluationReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, DetectionJsonContext.Default.EvaluationReport)
                ?? throw new FormatException("Expected a JSON object for an evaluation report, got null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not a valid evaluation report at line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }
}

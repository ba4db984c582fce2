using System.Text.Json.Serialization;
using CrampSense.Detection.Evaluation;

namespace CrampSense.Detection;

/// <summary>Source-generated JSON metadata for the detection types (no reflection, trimming-safe); compact output for event lines.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CrampEvent))]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class DetectionJsonContext : JsonSerializerContext;

/// <summary>
/// The same metadata, writing indented JSON: reports and profiles are read by people too. Nulls are written (an
/// undefined recall is <c>null</c>, not missing), so a report with undefined metrics reads back.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class IndentedDetectionJsonContext : JsonSerializerContext;

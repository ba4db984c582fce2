using System.Text.Json.Serialization;

namespace CrampSense.Detection;

/// <summary>Source-generated JSON metadata for the detection types (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CrampEvent))]
internal sealed partial class DetectionJsonContext : JsonSerializerContext;

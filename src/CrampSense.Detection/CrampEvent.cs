using System.Text.Json;
using System.Text.Json.Serialization;
using CrampSense.Signals.Features;

namespace CrampSense.Detection;

/// <summary>
/// One detector event, as printed by <c>crampsense replay</c> (one JSON object per line) and published by the
/// service. Times are seconds from the start of the recording. Fields that do not apply to an event's type are
/// null and left out of the JSON.
/// </summary>
/// <remarks>
/// The <see cref="Id"/> is <c>device:site:kind:onset_ms</c> (kind is <c>cramp</c>, <c>warning</c> or
/// <c>fault</c>; onset_ms the onset in whole milliseconds). It depends only on the input, so replaying the same
/// recording, or re-sending an event after a lost acknowledgement, gives the same id and a consumer can drop
/// duplicates. The <c>cramp_started</c> and <c>cramp_ended</c> events of one cramp carry the same id.
/// </remarks>
public sealed record CrampEvent
{
    /// <summary>What the event reports.</summary>
    [JsonPropertyName("type")]
    public required CrampEventKind Type { get; init; }

    /// <summary>Stable event id; shared by the started/ended pair of one cramp.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The wearable that produced the event.</summary>
    [JsonPropertyName("device")]
    public required string Device { get; init; }

    /// <summary>Muscle site (a recording site name such as <c>calf</c>).</summary>
    [JsonPropertyName("site")]
    public required string Site { get; init; }

    /// <summary>
    /// Where it began: for a cramp the start of the contraction (back-dated, not the confirmation); for a warning
    /// the start of the raised activity; for a fault the start of the faulty signal.
    /// </summary>
    [JsonPropertyName("onset_s")]
    public required double OnsetSeconds { get; init; }

    /// <summary>When the detector was sure: the cramp reached the minimum duration, the warning pattern lasted long enough, the fault was seen.</summary>
    [JsonPropertyName("confirmed_s")]
    public double? ConfirmedSeconds { get; init; }

    /// <summary>End of the cramp (start of the final quiet stretch); only on <c>cramp_ended</c>.</summary>
    [JsonPropertyName("end_s")]
    public double? EndSeconds { get; init; }

    /// <summary><c>end_s − onset_s</c> for an ended cramp; <c>confirmed_s − onset_s</c> for a started cramp and a warning.</summary>
    [JsonPropertyName("duration_s")]
    public double? DurationSeconds { get; init; }

    /// <summary>Highest window envelope during the event, µV.</summary>
    [JsonPropertyName("peak_uv")]
    public double? PeakMicrovolts { get; init; }

    /// <summary>Mean window envelope during the event's active windows, µV.</summary>
    [JsonPropertyName("mean_uv")]
    public double? MeanMicrovolts { get; init; }

    /// <summary>The rest floor the ratios are relative to, µV.</summary>
    [JsonPropertyName("rest_floor_uv")]
    public double? RestFloorMicrovolts { get; init; }

    /// <summary><see cref="PeakMicrovolts"/> as a multiple of the rest floor.</summary>
    [JsonPropertyName("peak_x_floor")]
    public double? PeakTimesRestFloor { get; init; }

    /// <summary><see cref="MeanMicrovolts"/> as a multiple of the rest floor.</summary>
    [JsonPropertyName("mean_x_floor")]
    public double? MeanTimesRestFloor { get; init; }

    /// <summary><see cref="PeakMicrovolts"/> in % of the calibrated maximal voluntary contraction; only with a profile.</summary>
    [JsonPropertyName("peak_pct_max")]
    public double? PeakPercentOfMax { get; init; }

    /// <summary><see cref="MeanMicrovolts"/> in % of the calibrated maximal voluntary contraction; only with a profile.</summary>
    [JsonPropertyName("mean_pct_max")]
    public double? MeanPercentOfMax { get; init; }

    /// <summary>Mean of the windows' mean frequencies, Hz.</summary>
    [JsonPropertyName("mean_freq_hz")]
    public double? MeanFrequencyHz { get; init; }

    /// <summary>Mean of the windows' median frequencies, Hz.</summary>
    [JsonPropertyName("median_freq_hz")]
    public double? MedianFrequencyHz { get; init; }

    /// <summary>Mean skin temperature over the event, °C; null when no temperature was measured.</summary>
    [JsonPropertyName("skin_temp_c")]
    public double? SkinTemperatureCelsius { get; init; }

    /// <summary>Model confidence: the mean cramp probability over the cramp's active windows, 0–1.</summary>
    [JsonPropertyName("confidence")]
    public double? Confidence { get; init; }

    /// <summary>Version of the model that scored the windows.</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>Why the cramp ended; only on <c>cramp_ended</c>.</summary>
    [JsonPropertyName("end_reason")]
    public CrampEndReason? EndReason { get; init; }

    /// <summary>The quality problems seen (<c>railed</c>, <c>flat</c>, <c>nan</c>, <c>dropped_samples</c>, <c>clipped</c>, <c>lead_off</c>, <c>spike_train</c>, <c>hum_burst</c>); only on <c>signal_fault</c>.</summary>
    [JsonPropertyName("faults")]
    public IReadOnlyList<string>? Faults { get; init; }

    /// <summary>The event as one line of JSON (no line break).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DetectionJsonContext.Default.CrampEvent);

    /// <summary>Parses one JSON line written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid event; the message says where.</exception>
    public static CrampEvent FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, DetectionJsonContext.Default.CrampEvent)
                ?? throw new FormatException("Expected a JSON object for a cramp event, got null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not a valid cramp event at column {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }

    /// <summary>The JSON names of the faults in <paramref name="flags"/>, in flag order.</summary>
    public static IReadOnlyList<string> FaultNames(SignalQuality flags)
    {
        var names = new List<string>(8);
        if ((flags & SignalQuality.Railed) != 0)
        {
            names.Add("railed");
        }

        if ((flags & SignalQuality.Flat) != 0)
        {
            names.Add("flat");
        }

        if ((flags & SignalQuality.NonFinite) != 0)
        {
            names.Add("nan");
        }

        if ((flags & SignalQuality.DroppedSamples) != 0)
        {
            names.Add("dropped_samples");
        }

        if ((flags & SignalQuality.Clipped) != 0)
        {
            names.Add("clipped");
        }

        if ((flags & SignalQuality.LeadOff) != 0)
        {
            names.Add("lead_off");
        }

        if ((flags & SignalQuality.SpikeTrain) != 0)
        {
            names.Add("spike_train");
        }

        if ((flags & SignalQuality.HumBurst) != 0)
        {
            names.Add("hum_burst");
        }

        return names;
    }
}

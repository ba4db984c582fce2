using System.Text.Json.Serialization;

namespace CrampSense.Contract;

/// <summary>Names of the payload schemas; each payload's <c>schema</c> field and its MQTT 5 user property.</summary>
public static class SchemaNames
{
    public const string Event = "crampsense.event.v1";
    public const string Prompt = "crampsense.prompt.v1";
    public const string Telemetry = "crampsense.telemetry.v1";
    public const string Fault = "crampsense.fault.v1";
    public const string Status = "crampsense.status.v1";

    /// <summary>A feedback command to the wearable (<see cref="FeedbackCommand"/>).</summary>
    public const string Feedback = "crampsense.feedback.v1";

    /// <summary>The wearable's answer to a feedback command (<see cref="FeedbackResultMessage"/>).</summary>
    public const string FeedbackResult = "crampsense.feedback_result.v1";

    /// <summary>All of them, for tests and bridges that validate every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Event, Prompt, Telemetry, Fault, Status, Feedback, FeedbackResult];
}

/// <summary>Fields every payload has.</summary>
public abstract record ContractMessage
{
    /// <summary>Unique message id; a re-sent message keeps it so consumers can drop duplicates.</summary>
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-9)]
    public required string Id { get; init; }

    /// <summary>When the message was made: ISO-8601 UTC with milliseconds (<see cref="ContractTime.Format"/>).</summary>
    [JsonPropertyName("time")]
    [JsonPropertyOrder(-8)]
    public required string Time { get; init; }

    /// <summary>The wearable (<see cref="DeviceId"/>).</summary>
    [JsonPropertyName("device")]
    [JsonPropertyOrder(-7)]
    public required string Device { get; init; }
}

/// <summary>
/// An event on <c>…/event</c>: <c>cramp_started</c>, <c>cramp_ended</c>, <c>cramp_warning</c>, or
/// <c>feedback_applied</c> (the wearer's answer about an event was applied: <see cref="Feedback"/>, <see cref="CommandId"/>).
/// </summary>
public sealed record EventMessage : ContractMessage
{
    public const string CrampStarted = "cramp_started";
    public const string CrampEnded = "cramp_ended";
    public const string CrampWarning = "cramp_warning";
    public const string FeedbackApplied = "feedback_applied";

    /// <summary><see cref="Feedback"/> of a confirmed event.</summary>
    public const string Confirmed = "confirmed";

    /// <summary><see cref="Feedback"/> of a rejected event (it was not a cramp).</summary>
    public const string Rejected = "rejected";

    /// <summary><see cref="Feedback"/> of a cramp the wearer reported (one the detector missed).</summary>
    public const string Reported = "reported";

    /// <summary>Payload schema and version: <see cref="SchemaNames.Event"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.Event;

    [JsonPropertyName("site")]
    public required string Site { get; init; }

    /// <summary><c>cramp_started</c>, <c>cramp_ended</c> or <c>cramp_warning</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The detector's event id, shared by the started/ended pair of one cramp.</summary>
    [JsonPropertyName("event_id")]
    public required string EventId { get; init; }

    [JsonPropertyName("onset_s")]
    public required double OnsetSeconds { get; init; }

    [JsonPropertyName("confirmed_s")]
    public double? ConfirmedSeconds { get; init; }

    [JsonPropertyName("end_s")]
    public double? EndSeconds { get; init; }

    [JsonPropertyName("duration_s")]
    public double? DurationSeconds { get; init; }

    [JsonPropertyName("peak_uv")]
    public double? PeakMicrovolts { get; init; }

    [JsonPropertyName("mean_uv")]
    public double? MeanMicrovolts { get; init; }

    [JsonPropertyName("peak_pct_max")]
    public double? PeakPercentOfMax { get; init; }

    [JsonPropertyName("mean_pct_max")]
    public double? MeanPercentOfMax { get; init; }

    [JsonPropertyName("skin_temp_c")]
    public double? SkinTemperatureCelsius { get; init; }

    [JsonPropertyName("confidence")]
    public double? Confidence { get; init; }

    /// <summary>One of <see cref="EndReasons"/>; only on <c>cramp_ended</c>.</summary>
    [JsonPropertyName("end_reason")]
    public string? EndReason { get; init; }

    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary><c>feedback_applied</c> only: <see cref="Confirmed"/>, <see cref="Rejected"/> or <see cref="Reported"/>.</summary>
    [JsonPropertyName("feedback")]
    public string? Feedback { get; init; }

    /// <summary><c>feedback_applied</c> only: the id of the command applied.</summary>
    [JsonPropertyName("command_id")]
    public string? CommandId { get; init; }
}

/// <summary>A coach prompt on <c>…/prompt</c>.</summary>
public sealed record PromptMessage : ContractMessage
{
    /// <summary>The prompt kinds of contract v1.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["stretch", "hydrate", "rest", "see_doctor", "bedtime_stretch"];

    /// <summary>The urgencies of contract v1, lowest first.</summary>
    public static IReadOnlyList<string> Urgencies => PromptUrgencies.All;

    /// <summary>Payload schema and version: <see cref="SchemaNames.Prompt"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.Prompt;

    /// <summary>The muscle site the prompt is about; left out for prompts about the whole body (hydration, a doctor's visit).</summary>
    [JsonPropertyName("site")]
    public string? Site { get; init; }

    /// <summary>One of <see cref="Kinds"/>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>One of <see cref="Urgencies"/>.</summary>
    [JsonPropertyName("urgency")]
    public required string Urgency { get; init; }

    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("text")]
    public required string Text { get; init; }

    /// <summary>The detector event the prompt answers, when there is one.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }
}

/// <summary>The 1 Hz per-site summary on <c>…/telemetry</c>.</summary>
public sealed record TelemetryMessage : ContractMessage
{
    /// <summary>The activity classes of contract v1.</summary>
    public static IReadOnlyList<string> Classes => TelemetryClasses.All;

    /// <summary>Payload schema and version: <see cref="SchemaNames.Telemetry"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.Telemetry;

    [JsonPropertyName("site")]
    public required string Site { get; init; }

    /// <summary>Mean EMG envelope over the second, µV.</summary>
    [JsonPropertyName("envelope_uv")]
    public required double EnvelopeMicrovolts { get; init; }

    /// <summary>The envelope in % of the calibrated maximal voluntary contraction; left out without a profile.</summary>
    [JsonPropertyName("pct_max")]
    public double? PercentOfMax { get; init; }

    /// <summary>The most likely activity class over the second (one of <see cref="Classes"/>).</summary>
    [JsonPropertyName("class")]
    public required string Class { get; init; }

    /// <summary>True while a cramp is running on the site (between <c>cramp_started</c> and <c>cramp_ended</c>).</summary>
    [JsonPropertyName("cramp_active")]
    public required bool CrampActive { get; init; }

    /// <summary>Skin temperature, °C; left out when not measured.</summary>
    [JsonPropertyName("skin_temp_c")]
    public double? SkinTemperatureCelsius { get; init; }

    /// <summary>Mean RMS of the mains hum removed from the site's EMG over the second, µV (0 without hum); left out by senders that do not measure it.</summary>
    [JsonPropertyName("hum_uv")]
    public double? HumMicrovolts { get; init; }
}

/// <summary>A sensor or signal fault on <c>…/fault</c>.</summary>
public sealed record FaultMessage : ContractMessage
{
    /// <summary>Signal quality failed on a channel (from the detector).</summary>
    public const string SignalSource = "signal";

    /// <summary>A sensor or its bus failed (ADC, thermometer, IMU).</summary>
    public const string SensorSource = "sensor";

    /// <summary>The <see cref="Site"/> of a fault of the whole device (a chip or bus that serves no one site).</summary>
    public const string DeviceSite = "device";

    /// <summary>Payload schema and version: <see cref="SchemaNames.Fault"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.Fault;

    [JsonPropertyName("site")]
    public required string Site { get; init; }

    /// <summary><see cref="SignalSource"/> or <see cref="SensorSource"/>.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Fault codes: <see cref="FaultCodes.Signal"/> for signals, <see cref="FaultCodes.Sensor"/> (or another short code) for sensors.</summary>
    [JsonPropertyName("faults")]
    public required IReadOnlyList<string> Faults { get; init; }

    /// <summary>Start of the faulty signal, s from the session start; signal faults only.</summary>
    [JsonPropertyName("onset_s")]
    public double? OnsetSeconds { get; init; }

    /// <summary>A sentence for people (which sensor, what was seen); at most <see cref="FaultCodes.DetailMaxLength"/> characters.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>The detector's event id for a signal fault.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }
}

/// <summary>
/// The retained device status on <c>…/status</c>; also the last will (<c>state</c> = <c>offline</c>). It has no site.
/// </summary>
public sealed record StatusMessage : ContractMessage
{
    public const string Online = "online";
    public const string Offline = "offline";

    /// <summary>Payload schema and version: <see cref="SchemaNames.Status"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.Status;

    /// <summary><see cref="Online"/> or <see cref="Offline"/>.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>Cramps started since local midnight; left out in the last will.</summary>
    [JsonPropertyName("cramps_today")]
    [JsonConverter(typeof(ContractInt32Converter))]
    public int? CrampsToday { get; init; }

    /// <summary>The outbox: what waits and what was dropped; left out in the last will.</summary>
    [JsonPropertyName("outbox")]
    public OutboxReport? Outbox { get; init; }
}

/// <summary>The outbox state in a status message; counts are totals since the outbox file was created.</summary>
public sealed record OutboxReport
{
    [JsonPropertyName("pending")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long Pending { get; init; }

    [JsonPropertyName("pending_bytes")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long PendingBytes { get; init; }

    [JsonPropertyName("dropped_telemetry")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long DroppedTelemetry { get; init; }

    [JsonPropertyName("dropped_fault")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long DroppedFault { get; init; }

    [JsonPropertyName("dropped_event")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long DroppedEvent { get; init; }

    [JsonPropertyName("dropped_prompt")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long DroppedPrompt { get; init; }

    /// <summary>Messages the broker refused (a PUBACK with an error reason); removed so they cannot block the queue.</summary>
    [JsonPropertyName("rejected")]
    [JsonConverter(typeof(ContractInt64Converter))]
    public required long Rejected { get; init; }
}

/// <summary>
/// The wearable's answer on <c>…/feedback/result</c> to one feedback command: <see cref="Applied"/>, or
/// <see cref="Refused"/> with the <see cref="Reason"/> and the start of the payload (a dead letter: nothing changed).
/// </summary>
public sealed record FeedbackResultMessage : ContractMessage
{
    public const string Applied = "applied";
    public const string Refused = "refused";

    /// <summary>Longest <see cref="Payload"/> quoted.</summary>
    public const int PayloadMaxLength = 1000;

    /// <summary>Payload schema and version: <see cref="SchemaNames.FeedbackResult"/>.</summary>
    [JsonPropertyName("schema")]
    [JsonPropertyOrder(-10)]
    public string Schema { get; init; } = SchemaNames.FeedbackResult;

    /// <summary><see cref="Applied"/> or <see cref="Refused"/>.</summary>
    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    /// <summary>The command's id, when it could be read.</summary>
    [JsonPropertyName("command_id")]
    public string? CommandId { get; init; }

    /// <summary>The command (one of <see cref="FeedbackCommands"/>), when it could be read.</summary>
    [JsonPropertyName("command")]
    public string? Command { get; init; }

    /// <summary>The event the command changed or made.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }

    /// <summary>Refused only: why, naming the field.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>Refused only: the start of the payload as received.</summary>
    [JsonPropertyName("payload")]
    public string? Payload { get; init; }
}

/// <summary>Source-generated JSON for the contract payloads (no reflection; compact output).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(PromptMessage))]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(FaultMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(FeedbackResultMessage))]
public sealed partial class ContractJsonContext : JsonSerializerContext;

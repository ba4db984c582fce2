using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrampSense.Bridge.Configuration;
using CrampSense.Contract;
using Json.Schema;

namespace CrampSense.Bridge.Validation;

/// <summary>
/// Checks an MQTT message against contract v1: the topic is <c>crampsense/v1/&lt;device&gt;/&lt;kind&gt;</c>, the
/// payload is UTF-8 JSON that passes the embedded JSON schema of that kind (<see cref="ContractSchemas"/>), and the
/// payload's device is the topic's. Thread-safe.
/// </summary>
public sealed class ContractPayloadValidator
{
    // Parsed once per process: JsonSchema.Net registers each schema's $id globally and refuses a second registration.
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(() =>
        SchemaNames.All.ToDictionary(n => n, n => JsonSchema.FromText(ContractSchemas.Read(n)), StringComparer.Ordinal));

    private static readonly Lazy<Dictionary<string, Func<JsonElement, bool>?>> FastChecks = new(() =>
        SchemaNames.All.ToDictionary(n => n, n =>
        {
            using var schema = JsonDocument.Parse(ContractSchemas.Read(n));
            return FastSchemaCheck.Compile(schema.RootElement);
        }, StringComparer.Ordinal));

    // A repeated property name is refused: parsers disagree on which copy counts, so its meaning is unclear.
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    private readonly Dictionary<string, JsonSchema> _schemas;
    private readonly Dictionary<string, Func<JsonElement, bool>?> _fastChecks;
    private readonly int _maxPayloadBytes;

    /// <summary>A validator refusing payloads over <paramref name="maxPayloadBytes"/>.</summary>
    public ContractPayloadValidator(int maxPayloadBytes = 64 * 1024)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _schemas = Schemas.Value;
        _fastChecks = FastChecks.Value;
    }

    /// <summary>The JsonSchema.Net schema the validator judges with (one per process; see <see cref="Schemas"/>).</summary>
    internal static JsonSchema ReferenceSchema(string schemaName) => Schemas.Value[schemaName];

    /// <summary>The parsed message, or the reason it is not a valid contract message.</summary>
    public ValidationResult Validate(string topic, ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var levels = topic.Split('/');
        if (levels.Length != 4 || $"{levels[0]}/{levels[1]}" != ContractTopics.Root)
        {
            return ValidationResult.Invalid($"topic '{topic}' is not {ContractTopics.Root}/<device>/<kind>.");
        }

        var device = levels[2];
        if (!DeviceId.IsValid(device))
        {
            return ValidationResult.Invalid($"topic '{topic}': '{device}' is not a valid device id.");
        }

        if (!BridgeTopics.SchemaByKind.TryGetValue(levels[3], out var schemaName))
        {
            return ValidationResult.Invalid($"topic '{topic}': '{levels[3]}' is not a contract topic kind ({string.Join(", ", BridgeTopics.Kinds)}).");
        }

        if (payload.Length > _maxPayloadBytes)
        {
            return ValidationResult.Invalid($"payload of {payload.Length} bytes is larger than Mqtt:MaxPayloadBytes ({_maxPayloadBytes}).");
        }

        // JSON is UTF-8 (RFC 8259 §8.1). System.Text.Json checks a string's bytes only when it decodes the string, and
        // then throws InvalidOperationException deep inside the schema check or the deserializer, so check them first.
        if (InvalidUtf8Offset(payload) is var offset and >= 0)
        {
            return ValidationResult.Invalid($"payload is not UTF-8: invalid byte sequence at byte {offset}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, ParseOptions);
        }
        catch (JsonException ex)
        {
            return ValidationResult.Invalid($"payload is not JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return ValidateDocument(document.RootElement, schemaName, device);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex.InnerException is InvalidOperationException)
            {
                // An escaped lone surrogate ("\ud800") is valid UTF-8 and valid JSON syntax, but no string.
                return ValidationResult.Invalid($"payload has a string that is not valid Unicode: {ex.Message}");
            }
            catch (JsonException ex)
            {
                // The schema and the C# types agree (ContractInteger); this is the safety net should they ever not.
                return ValidationResult.Invalid($"payload does not fit the {schemaName} types at {ex.Path}: {ex.Message}");
            }
        }
    }

    private ValidationResult ValidateDocument(JsonElement root, string schemaName, string device)
    {
        // The quick check passes nearly every payload; what it does not pass certainly, JsonSchema.Net judges.
        if (_fastChecks[schemaName]?.Invoke(root) != true)
        {
            var result = _schemas[schemaName].Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                return ValidationResult.Invalid($"payload does not match {schemaName}: {FirstError(result)}");
            }
        }

        ContractMessage message = schemaName switch
        {
            SchemaNames.Event => root.Deserialize(BridgeJsonContext.Default.EventMessage)!,
            SchemaNames.Prompt => root.Deserialize(BridgeJsonContext.Default.PromptMessage)!,
            SchemaNames.Telemetry => root.Deserialize(BridgeJsonContext.Default.TelemetryMessage)!,
            SchemaNames.Fault => root.Deserialize(BridgeJsonContext.Default.FaultMessage)!,
            _ => root.Deserialize(BridgeJsonContext.Default.StatusMessage)!,
        };
        return message.Device == device
            ? ValidationResult.Valid(message)
            : ValidationResult.Invalid($"payload device '{message.Device}' is not the topic's device '{device}'.");
    }

    /// <summary>The byte offset of the first invalid UTF-8 sequence, or -1 when the payload is UTF-8.</summary>
    private static long InvalidUtf8Offset(ReadOnlySequence<byte> payload)
    {
        ReadOnlySpan<byte> bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static string FirstError(EvaluationResults result)
    {
        foreach (var detail in result.Details ?? [])
        {
            if (detail.Errors is { Count: > 0 } errors)
            {
                var error = errors.First();
                var location = detail.InstanceLocation.ToString();
                return $"{(location.Length == 0 ? "/" : location)}: {error.Value}";
            }
        }

        return result.Errors is { Count: > 0 } top ? top.First().Value : "invalid";
    }
}

/// <summary>The outcome of <see cref="ContractPayloadValidator.Validate"/>: a message or a reason.</summary>
public readonly record struct ValidationResult(ContractMessage? Message, string? Reason)
{
    /// <summary>True when <see cref="Message"/> holds the parsed message.</summary>
    public bool IsValid => Message is not null;

    public static ValidationResult Valid(ContractMessage message) => new(message, null);

    public static ValidationResult Invalid(string reason) => new(null, reason);
}

/// <summary>Source-generated JSON for what the bridge reads and writes (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(PromptMessage))]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(FaultMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(Pipeline.DeadLetter))]
[JsonSerializable(typeof(Pipeline.BridgeStatus))]
internal sealed partial class BridgeJsonContext : JsonSerializerContext;

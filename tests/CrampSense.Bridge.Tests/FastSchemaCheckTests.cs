using System.Text.Json;
using System.Text.Json.Nodes;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;
using Json.Schema;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>
/// The quick check may only say "valid" where JsonSchema.Net (the reference) says valid: compared on every sample
/// payload and on thousands of mutations of them (fields removed, added, retyped, out of range, odd strings).
/// </summary>
public sealed class FastSchemaCheckTests
{
    // The validator's own instances: JsonSchema.Net refuses to register a schema $id twice in one process.
    private static readonly Dictionary<string, JsonSchema> Reference = SchemaNames.All.ToDictionary(n => n, ContractPayloadValidator.ReferenceSchema);

    private static Func<JsonElement, bool> Fast(string schemaName)
    {
        using var schema = JsonDocument.Parse(ContractSchemas.Read(schemaName));
        return FastSchemaCheck.Compile(schema.RootElement) ?? throw new InvalidOperationException(schemaName + " did not compile");
    }

    private static IEnumerable<(string Schema, ContractMessage Message)> Samples() =>
    [
        (SchemaNames.Event, TestMessages.Started("pi-01", 1)), (SchemaNames.Event, TestMessages.Ended("pi-01", 2)),
        (SchemaNames.Event, TestMessages.Warning("pi-01", 3)), (SchemaNames.Prompt, TestMessages.Prompt("pi-01", 4)),
        (SchemaNames.Prompt, TestMessages.Prompt("pi-01", 4, "hydrate") with { Site = null, EventId = null }),
        (SchemaNames.Telemetry, TestMessages.Telemetry("pi-01", 5)), (SchemaNames.Fault, TestMessages.Fault("pi-01", 6)),
        (SchemaNames.Status, TestMessages.Status("pi-01", 7)),
        (SchemaNames.Status, new StatusMessage { Id = "w", Time = "2026-11-26T02:00:00.000Z", Device = "pi-01", State = StatusMessage.Offline }),
    ];

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1.5), JsonValue.Create(1e300), JsonValue.Create(2.0),
        JsonValue.Create(""), JsonValue.Create("x"), JsonValue.Create("PI 01"), JsonValue.Create("abc\n"), JsonValue.Create("é"),
        JsonValue.Create(new string('a', 300)), JsonValue.Create(true), new JsonArray(), new JsonArray("railed", "flat"),
        new JsonArray(1), new JsonObject(), JsonValue.Create("2026-11-26T02:00:00Z"), JsonValue.Create("crampsense.event.v1"),
        JsonValue.Create("cramp_started"), JsonValue.Create("stretch"), JsonValue.Create("online"), JsonValue.Create("rest"),
        // Numbers whose notation or size tests what an integer is (ContractInteger): the parsed nodes keep the literal.
        JsonNode.Parse("1E2"), JsonNode.Parse("7.0"), JsonNode.Parse("1e400"), JsonNode.Parse("3000000000"),
        JsonNode.Parse("9007199254740991.4"), JsonNode.Parse("1.0000000000000000001"), JsonNode.Parse("1e-400"),
    ];

    [Fact]
    public void Compile_EveryContractSchema_IsHandled()
    {
        Assert.All(SchemaNames.All, n => Fast(n));
    }

    [Fact]
    public void Check_SamplesAndTheirMutations_NeverAcceptsWhatTheReferenceRejects()
    {
        var compared = 0;
        var acceptedBoth = 0;
        foreach (var (schemaName, message) in Samples())
        {
            var fast = Fast(schemaName);
            var original = JsonNode.Parse(TestMessages.Json(message))!.AsObject();
            foreach (var candidate in Mutations(original))
            {
                using var document = JsonDocument.Parse(candidate.ToJsonString());
                var reference = Reference[schemaName].Evaluate(document.RootElement).IsValid;
                var quick = fast(document.RootElement);
                Assert.False(quick && !reference, $"{schemaName}: the quick check accepts what the schema rejects: {candidate.ToJsonString()}");
                compared++;
                acceptedBoth += quick && reference ? 1 : 0;
            }
        }

        // The quick check must also be useful: it accepts the valid originals (and valid mutations) itself.
        Assert.True(compared > 2000, $"{compared} compared");
        Assert.True(acceptedBoth >= Samples().Count(), $"only {acceptedBoth} accepted by both");
    }

    [Fact]
    public void Check_EverySample_IsAcceptedWithoutTheReference()
    {
        foreach (var (schemaName, message) in Samples())
        {
            using var document = JsonDocument.Parse(TestMessages.Json(message));
            Assert.True(Fast(schemaName)(document.RootElement), TestMessages.Json(message));
        }
    }

    private static IEnumerable<JsonObject> Mutations(JsonObject original)
    {
        yield return (JsonObject)original.DeepClone();
        var names = original.Select(p => p.Key).ToList();
        foreach (var name in names)
        {
            var without = (JsonObject)original.DeepClone();
            without.Remove(name);
            yield return without;
            foreach (var replacement in Replacements)
            {
                var changed = (JsonObject)original.DeepClone();
                changed[name] = replacement?.DeepClone();
                yield return changed;
            }

            if (original[name] is JsonObject nested)
            {
                foreach (var inner in nested.Select(p => p.Key).ToList())
                {
                    foreach (var replacement in Replacements)
                    {
                        var changed = (JsonObject)original.DeepClone();
                        changed[name]![inner] = replacement?.DeepClone();
                        yield return changed;
                    }
                }
            }
        }

        foreach (var replacement in Replacements.Take(5))
        {
            var extra = (JsonObject)original.DeepClone();
            extra["unexpected"] = replacement?.DeepClone();
            yield return extra;
        }
    }
}

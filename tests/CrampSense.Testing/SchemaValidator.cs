using Xunit;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrampSense.Contract;
using Json.Schema;

namespace CrampSense.Testing;

/// <summary>Validates payloads against the embedded contract schemas with JsonSchema.Net.</summary>
public static class SchemaValidator
{
    private static readonly Dictionary<string, JsonSchema> Schemas = SchemaNames.All.ToDictionary(n => n, n => JsonSchema.FromText(ContractSchemas.Read(n)));

    /// <summary>Errors of <paramref name="json"/> against the schema its own <c>schema</c> field names; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        var node = JsonNode.Parse(json) ?? throw new FormatException("null JSON");
        var name = node["schema"]?.GetValue<string>() ?? throw new FormatException("payload has no schema field: " + json);
        return Errors(name, json);
    }

    public static IReadOnlyList<string> Errors(string schemaName, string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = Schemas[schemaName].Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    public static void AssertValid(string json)
    {
        var errors = Errors(json);
        Assert.True(errors.Count == 0, $"Payload does not match its schema:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}{json}");
    }
}

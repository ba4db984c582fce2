using System.Text.Json;
using System.Text.RegularExpressions;
using CrampSense.Contract;

namespace CrampSense.Bridge.Validation;

/// <summary>
/// A quick "certainly valid" test for the keywords the contract schemas use (type, const, enum, pattern, min/maxLength,
/// minimum/maximum, required, properties, additionalProperties, items, min/maxItems). It answers true only when the
/// payload certainly passes; anything else (a failure, a string with characters outside printable ASCII, a number it
/// cannot compare exactly) goes to JsonSchema.Net, which stays the judge and gives the reason.
/// </summary>
/// <remarks>
/// Why not JsonSchema.Net alone: it costs about 60 µs per payload here, which capped the bridge near 15 000 messages/s
/// on one core; this check is a few µs. A schema keyword it does not know makes <see cref="Compile"/> return null, so a
/// future contract version falls back to JsonSchema.Net instead of being checked loosely.
/// ContractPayloadValidatorTests compares both on valid and mutated payloads.
/// </remarks>
internal static class FastSchemaCheck
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "title", "description" };

    /// <summary>The check for a schema, or null when the schema uses a keyword this check does not handle.</summary>
    public static Func<JsonElement, bool>? Compile(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return _ => true;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var checks = new List<Func<JsonElement, bool>>();
        Dictionary<string, Func<JsonElement, bool>>? properties = null;
        var additionalAllowed = true;
        Func<JsonElement, bool>? additional = null;
        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case var name when Annotations.Contains(name):
                    break;
                case "type":
                    string[] types = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(t => t.GetString()!)] : [value.GetString()!];
                    checks.Add(types.Length == 1 ? e => IsType(e, types[0]) : e => types.Any(t => IsType(e, t)));
                    break;
                case "const":
                    var constant = value.Clone();
                    checks.Add(constant.ValueKind == JsonValueKind.String
                        ? e => e.ValueKind == JsonValueKind.String && e.ValueEquals(constant.GetString())
                        : e => JsonElement.DeepEquals(e, constant));
                    break;
                case "enum":
                    var options = value.EnumerateArray().Select(o => o.Clone()).ToArray();
                    checks.Add(options.All(o => o.ValueKind == JsonValueKind.String)
                        ? e => e.ValueKind == JsonValueKind.String && options.Any(o => e.ValueEquals(o.GetString()))
                        : e => options.Any(o => JsonElement.DeepEquals(e, o)));
                    break;
                case "pattern":
                    var regex = new Regex(value.GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled);
                    checks.Add(e => e.ValueKind != JsonValueKind.String || (PlainAscii(e.GetString()!) && regex.IsMatch(e.GetString()!)));
                    break;
                case "minLength":
                    var minLength = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.String || (PlainAscii(e.GetString()!) && e.GetString()!.Length >= minLength));
                    break;
                case "maxLength":
                    var maxLength = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.String || (PlainAscii(e.GetString()!) && e.GetString()!.Length <= maxLength));
                    break;
                case "minimum":
                    var minimum = value.GetDouble();
                    checks.Add(e => e.ValueKind != JsonValueKind.Number || (Exact(e, out var number) && number >= minimum));
                    break;
                case "maximum":
                    var maximum = value.GetDouble();
                    checks.Add(e => e.ValueKind != JsonValueKind.Number || (Exact(e, out var number) && number <= maximum));
                    break;
                case "minItems":
                    var minItems = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.Array || e.GetArrayLength() >= minItems);
                    break;
                case "maxItems":
                    var maxItems = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.Array || e.GetArrayLength() <= maxItems);
                    break;
                case "items":
                    var item = Compile(value);
                    if (item is null)
                    {
                        return null;
                    }

                    checks.Add(e => e.ValueKind != JsonValueKind.Array || e.EnumerateArray().All(item));
                    break;
                case "required":
                    var required = value.EnumerateArray().Select(r => r.GetString()!).ToArray();
                    checks.Add(e => e.ValueKind != JsonValueKind.Object || required.All(r => e.TryGetProperty(r, out _)));
                    break;
                case "properties":
                    properties = new Dictionary<string, Func<JsonElement, bool>>(StringComparer.Ordinal);
                    foreach (var property in value.EnumerateObject())
                    {
                        var check = Compile(property.Value);
                        if (check is null)
                        {
                            return null;
                        }

                        properties[property.Name] = check;
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.False)
                    {
                        additionalAllowed = false;
                    }
                    else if ((additional = Compile(value)) is null)
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }
        }

        if (properties is not null || !additionalAllowed || additional is not null)
        {
            var known = properties ?? [];
            checks.Add(e =>
            {
                if (e.ValueKind != JsonValueKind.Object)
                {
                    return true;
                }

                // Repeated names never get here: the validator parses with AllowDuplicateProperties = false.
                foreach (var property in e.EnumerateObject())
                {
                    if (known.TryGetValue(property.Name, out var check))
                    {
                        if (!check(property.Value))
                        {
                            return false;
                        }
                    }
                    else if (!additionalAllowed || (additional is not null && !additional(property.Value)))
                    {
                        return false;
                    }
                }

                return true;
            });
        }

        var all = checks.ToArray();
        return e =>
        {
            foreach (var check in all)
            {
                if (!check(e))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private static bool IsType(JsonElement element, string type) => type switch
    {
        "object" => element.ValueKind == JsonValueKind.Object,
        "array" => element.ValueKind == JsonValueKind.Array,
        "string" => element.ValueKind == JsonValueKind.String,
        "boolean" => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => element.ValueKind == JsonValueKind.Null,
        "number" => element.ValueKind == JsonValueKind.Number && Exact(element, out _),
        // JSON Schema judges the value, not the notation: 1.0 and 1E2 are integers (ContractInteger).
        "integer" => element.ValueKind == JsonValueKind.Number && (element.TryGetInt64(out _) || (Exact(element, out var number) && ContractInteger.TryGetValue(number, out _))),
        _ => false,
    };

    /// <summary>
    /// The number as a double when that is exact enough to compare with the schema's bounds (finite, ≤ 2^53, and the
    /// literal's decimal value itself: JsonSchema.Net tests "integer" on the double but compares bounds on the decimal, so
    /// 9007199254740991.4 is a whole double yet above 9007199254740991; such numbers go to JsonSchema.Net).
    /// </summary>
    private static bool Exact(JsonElement element, out double number)
    {
        if (element.TryGetInt64(out var integer) && Math.Abs(integer) <= 9_007_199_254_740_992L)
        {
            number = integer;
            return true;
        }

        return element.TryGetDouble(out number) && double.IsFinite(number) && Math.Abs(number) <= 9_007_199_254_740_992d
            && element.TryGetDecimal(out var literal) && (decimal)number == literal;
    }

    /// <summary>Printable ASCII only: then string length, code points and regex semantics agree between .NET and ECMA-262.</summary>
    private static bool PlainAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}

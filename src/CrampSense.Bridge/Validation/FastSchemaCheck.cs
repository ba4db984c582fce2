using System.Runtime.InteropServices;
using System.Text;
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
                    checks.Add(types.Length == 1 ? e => IsType(e, types[0]) : e => AnyType(e, types));
                    break;
                case "const":
                    var constant = value.Clone();
                    var constantUtf8 = constant.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(constant.GetString()!) : null;
                    checks.Add(constantUtf8 is not null
                        ? e => e.ValueKind == JsonValueKind.String && e.ValueEquals(constantUtf8)
                        : e => JsonElement.DeepEquals(e, constant));
                    break;
                case "enum":
                    var options = value.EnumerateArray().Select(o => o.Clone()).ToArray();
                    byte[][] optionsUtf8 = options.All(o => o.ValueKind == JsonValueKind.String) ? [.. options.Select(o => Encoding.UTF8.GetBytes(o.GetString()!))] : [];
                    checks.Add(optionsUtf8.Length == options.Length
                        ? e => e.ValueKind == JsonValueKind.String && AnyEquals(e, optionsUtf8)
                        : e => options.Any(o => JsonElement.DeepEquals(e, o)));
                    break;
                case "pattern":
                    var regex = new Regex(value.GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled);
                    checks.Add(e => e.ValueKind != JsonValueKind.String || WithPlainAscii(e, regex, static (text, regex) => regex.IsMatch(text)));
                    break;
                case "minLength":
                    var minLength = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.String || WithPlainAscii(e, minLength, static (text, min) => text.Length >= min));
                    break;
                case "maxLength":
                    var maxLength = value.GetInt32();
                    checks.Add(e => e.ValueKind != JsonValueKind.String || WithPlainAscii(e, maxLength, static (text, max) => text.Length <= max));
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

                    checks.Add(e => e.ValueKind != JsonValueKind.Array || AllItems(e, item));
                    break;
                case "required":
                    byte[][] required = [.. value.EnumerateArray().Select(r => Encoding.UTF8.GetBytes(r.GetString()!))];
                    checks.Add(e => e.ValueKind != JsonValueKind.Object || HasAll(e, required));
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
            var known = (properties ?? new Dictionary<string, Func<JsonElement, bool>>(StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>();
            checks.Add(e =>
            {
                if (e.ValueKind != JsonValueKind.Object)
                {
                    return true;
                }

                // Repeated names never get here: the validator parses with AllowDuplicateProperties = false.
                foreach (var property in e.EnumerateObject())
                {
                    if (TryGetByName(known, property, out var check))
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

    private static bool AnyType(JsonElement element, string[] types)
    {
        foreach (var type in types)
        {
            if (IsType(element, type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyEquals(JsonElement element, byte[][] options)
    {
        foreach (var option in options)
        {
            if (element.ValueEquals(option))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllItems(JsonElement array, Func<JsonElement, bool> check)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (!check(item))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasAll(JsonElement element, byte[][] names)
    {
        foreach (var name in names)
        {
            if (!element.TryGetProperty(name, out _))
            {
                return false;
            }
        }

        return true;
    }

    // The checks below read names and strings from the payload's own bytes where they are printable ASCII without
    // escapes (nearly always): then the UTF-8 bytes are the characters, and no string is made per property and check.

    /// <summary>The check of a property by its name, or false when the schema does not name it.</summary>
    private static bool TryGetByName(Dictionary<string, Func<JsonElement, bool>>.AlternateLookup<ReadOnlySpan<char>> known, JsonProperty property, out Func<JsonElement, bool> check)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        Span<char> name = stackalloc char[MaxStackChars];
        return raw.Length <= MaxStackChars && TryWidenPlainAscii(raw, name)
            ? known.TryGetValue(name[..raw.Length], out check!)
            : known.Dictionary.TryGetValue(property.Name, out check!);
    }

    /// <summary>
    /// <paramref name="test"/> of a string element's text when that text is printable ASCII; false otherwise (not
    /// certainly valid, so JsonSchema.Net judges).
    /// </summary>
    private static bool WithPlainAscii<T>(JsonElement element, T argument, Func<ReadOnlySpan<char>, T, bool> test)
    {
        // The raw value is the literal with its quotes.
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var content = raw[1..^1];
        Span<char> text = stackalloc char[MaxStackChars];
        if (content.Length <= MaxStackChars && TryWidenPlainAscii(content, text))
        {
            return test(text[..content.Length], argument);
        }

        var decoded = element.GetString()!;
        return PlainAscii(decoded) && test(decoded, argument);
    }

    private const int MaxStackChars = 256;

    /// <summary>Copies <paramref name="utf8"/> into <paramref name="chars"/> when every byte is printable ASCII and none is an escape's backslash.</summary>
    private static bool TryWidenPlainAscii(ReadOnlySpan<byte> utf8, Span<char> chars)
    {
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b is < (byte)' ' or > (byte)'~' or (byte)'\\')
            {
                return false;
            }

            chars[i] = (char)b;
        }

        return true;
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

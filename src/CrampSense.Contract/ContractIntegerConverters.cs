using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrampSense.Contract;

/// <summary>
/// What contract v1 calls an integer (the schemas' <c>"type": "integer"</c> fields): any JSON number whose value is
/// whole, in any notation (<c>3</c>, <c>3.0</c>, <c>3E0</c>), within ±<see cref="MaxSafe"/>. That is JSON Schema's own
/// rule (it judges the value, not the notation, so every standard validator accepts <c>1.0</c>); refusing the other
/// notations would make the bridge drop payloads the published schema accepts. The bound is 2^53 − 1 because a double
/// (JavaScript's number, and JsonSchema.Net's for "integer") holds every whole number up to it exactly, so the schema,
/// the bridge's quick check and these converters see the same value. Every schema integer has a <c>maximum</c> within the C#
/// type's range, so whatever the schema accepts, the converters read.
/// </summary>
public static class ContractInteger
{
    /// <summary>2^53 − 1, the largest whole number every JSON reader that uses doubles reads exactly.</summary>
    public const long MaxSafe = 9_007_199_254_740_991;

    /// <summary>True and the value when a JSON number, read as a double, is a contract integer.</summary>
    /// <remarks>
    /// The double decides, as in JsonSchema.Net's <c>"type": "integer"</c>: 1.0000000000000000001 is the double 1 and
    /// so the integer 1 (the schema's bounds then keep the value within the C# type).
    /// </remarks>
    public static bool TryGetValue(double number, out long value)
    {
        if (double.IsFinite(number) && Math.Floor(number) == number && Math.Abs(number) <= MaxSafe)
        {
            value = (long)number;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads the current number token as a contract integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="JsonException">The token is not a number, not whole, or out of range (the message shows the text, cut at 40 characters).</exception>
    internal static long Read(ref Utf8JsonReader reader, long min, long max)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            // Plain integer literals first (the common case, exact to the last digit); other notations by value.
            if (reader.TryGetInt64(out var exact))
            {
                if (exact >= min && exact <= max && Math.Abs(exact) <= MaxSafe)
                {
                    return exact;
                }
            }
            else if (reader.TryGetDouble(out var number) && TryGetValue(number, out var whole) && whole >= min && whole <= max)
            {
                return whole;
            }
        }

        var text = reader.HasValueSequence ? "(long number)" : System.Text.Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(40, reader.ValueSpan.Length)]);
        throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a whole number in {min} … {max}."));
    }
}

/// <summary>A contract integer (<see cref="ContractInteger"/>) into an <see cref="int"/>.</summary>
public sealed class ContractInt32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (int)ContractInteger.Read(ref reader, int.MinValue, int.MaxValue);

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

/// <summary>A contract integer (<see cref="ContractInteger"/>) into a <see cref="long"/>, within ±<see cref="ContractInteger.MaxSafe"/>.</summary>
public sealed class ContractInt64Converter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ContractInteger.Read(ref reader, -ContractInteger.MaxSafe, ContractInteger.MaxSafe);

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

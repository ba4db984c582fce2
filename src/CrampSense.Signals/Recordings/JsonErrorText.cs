using System.Globalization;
using System.Text.Json;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// A <see cref="JsonException"/> said for a person: System.Text.Json appends its 0-based position
/// (<c>Path: $ | LineNumber: 0 | BytePositionInLine: 0.</c>) to the message; the files' error messages give a 1-based
/// line and column instead, so that suffix is cut.
/// </summary>
public static class JsonErrorText
{
    private const string PositionSuffix = " Path: ";

    /// <summary>The library's reason without its position suffix, e.g. <c>'x' is an invalid start of a value.</c></summary>
    public static string Reason(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var cut = message.IndexOf(PositionSuffix, StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).TrimEnd(' ', '|', '.') + ".";
    }

    /// <summary>The 1-based line of the error (1 when the library does not know it).</summary>
    public static long Line(JsonException exception) => (exception?.LineNumber ?? 0) + 1;

    /// <summary>The 1-based column (byte position) of the error (1 when the library does not know it).</summary>
    public static long Column(JsonException exception) => (exception?.BytePositionInLine ?? 0) + 1;

    /// <summary>
    /// <c>line L, column C (at $.path): reason</c>; the JSON path is kept when the library knows it, since a value of the
    /// wrong type (a date that is not one) is found by its property, not by its byte position.
    /// </summary>
    public static string Describe(JsonException exception) =>
        string.Create(CultureInfo.InvariantCulture, $"line {Line(exception)}, column {Column(exception)}{PathText(exception)}: {Reason(exception)}");

    private static string PathText(JsonException exception) =>
        string.IsNullOrEmpty(exception?.Path) || exception.Path == "$" ? string.Empty : $" (at {exception.Path})";
}

namespace CrampSense.Detection;

/// <summary>
/// Writes each event as one line of JSON to a <see cref="TextWriter"/> (what <c>crampsense replay</c> prints),
/// and can read such lines back with line numbers in its errors.
/// </summary>
public sealed class JsonLinesEventSink : ICrampEventSink
{
    private readonly TextWriter _writer;

    /// <summary>Writes to <paramref name="writer"/>; the caller owns and disposes it.</summary>
    public JsonLinesEventSink(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Number of events written.</summary>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public void OnEvent(CrampEvent cramp)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        _writer.WriteLine(cramp.ToJson());
        Count++;
    }

    /// <summary>Reads events written one per line; blank lines are skipped.</summary>
    /// <param name="reader">The lines.</param>
    /// <param name="sourceName">Where they came from (a file name), for error messages.</param>
    /// <exception cref="FormatException">A line is not a valid event; the message names the source and the line.</exception>
    public static IReadOnlyList<CrampEvent> Read(TextReader reader, string sourceName = "events")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var events = new List<CrampEvent>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                events.Add(CrampEvent.FromJson(line));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{sourceName} line {lineNumber}: {ex.Message}", ex);
            }
        }

        return events;
    }
}

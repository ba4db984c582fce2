namespace CrampSense.Signals.Recordings;

/// <summary>
/// A recording or ground-truth file that does not follow the format (docs/recording-format.md). The message
/// names the source, the line and the column (or JSON property) and says what is wrong, for example
/// <c>rec.csv line 1234, column emg.calf: 'abc' is not a number</c>.
/// </summary>
public sealed class RecordingFormatException : FormatException
{
    public RecordingFormatException()
        : base("The recording is not in the expected format.")
    {
        SourceName = string.Empty;
        Reason = Message;
    }

    public RecordingFormatException(string message)
        : base(message)
    {
        SourceName = string.Empty;
        Reason = message;
    }

    public RecordingFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception from its parts; the message is composed from them.</summary>
    /// <param name="sourceName">The file or stream name, as given to the reader.</param>
    /// <param name="lineNumber">1-based line number, or null when the problem has no single line.</param>
    /// <param name="column">Column name (CSV) or property path (JSON), or null.</param>
    /// <param name="reason">What is wrong, without the location.</param>
    /// <param name="innerException">The underlying parser error, if any.</param>
    public RecordingFormatException(string sourceName, long? lineNumber, string? column, string reason, Exception? innerException = null)
        : base(Compose(sourceName, lineNumber, column, reason), innerException)
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file or stream name the reader was given.</summary>
    public string SourceName { get; }

    /// <summary>1-based line number of the offending line, when there is one.</summary>
    public long? LineNumber { get; }

    /// <summary>The offending column (CSV) or property path (JSON), when there is one.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    internal static string Compose(string sourceName, long? lineNumber, string? column, string reason)
    {
        var location = sourceName;
        if (lineNumber is { } line)
        {
            location += $" line {line}";
        }

        if (!string.IsNullOrEmpty(column))
        {
            location += lineNumber is null ? $" {column}" : $", column {column}";
        }

        return $"{location}: {reason}";
    }
}

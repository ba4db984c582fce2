using CrampSense.Signals.Recordings;

namespace CrampSense.Cli;

/// <summary>
/// Turns the exceptions that mean "bad input" (a malformed file, a missing file, an unreadable path) into one
/// line on the error writer and exit code <see cref="BadInput"/>. Anything else is a bug and propagates.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input: malformed or missing files, invalid option values.</summary>
    public const int BadInput = 1;

    /// <summary>Runs <paramref name="action"/>; known input errors become one line on <paramref name="error"/> and <see cref="BadInput"/>.</summary>
    public static int Run(TextWriter error, Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (Exception e) when (TryDescribe(e, out var reason))
        {
            error.WriteLine($"error: {reason}");
            return BadInput;
        }
    }

    /// <summary>The asynchronous form of <see cref="Run"/>.</summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (TryDescribe(e, out var reason))
        {
            await error.WriteLineAsync($"error: {reason}").ConfigureAwait(false);
            return BadInput;
        }
    }

    /// <summary>A one-line reason for an input error, or false when <paramref name="exception"/> is not one.</summary>
    public static bool TryDescribe(Exception exception, out string reason)
    {
        string? text = exception switch
        {
            RecordingFormatException format => format.Message,
            FileNotFoundException notFound => $"{notFound.FileName ?? "file"}: file not found",
            DirectoryNotFoundException directory => directory.Message,
            UnauthorizedAccessException access => access.Message,
            IOException io => io.Message,
            CliInputException input => input.Message,
            _ => null,
        };
        reason = text is null ? string.Empty : OneLine(text);
        return text is not null;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Bad command-line input that the parser cannot catch (e.g. an option value that depends on the file).</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException()
    {
    }

    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

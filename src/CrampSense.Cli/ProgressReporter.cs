using Spectre.Console;

namespace CrampSense.Cli;

/// <summary>
/// Runs work with a Spectre.Console progress bar on standard error (standard output stays clean for data
/// such as JSON lines). When standard error is not a terminal (pipes, CI, tests) the work runs without a bar.
/// </summary>
internal static class ProgressReporter
{
    /// <summary>Runs <paramref name="work"/>, which reports its progress as a fraction from 0 to 1.</summary>
    public static T Run<T>(string description, Func<Action<double>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Console.IsErrorRedirected)
        {
            return work(static _ => { });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            return work(static _ => { });
        }

        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1.0);
                var result = work(fraction => task.Value = Math.Clamp(fraction, 0, 1));
                task.Value = 1.0;
                return result;
            });
    }

    /// <summary>A reporter for reading a file: the fraction of the stream's bytes consumed so far.</summary>
    public static Func<double> FractionOf(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = stream.CanSeek ? stream.Length : 0;
        return length > 0 ? () => (double)stream.Position / length : static () => 0;
    }
}

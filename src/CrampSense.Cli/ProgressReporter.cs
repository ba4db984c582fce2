using Spectre.Console;

namespace CrampSense.Cli;

/// <summary>
/// Runs long work with a Spectre.Console progress bar on standard error, so standard output stays clean for
/// data such as JSON lines. When standard error is not an interactive terminal (pipes, CI, tests) the work
/// runs without a bar and receives no progress sink.
/// </summary>
internal static class ProgressReporter
{
    /// <summary>Runs <paramref name="work"/>, which reports its progress as a fraction from 0 to 1 when given a sink.</summary>
    public static T Run<T>(string description, Func<IProgress<double>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Console.IsErrorRedirected)
        {
            return work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            return work(null);
        }

        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1.0);
                var result = work(new TaskProgress(task));
                task.Value = 1.0;
                return result;
            });
    }

    /// <summary>Reports straight into the Spectre task (thread-safe), not through a synchronisation context.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);
    }
}

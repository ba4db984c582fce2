using System.CommandLine;
using CrampSense.Cli.Commands;

namespace CrampSense.Cli;

/// <summary>The root of the <c>crampsense</c> tool: one sub-command per file under Commands/.</summary>
internal static class CrampSenseCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("CrampSense: simulate, import, plot and analyse muscle-cramp EMG recordings.");
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = Create();
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
    }

    private static IEnumerable<Command> Commands()
    {
        yield return ImportCommand.Create();
        yield return ScenariosCommand.Create();
        yield return SimulateCommand.Create();
        yield return PlotCommand.Create();
        yield return HwProbeCommand.Create();
        yield return TrainCommand.Create();
        yield return ReplayCommand.Create();
        yield return EvaluateCommand.Create();
        yield return SimulateSetCommand.Create();
        yield return CalibrateCommand.Create();
        yield return ClipsCommand.Create();
    }
}

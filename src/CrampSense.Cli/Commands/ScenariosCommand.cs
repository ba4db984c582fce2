using System.CommandLine;
using System.Globalization;
using CrampSense.Signals;
using CrampSense.Simulation;

namespace CrampSense.Cli.Commands;

/// <summary><c>crampsense scenarios</c>: lists the simulator's scenarios with their defaults.</summary>
internal static class ScenariosCommand
{
    internal static Command Create()
    {
        var command = new Command("scenarios", "List the simulator's scenarios, their default duration and sites.");
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var nameWidth = ScenarioCatalog.All.Max(s => s.Name.Length);
            foreach (var scenario in ScenarioCatalog.All)
            {
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{scenario.Name.PadRight(nameWidth)}  {DurationText.Format(scenario.DefaultDuration),7}  {string.Join(",", scenario.DefaultSites),-24}  {scenario.Summary}"));
            }

            return 0;
        });
        return command;
    }
}

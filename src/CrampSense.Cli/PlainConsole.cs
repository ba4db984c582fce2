using Spectre.Console;

namespace CrampSense.Cli;

/// <summary>
/// A Spectre.Console console on a command's output writer for tables that scripts read and diff as much as people do:
/// no colours, no ANSI codes, not interactive, and wide enough that a long path never wraps.
/// </summary>
internal static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 4096;
        return console;
    }
}

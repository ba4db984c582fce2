using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class CliErrorsTests
{
    [Fact]
    public void Run_FormatError_WritesOneLineAndReturnsBadInput()
    {
        var error = new StringWriter();

        var exit = CliErrors.Run(error, () => throw new RecordingFormatException("rec.csv", 12, "emg.calf", "'x' is not a number"));

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.Equal("error: rec.csv line 12, column emg.calf: 'x' is not a number", error.ToString().TrimEnd());
    }

    [Fact]
    public void Run_MultiLineMessage_IsJoinedIntoOneLine()
    {
        var error = new StringWriter();

        var exit = CliErrors.Run(error, () => throw new IOException("disk\nfull"));

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.Equal("error: disk full", error.ToString().TrimEnd());
    }

    [Fact]
    public void Run_Success_ReturnsTheActionsExitCode()
    {
        Assert.Equal(0, CliErrors.Run(new StringWriter(), () => 0));
    }

    [Fact]
    public void Run_ProgrammingError_Propagates()
    {
        Assert.Throws<InvalidOperationException>(() => CliErrors.Run(new StringWriter(), () => throw new InvalidOperationException("bug")));
    }
}

using CrampSense.FirmwareHost.Hosting;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

public sealed class HostCommandLineTests
{
    [Fact]
    public void Parse_SimulateWithOptions_GivesTheConfigurationKeys()
    {
        var result = HostCommandLine.Parse(["--simulate", "--scenario", "exercise-cramp", "--seed", "7", "--speed", "max", "--no-live", "--duration", "5m"], TextWriter.Null, TextWriter.Null);

        Assert.Null(result.ExitCode);
        Assert.Equal("Simulator", result.Overrides["Source:Kind"]);
        Assert.Equal("exercise-cramp", result.Overrides["Source:Scenario"]);
        Assert.Equal("7", result.Overrides["Source:Seed"]);
        Assert.Equal("max", result.Overrides["Source:Speed"]);
        Assert.Equal("false", result.Overrides["Host:Live"]);
        Assert.Equal("300", result.Overrides["Host:DurationSeconds"]);
    }

    [Fact]
    public void Parse_Replay_SetsKindAndAbsolutePath()
    {
        var result = HostCommandLine.Parse(["--replay", "rec.csv", "--headless"], TextWriter.Null, TextWriter.Null);

        Assert.Equal("Replay", result.Overrides["Source:Kind"]);
        Assert.Equal(Path.GetFullPath("rec.csv"), result.Overrides["Source:Path"]);
        Assert.Equal("false", result.Overrides["Host:Live"]);
    }

    [Fact]
    public void Parse_NoArguments_LeavesEverythingToTheConfiguration()
    {
        var result = HostCommandLine.Parse([], TextWriter.Null, TextWriter.Null);

        Assert.Null(result.ExitCode);
        Assert.Empty(result.Overrides);
    }

    [Fact]
    public void Parse_BadDuration_ExitsWith2NamingTheOption()
    {
        var error = new StringWriter();

        var result = HostCommandLine.Parse(["--simulate", "--duration", "soon"], TextWriter.Null, error);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--duration", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOption_FailsNamingIt()
    {
        var error = new StringWriter();

        var result = HostCommandLine.Parse(["--simulaet"], TextWriter.Null, error);

        Assert.NotNull(result.ExitCode);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--simulaet", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    public void Parse_DurationNotAboveZero_ExitsWith2NamingTheOption(string text)
    {
        var error = new StringWriter();

        var result = HostCommandLine.Parse(["--simulate", "--duration", text], TextWriter.Null, error);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"--duration: '{text}' must be longer than zero", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClockDuration_UsesTheSharedGrammar()
    {
        var result = HostCommandLine.Parse(["--simulate", "--duration", "1h30m"], TextWriter.Null, TextWriter.Null);

        Assert.Equal("5400", result.Overrides["Host:DurationSeconds"]);
    }
}

using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class DurationOptionTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:30:00", 1800)]
    public void Parse_KnownForms_GivesSeconds(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationOption.Parse(text, "--duration"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("5x")]
    [InlineData("m5")]
    public void Parse_Garbage_ThrowsNamingTheOption(string text)
    {
        var error = Assert.Throws<CliInputException>(() => DurationOption.Parse(text, "--duration"));

        Assert.StartsWith("--duration:", error.Message, StringComparison.Ordinal);
    }
}

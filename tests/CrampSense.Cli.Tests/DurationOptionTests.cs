using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class DurationOptionTests
{
    [Fact]
    public void Parse_Duration_GivesItsLength()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), DurationOption.Parse("1h30m", "--duration"));
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

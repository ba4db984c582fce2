using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5h", 9000)]
    [InlineData("1h2m3s", 3723)]
    [InlineData("42", 42)]
    [InlineData(" 30m ", 1800)]
    [InlineData("00:30:00", 1800)]
    public void Parse_KnownForms_GivesSeconds(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "--duration"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("5x")]
    [InlineData("m5")]
    public void Parse_Garbage_ThrowsNamingTheOption(string text)
    {
        var error = Assert.Throws<CliInputException>(() => DurationText.Parse(text, "--duration"));

        Assert.StartsWith("--duration:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(300, "5m")]
    [InlineData(3600, "1h")]
    [InlineData(5400, "1h30m")]
    [InlineData(90.5, "90.5s")]
    public void Format_GivesTheShortForm_ThatParsesBack(double seconds, string expected)
    {
        var text = DurationText.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "x"));
    }
}

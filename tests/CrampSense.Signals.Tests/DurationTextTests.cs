using Xunit;

namespace CrampSense.Signals.Tests;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5h", 9000)]
    [InlineData("1h2m3s", 3723)]
    [InlineData("42", 42)]
    [InlineData("90", 90)]
    [InlineData("1.5m", 90)]
    [InlineData("2h", 7200)]
    [InlineData("5M", 300)]
    [InlineData(" 30m ", 1800)]
    [InlineData("00:30:00", 1800)]
    public void TryParse_KnownForms_GivesSeconds(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("soon")]
    [InlineData("1e400")]
    [InlineData(null)]
    public void TryParse_Garbage_IsFalse(string? text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }

    [Fact]
    public void Problem_NamesTheOptionAndTheValue()
    {
        var problem = DurationText.Problem("--duration", "soon");

        Assert.StartsWith("--duration: 'soon' is not a duration", problem, StringComparison.Ordinal);
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
        Assert.True(DurationText.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}

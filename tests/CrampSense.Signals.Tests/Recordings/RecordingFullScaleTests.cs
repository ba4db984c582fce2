using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class RecordingFullScaleTests
{
    [Theory]
    [InlineData("8.25", -8.25, 8.25)]
    [InlineData("-8.25:8.234", -8.25, 8.234)]
    [InlineData("1.5E0", -1.5, 1.5)]
    public void TryParse_ValidValue_GivesTheRange(string value, double low, double high)
    {
        var range = RecordingFullScale.TryParse(value, out var error);

        Assert.Null(error);
        Assert.Equal(new FullScaleRange(low, high), range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("5:2")]
    [InlineData("NaN")]
    [InlineData("1:")]
    public void TryParse_MalformedValue_GivesNullAndSaysWhatIsExpected(string value)
    {
        var range = RecordingFullScale.TryParse(value, out var error);

        Assert.Null(range);
        Assert.Contains("low:high", error, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SiteKeyAndKeyForEverySite_TheSiteKeyWins()
    {
        var layout = new RecordingLayout(1000, ["calf", "shin"], false, false, new Dictionary<string, string> { ["full_scale_mv"] = "8.25", ["full_scale_mv.shin"] = "-1:2" });

        Assert.Equal(FullScaleRange.Symmetric(8.25), RecordingFullScale.For(layout, "calf"));
        Assert.Equal(new FullScaleRange(-1, 2), RecordingFullScale.For(layout, "shin"));
        Assert.Null(RecordingFullScale.For(new RecordingLayout(1000, ["calf"], false, false), "calf"));
    }

    [Fact]
    public void For_MalformedValue_ThrowsNamingTheKey()
    {
        var layout = new RecordingLayout(1000, ["calf"], false, false, new Dictionary<string, string> { ["full_scale_mv.calf"] = "big" });

        var error = Assert.Throws<FormatException>(() => RecordingFullScale.For(layout, "calf"));

        Assert.StartsWith("metadata full_scale_mv.calf: 'big'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-8.25, 8.25)]
    [InlineData(-8.25, 8.234)]
    public void Entry_WrittenValue_ParsesBackToTheSameRange(double low, double high)
    {
        var range = new FullScaleRange(low, high);

        var entry = RecordingFullScale.Entry(range);

        Assert.Equal(RecordingFullScale.Key, entry.Key);
        Assert.Equal(range, RecordingFullScale.TryParse(entry.Value, out _));
    }
}

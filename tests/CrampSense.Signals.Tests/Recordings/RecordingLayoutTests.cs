using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class RecordingLayoutTests
{
    [Fact]
    public void Columns_ListTimeThenSitesThenSlowSignalsInFileOrder()
    {
        var layout = new RecordingLayout(1000, ["calf", "hamstring"], hasSkinTemperature: true, hasAcceleration: true);

        Assert.Equal(
            ["t_s", "emg.calf", "emg.hamstring", "temp.skin", "acc.x", "acc.y", "acc.z"],
            layout.Columns);
    }

    [Fact]
    public void Columns_OmitAbsentSlowSignals()
    {
        var layout = new RecordingLayout(2000, ["forearm_1"], hasSkinTemperature: false, hasAcceleration: false);

        Assert.Equal(["t_s", "emg.forearm_1"], layout.Columns);
    }

    [Theory]
    [InlineData("Calf")]
    [InlineData("calf left")]
    [InlineData("1calf")]
    [InlineData("")]
    [InlineData("calf/x")]
    public void Constructor_InvalidSite_ThrowsNamingTheSite(string site)
    {
        var error = Assert.Throws<ArgumentException>(() => new RecordingLayout(1000, [site], false, false));

        Assert.Contains($"'{site}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateSite_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new RecordingLayout(1000, ["calf", "calf"], false, false));

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_NonPositiveOrNonFiniteRate_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordingLayout(rate, ["calf"], false, false));
    }

    [Fact]
    public void CreateFrame_SizesEmgToTheSites()
    {
        var layout = new RecordingLayout(1000, ["calf", "hamstring", "quadriceps"], false, false);

        Assert.Equal(3, layout.CreateFrame().EmgMillivolts.Length);
    }
}

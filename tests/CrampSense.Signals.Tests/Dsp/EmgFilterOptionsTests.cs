using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class EmgFilterOptionsTests
{
    [Fact]
    public void Default_IsValidAndHasNoNotch()
    {
        Assert.Empty(EmgFilterOptions.Default.Validate(1000));
        Assert.Null(EmgFilterOptions.Default.NotchHz);
        Assert.Equal(20, EmgFilterOptions.Default.HighPassHz);
    }

    [Fact]
    public void Validate_BadValues_NameEachOption()
    {
        var options = new EmgFilterOptions { HighPassHz = -1, NotchHz = 600, EnvelopeCutoffHz = 0 };
        var errors = options.Validate(1000, "Filter.");
        Assert.Contains(errors, e => e.StartsWith("Filter.HighPassHz", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Filter.NotchHz", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Filter.EnvelopeCutoffHz", StringComparison.Ordinal));
        var thrown = Assert.Throws<ArgumentException>(() => new EmgChannelFilter(1000, options));
        Assert.Contains("NotchHz", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_DetectsMainsAutomatically()
    {
        Assert.Equal(MainsFrequency.Auto, EmgFilterOptions.Default.Mains);
        Assert.NotNull(new EmgChannelFilter(1000).Mains);
        Assert.Null(new EmgChannelFilter(1000, new EmgFilterOptions { Mains = MainsFrequency.Off }).Mains);
    }

    [Theory]
    [InlineData(MainsFrequency.Hz60, 100, null, 1, "Filter.Mains Hz60 needs a sample rate above")]
    [InlineData((MainsFrequency)7, 1000, null, 1, "Filter.Mains must be Auto, Hz50, Hz60 or Off")]
    [InlineData(MainsFrequency.Auto, 1000, null, 0, "Filter.MainsTimeConstantSeconds must lie between")]
    [InlineData(MainsFrequency.Hz50, 1000, 60.0, 1, "Filter.NotchHz (60 Hz) contradicts Filter.Mains = Hz50")]
    public void Validate_BadMainsSettings_NameTheKey(MainsFrequency mains, double fs, double? notchHz, double timeConstant, string expected)
    {
        var options = new EmgFilterOptions { Mains = mains, NotchHz = notchHz, MainsTimeConstantSeconds = timeConstant == 1 ? 0.25 : timeConstant };
        Assert.Contains(options.Validate(fs, "Filter."), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LegacyNotchWithAutoMains_StaysValid()
    {
        Assert.Empty(new EmgFilterOptions { NotchHz = 50 }.Validate(1000));
        var filter = new EmgChannelFilter(1000, new EmgFilterOptions { NotchHz = 60, Mains = MainsFrequency.Hz60 });
        Assert.NotNull(filter.Notch);
        Assert.NotNull(filter.Mains);
    }
}

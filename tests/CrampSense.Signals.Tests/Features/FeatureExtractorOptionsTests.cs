using CrampSense.Signals.Dsp;
using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class FeatureExtractorOptionsTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(200)]
    [InlineData(100)]
    public void Default_IsValidForCommonRates(double fs)
    {
        Assert.Empty(FeatureExtractorOptions.Default.Validate(fs));
    }

    [Fact]
    public void Validate_BadValues_NameEachOption()
    {
        var options = new FeatureExtractorOptions
        {
            WindowSeconds = 0.1,
            HopSeconds = 0.2,
            DeadbandMillivolts = -1,
            GaitBandHighHz = 0.2,
            Filter = new EmgFilterOptions { HighPassHz = 0 },
        };
        var errors = options.Validate(1000);
        Assert.Contains(errors, e => e.StartsWith("HopSeconds", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("DeadbandMillivolts", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("GaitBandHighHz", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Filter.HighPassHz", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrowIfInvalid_WindowTooShortForRate_ThrowsNamingWindowSeconds()
    {
        var options = new FeatureExtractorOptions { WindowSeconds = 0.05, HopSeconds = 0.01 };
        var error = Assert.Throws<ArgumentException>(() => new EmgFeatureExtractor(100, ["calf"], options));
        Assert.Contains("WindowSeconds", error.Message, StringComparison.Ordinal);
    }
}

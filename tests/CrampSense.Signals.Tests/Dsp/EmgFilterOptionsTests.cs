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
}

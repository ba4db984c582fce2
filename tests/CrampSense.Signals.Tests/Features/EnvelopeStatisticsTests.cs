using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class EnvelopeStatisticsTests
{
    [Fact]
    public void Compute_LinearRamp_GivesExactSlopeAndMean()
    {
        // e(t) = 0.1 + 0.4 t mV over 0.25 s at 1 kHz.
        var e = Enumerable.Range(0, 250).Select(i => (float)(0.1 + (0.4 * i / 1000.0))).ToArray();
        var stats = EnvelopeStatistics.Compute(e, 1000);
        Assert.Equal(0.4, stats.SlopePerSecond, 1e-4);
        Assert.Equal(0.1 + (0.4 * 249 / 2000.0), stats.Mean, 1e-6);
    }

    [Fact]
    public void Compute_TwoLevels_GivesKnownCoefficientOfVariation()
    {
        // Half the samples 1, half 3: mean 2, SD 1, CV 0.5.
        var e = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1f : 3f).ToArray();
        var stats = EnvelopeStatistics.Compute(e, 1000);
        Assert.Equal(2, stats.Mean, 1e-6);
        Assert.Equal(1, stats.StandardDeviation, 1e-6);
        Assert.Equal(0.5, stats.CoefficientOfVariation, 1e-6);
    }

    [Fact]
    public void Compute_Constant_HasNoSlopeOrVariation()
    {
        var stats = EnvelopeStatistics.Compute(Enumerable.Repeat(0.3f, 50).ToArray(), 500);
        Assert.Equal(0, stats.SlopePerSecond, 1e-5);
        Assert.Equal(0, stats.CoefficientOfVariation, 1e-3);
    }
}

using CrampSense.Simulation.Stochastic;
using Xunit;

namespace CrampSense.Simulation.Tests.Stochastic;

public sealed class SemgShapingFilterTests
{
    /// <summary>White noise through the filter, 120 000 samples from a fixed seed.</summary>
    private static double[] Filtered(SemgShapingFilter filter, int count = 120_000, ulong seed = 11)
    {
        var random = new SimulationRandom(seed);
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            y[i] = filter.Process(random.NextGaussian());
        }

        return y;
    }

    [Theory]
    [InlineData(40, 500)]
    [InlineData(90, 500)]
    [InlineData(150, 500)]
    [InlineData(40, 1000)]
    [InlineData(75, 1000)]
    [InlineData(150, 1000)]
    [InlineData(40, 2000)]
    [InlineData(110, 2000)]
    [InlineData(150, 2000)]
    public void DesignForMedian_RequestedMedian_FilteredNoiseHasItWithinFivePercent(double medianHz, double sampleRateHz)
    {
        // Electrodes 15 mm apart, 4 m/s: the middle of the engine's ranges.
        var delay = 0.015 / 4;
        var (low, high) = SemgShapingFilter.DesignForMedian(medianHz, 2, delay, sampleRateHz);
        var filter = new SemgShapingFilter(low, high, delay, sampleRateHz);

        var measured = Dsp.MedianFrequency(Filtered(filter), sampleRateHz, 1024);

        // Tolerance: 5 % of the request or one Welch bin (fs / 1024), whichever is larger.
        Assert.InRange(measured, Math.Min(medianHz * 0.95, medianHz - (sampleRateHz / 1024)), Math.Max(medianHz * 1.05, medianHz + (sampleRateHz / 1024)));
        Assert.Equal(medianHz, filter.CurrentMedianFrequency(), medianHz * 0.01);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.7)]
    public void Process_WhiteNoise_HasUnitVarianceTimesLindstromsGrowth(double compression)
    {
        var delay = 0.02 / 4.5;
        var (low, high) = SemgShapingFilter.DesignForMedian(80, 2.5, delay, 1000);
        var filter = new SemgShapingFilter(low, high, delay, 1000);
        filter.SetCompression(compression);

        var y = Filtered(filter);

        // Power ∝ 1/v (Lindström & Magnusson 1977): unit variance at rest, 1/0.7 at 70 % of the rest velocity.
        var variance = y.Skip(1000).Select(v => v * v).Average();
        Assert.Equal(1 / compression, variance, 1 / compression * 0.05);
    }

    [Fact]
    public void SetCompression_SlowerConduction_CompressesTheSpectrumInProportion()
    {
        var delay = 0.015 / 4;
        var (low, high) = SemgShapingFilter.DesignForMedian(100, 2, delay, 2000);
        var filter = new SemgShapingFilter(low, high, delay, 2000);
        var rest = Dsp.MedianFrequency(Filtered(filter), 2000, 1024);

        filter.SetCompression(0.75);
        filter.Reset();
        var fatigued = Dsp.MedianFrequency(Filtered(filter), 2000, 1024);

        // Median ∝ conduction velocity (Stulen & De Luca 1981): 75 % of rest, within 5 %.
        Assert.InRange(fatigued / rest, 0.75 * 0.95, 0.75 * 1.05);
    }

    [Fact]
    public void Process_SameInputTwice_GivesBitIdenticalOutput()
    {
        var (low, high) = SemgShapingFilter.DesignForMedian(70, 2, 0.004, 1000);
        var first = Filtered(new SemgShapingFilter(low, high, 0.004, 1000), 5000);
        var second = Filtered(new SemgShapingFilter(low, high, 0.004, 1000), 5000);

        Assert.Equal(first, second);
    }
}

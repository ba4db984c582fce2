using CrampSense.Signals.Features;
using CrampSense.Signals.Tests.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class SpectralAnalyzerTests
{
    [Theory]
    [InlineData(62.5)]
    [InlineData(125)]
    [InlineData(250)]
    public void Analyze_ToneOnABin_MeanAndMedianEqualItsFrequency(double f)
    {
        // 256-sample window: no zero padding, bins every 3.90625 Hz, f on a bin.
        var analyzer = new SpectralAnalyzer(1000, 256, 20, 450);
        var features = analyzer.Analyze(TestSignals.Sine(1000, f, 1, 256, phase: 0.7));
        Assert.Equal(f, features.MeanFrequencyHz, 0.01);
        Assert.Equal(f, features.MedianFrequencyHz, 0.01);
    }

    [Fact]
    public void Analyze_ToneOffTheBinGrid_IsWithinHalfABin()
    {
        var analyzer = new SpectralAnalyzer(1000, 250, 20, 450);
        var features = analyzer.Analyze(TestSignals.Sine(1000, 97, 1, 250));
        Assert.Equal(97, features.MeanFrequencyHz, analyzer.BinHz / 2);
        Assert.Equal(97, features.MedianFrequencyHz, analyzer.BinHz / 2);
        Assert.Equal(1, features.MidBandRatio, 0.01);
    }

    [Fact]
    public void Analyze_WhiteNoise_MeanAndMedianAtBandCentre()
    {
        var analyzer = new SpectralAnalyzer(1000, 256, 20, 450);
        var noise = TestSignals.WhiteNoise(256 * 200, 1, seed: 5);
        double mean = 0, median = 0, low = 0;
        for (int i = 0; i < 200; i++)
        {
            var s = analyzer.Analyze(noise.AsSpan(i * 256, 256));
            mean += s.MeanFrequencyHz / 200;
            median += s.MedianFrequencyHz / 200;
            low += s.LowBandRatio / 200;
        }

        // Flat spectrum: both sit at the centre of the bins inside 20–450 Hz (bins 6..115 of 3.90625 Hz).
        double centre = (6 + 115) / 2.0 * analyzer.BinHz;
        Assert.Equal(centre, mean, tolerance: 3);
        Assert.Equal(centre, median, tolerance: 4);
        Assert.Equal(40.0 / 430, low, 0.01);
    }

    [Theory]
    [InlineData("tone_97hz")]
    [InlineData("two_tones")]
    [InlineData("bandpassed_noise")]
    [InlineData("lowpassed_noise")]
    public void Analyze_GoldenWindow_MatchesNumpy(string name)
    {
        var golden = GoldenVectors.Case("spectral", name);
        var input = golden.Floats("input");
        var analyzer = new SpectralAnalyzer(golden.Number("fs"), input.Length, golden.Number("band_low_hz"), golden.Number("band_high_hz"), golden.Number("low_mid_edge_hz"), golden.Number("mid_high_edge_hz"));
        var features = analyzer.Analyze(input);
        Assert.Equal(golden.Number("mean_hz"), features.MeanFrequencyHz, 0.01);
        Assert.Equal(golden.Number("median_hz"), features.MedianFrequencyHz, 0.01);
        Assert.Equal(golden.Number("low_ratio"), features.LowBandRatio, 1e-4);
        Assert.Equal(golden.Number("mid_ratio"), features.MidBandRatio, 1e-4);
        Assert.Equal(golden.Number("high_ratio"), features.HighBandRatio, 1e-4);
    }

    [Fact]
    public void Analyze_Silence_GivesZeros()
    {
        var analyzer = new SpectralAnalyzer(1000, 250, 20, 450);
        Assert.Equal(default, analyzer.Analyze(new float[250]));
    }

    [Fact]
    public void Analyze_Repeatedly_AllocatesNothing()
    {
        var x = TestSignals.WhiteNoise(250, 1, seed: 1);
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var analyzer = new SpectralAnalyzer(1000, 250, 20, 450);
            analyzer.Analyze(x);
            return () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    analyzer.Analyze(x);
                }
            };
        });

        Assert.Equal(0, bytes);
    }
}

using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class ButterworthBandPassTests
{
    private const double Fs = 1000;

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(35)]
    [InlineData(60)]
    [InlineData(100)]
    [InlineData(235)]
    [InlineData(400)]
    [InlineData(450)]
    [InlineData(480)]
    public void Process_SineInSteadyState_AmplitudeMatchesDesignWithinTenthDecibel(double frequencyHz)
    {
        var filter = new ButterworthBandPass(Fs);
        const double amplitude = 1.0;
        var input = TestSignals.Sine(Fs, frequencyHz, amplitude, 6000);
        var output = new float[input.Length];
        for (int n = 0; n < input.Length; n++)
        {
            output[n] = filter.Process(input[n]);
        }

        // Last 2 s: a whole number of periods of every integer frequency, long after the transient.
        double measured = TestSignals.Rms(output.AsSpan(4000)) * Math.Sqrt(2) / amplitude;
        double expected = filter.Magnitude(frequencyHz);
        Assert.InRange(TestSignals.Decibels(measured) - TestSignals.Decibels(expected), -0.1, 0.1);
    }

    [Fact]
    public void Magnitude_AtBandEdges_IsMinus3DecibelsAndUnityInBand()
    {
        var filter = new ButterworthBandPass(Fs);
        Assert.Equal(-3.01, TestSignals.Decibels(filter.Magnitude(20)), 2);
        Assert.Equal(-3.01, TestSignals.Decibels(filter.Magnitude(450)), 2);
        Assert.Equal(0, TestSignals.Decibels(filter.Magnitude(Math.Sqrt(20 * 450))), 2);
        Assert.Equal(4, filter.Sections.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Process_GoldenSignal_MatchesScipyButterSosfilt(int caseIndex)
    {
        var golden = GoldenVectors.Case("bandpass", caseIndex);
        double fs = golden.Number("fs");
        var filter = new ButterworthBandPass(fs, 20, 450, (int)golden.Number("order"));
        Assert.Equal(golden.Number("high_hz"), filter.HighCutoffHz, 9);

        var input = golden.Floats("input");
        var expected = golden.Doubles("output");
        double peak = expected.Max(Math.Abs);
        for (int n = 0; n < input.Length; n++)
        {
            double y = filter.ProcessDouble(input[n]);
            // NWaves normalises the pass-band gain at the arithmetic band centre, scipy exactly: ~1e-9 apart.
            Assert.True(Math.Abs(y - expected[n]) <= 1e-6 * peak, $"sample {n}: {y} vs scipy {expected[n]}");
        }

        var frequencies = golden.Doubles("response_hz");
        var magnitudes = golden.Doubles("response_magnitude");
        for (int i = 0; i < frequencies.Length; i++)
        {
            Assert.Equal(magnitudes[i], filter.Magnitude(frequencies[i]), 6);
        }
    }

    [Theory]
    [InlineData(200, 20, 90)]
    [InlineData(100, 20, 45)]
    [InlineData(1000, 20, 450)]
    [InlineData(2000, 20, 450)]
    public void Constructor_LowerSampleRate_ClampsUpperEdgeTo045Fs(double fs, double low, double high)
    {
        var filter = new ButterworthBandPass(fs);
        Assert.True(filter.IsBandPass);
        Assert.Equal(low, filter.LowCutoffHz);
        Assert.Equal(high, filter.HighCutoffHz, 9);
        Assert.Equal(-3.01, TestSignals.Decibels(filter.Magnitude(high)), 2);
    }

    [Fact]
    public void Constructor_RateTooLowForABand_DegradesToHighPassAtQuarterRate()
    {
        var filter = new ButterworthBandPass(40);
        Assert.False(filter.IsBandPass);
        Assert.Equal(10, filter.LowCutoffHz);
        Assert.Equal(-3.01, TestSignals.Decibels(filter.Magnitude(10)), 2);
        Assert.True(filter.Magnitude(19.5) > 0.99);
        Assert.True(filter.Magnitude(1) < 1e-3);
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(5000, 1, seed: 3);
        var streamed = new ButterworthBandPass(Fs);
        var blocked = new ButterworthBandPass(Fs);
        var expected = input.Select(streamed.Process).ToArray();

        var actual = new float[input.Length];
        var random = new Random(5);
        for (int start = 0; start < input.Length;)
        {
            int length = Math.Min(random.Next(1, 300), input.Length - start);
            blocked.Process(input.AsSpan(start, length), actual.AsSpan(start, length));
            start += length;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Reset_AfterUse_RestoresInitialState()
    {
        var input = TestSignals.WhiteNoise(2000, 1, seed: 4);
        var filter = new ButterworthBandPass(Fs);
        var first = input.Select(filter.Process).ToArray();
        filter.Reset();
        var second = input.Select(filter.Process).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Constructor_UpperEdgeBelowLower_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthBandPass(Fs, 100, 50));
        Assert.Equal("highCutoffHz", error.ParamName);
    }
}

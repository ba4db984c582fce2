using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class MovingRmsTests
{
    [Fact]
    public void Process_SineOverWholePeriods_GivesAmplitudeOverRootTwo()
    {
        var rms = MovingRms.ForDuration(1000, 0.1);
        var input = TestSignals.Sine(1000, 50, 0.8, 1000, phase: 0.3);
        float last = 0;
        foreach (var x in input)
        {
            last = rms.Process(x);
        }

        Assert.Equal(0.8 / Math.Sqrt(2), last, 5);
    }

    [Fact]
    public void Process_WhiteNoiseOfKnownVariance_GivesItsStandardDeviation()
    {
        var rms = new MovingRms(20000);
        float last = 0;
        foreach (var x in TestSignals.WhiteNoise(20000, 0.05, seed: 1))
        {
            last = rms.Process(x);
        }

        Assert.InRange(last, 0.05 * 0.98, 0.05 * 1.02);
    }

    [Fact]
    public void Process_MillionsOfSamples_RunningSumDoesNotDrift()
    {
        var rms = new MovingRms(50);
        var noise = TestSignals.WhiteNoise(1000, 100, seed: 2);
        for (int n = 0; n < 2_000_000; n++)
        {
            rms.Process(noise[n % noise.Length]);
        }

        float last = 0;
        for (int n = 0; n < 50; n++)
        {
            last = rms.Process(0.001f);
        }

        Assert.Equal(0.001f, last, 7);
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(1000, 1, seed: 6);
        var a = new MovingRms(37);
        var b = new MovingRms(37);
        var expected = input.Select(a.Process).ToArray();
        var actual = new float[input.Length];
        b.Process(input.AsSpan(0, 333), actual.AsSpan(0, 333));
        b.Process(input.AsSpan(333), actual.AsSpan(333));
        Assert.Equal(expected, actual);
        b.Reset();
        Assert.Equal(expected[0], b.Process(input[0]));
    }

    [Fact]
    public void Add_RootOfTheReturnedSum_IsWhatProcessReturns()
    {
        // Across several re-summations of the window (every 37 samples) and a stretch of zeros.
        var input = TestSignals.WhiteNoise(500, 0.2, seed: 7).Concat(new float[100]).ToArray();
        var processed = new MovingRms(37);
        var summed = new MovingRms(37);
        for (int n = 0; n < input.Length; n++)
        {
            Assert.Equal(processed.Process(input[n]), summed.RmsOf(summed.Add(input[n])));
        }
    }
}

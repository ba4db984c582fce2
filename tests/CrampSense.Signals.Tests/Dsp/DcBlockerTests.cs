using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class DcBlockerTests
{
    [Fact]
    public void Process_ConstantOffset_GivesZeroFromTheFirstSample()
    {
        var blocker = new DcBlocker(1000);
        for (int n = 0; n < 100; n++)
        {
            Assert.Equal(0f, blocker.Process(1650f));
        }
    }

    [Fact]
    public void Process_SineOnOffset_RemovesOffsetAndKeepsTheSine()
    {
        var blocker = new DcBlocker(1000, 0.5);
        var input = TestSignals.Sine(1000, 40, 0.2, 20000, offset: 3.0);
        var output = new float[input.Length];
        blocker.Process(input, output);
        var tail = output.AsSpan(15000);
        double mean = 0;
        foreach (var v in tail)
        {
            mean += v;
        }

        Assert.InRange(mean / tail.Length, -1e-3, 1e-3);
        Assert.InRange(TestSignals.Rms(tail) * Math.Sqrt(2), 0.199, 0.201);
    }

    [Fact]
    public void Reset_AfterUse_PrimesAgainOnTheNextSample()
    {
        var blocker = new DcBlocker(1000);
        blocker.Process(1f);
        blocker.Process(5f);
        blocker.Reset();
        Assert.Equal(0f, blocker.Process(-7f));
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(1000, 1, seed: 13);
        var a = new DcBlocker(1000);
        var b = new DcBlocker(1000);
        var expected = input.Select(a.Process).ToArray();
        var actual = new float[input.Length];
        b.Process(input.AsSpan(0, 401), actual.AsSpan(0, 401));
        b.Process(input.AsSpan(401), actual.AsSpan(401));
        Assert.Equal(expected, actual);
    }
}

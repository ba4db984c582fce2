using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class TeagerKaiserEnergyTests
{
    [Fact]
    public void Process_Sine_GivesConstantASquaredSinSquaredOmega()
    {
        const double fs = 1000, f = 80, a = 0.7;
        var tkeo = new TeagerKaiserEnergy();
        var output = TestSignals.Sine(fs, f, a, 200).Select(tkeo.Process).ToArray();
        double expected = a * a * Math.Pow(Math.Sin(2 * Math.PI * f / fs), 2);
        foreach (var psi in output.Skip(2))
        {
            Assert.Equal(expected, psi, 5);
        }
    }

    [Fact]
    public void Process_Impulse_GivesSquareOneSampleLateAndZeroAround()
    {
        var tkeo = new TeagerKaiserEnergy();
        float[] input = [0, 0, 3, 0, 0, 0];
        var output = input.Select(tkeo.Process).ToArray();
        Assert.Equal([0f, 0f, 0f, 9f, 0f, 0f], output);
    }

    [Fact]
    public void Reset_AfterUse_ForgetsHistory()
    {
        var tkeo = new TeagerKaiserEnergy();
        tkeo.Process(5);
        tkeo.Process(5);
        tkeo.Reset();
        Assert.Equal(0f, tkeo.Process(1));
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(1000, 1, seed: 13);
        var a = new TeagerKaiserEnergy();
        var b = new TeagerKaiserEnergy();
        var expected = input.Select(a.Process).ToArray();
        var actual = new float[input.Length];
        b.Process(input.AsSpan(0, 401), actual.AsSpan(0, 401));
        b.Process(input.AsSpan(401), actual.AsSpan(401));
        Assert.Equal(expected, actual);
    }
}

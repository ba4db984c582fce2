using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class LinearEnvelopeTests
{
    [Fact]
    public void Process_SteadySine_SettlesAtMeanOfRectifiedSineTwoAOverPi()
    {
        var envelope = new LinearEnvelope(1000, 6);
        var input = TestSignals.Sine(1000, 97.3, 1.5, 5000);
        var output = new float[input.Length];
        envelope.Process(input, output);
        double mean = output.Skip(3000).Average(v => (double)v);
        Assert.Equal(2 * 1.5 / Math.PI, mean, 3);

        // A frequency incommensurate with fs samples every phase (100 Hz would sample |sin| at 10 fixed phases). Ripple near 195 Hz is attenuated by the 6 Hz low-pass by ~60 dB.
        Assert.True(output.Skip(3000).Max() - output.Skip(3000).Min() < 0.01);
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(2000, 1, seed: 9);
        var a = new LinearEnvelope(1000);
        var b = new LinearEnvelope(1000);
        var expected = input.Select(a.Process).ToArray();
        var actual = new float[input.Length];
        b.Process(input.AsSpan(0, 1), actual.AsSpan(0, 1));
        b.Process(input.AsSpan(1), actual.AsSpan(1));
        Assert.Equal(expected, actual);
    }
}

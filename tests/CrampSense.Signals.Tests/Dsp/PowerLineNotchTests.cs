using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class PowerLineNotchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Design_MatchesScipyIirnotchCoefficientsAndOutput(int caseIndex)
    {
        var golden = GoldenVectors.Case("notch", caseIndex);
        var notch = new PowerLineNotch(golden.Number("fs"), golden.Number("notch_hz"), golden.Number("q"));
        var b = golden.Doubles("b");
        var a = golden.Doubles("a");
        var section = notch.Section;
        Assert.Equal(b[0] / a[0], section.B0, 12);
        Assert.Equal(b[1] / a[0], section.B1, 12);
        Assert.Equal(b[2] / a[0], section.B2, 12);
        Assert.Equal(a[1] / a[0], section.A1, 12);
        Assert.Equal(a[2] / a[0], section.A2, 12);

        var input = golden.Floats("input");
        var expected = golden.Doubles("output");
        for (int n = 0; n < input.Length; n++)
        {
            Assert.Equal(expected[n], notch.ProcessDouble(input[n]), 9);
        }
    }

    [Fact]
    public void Process_SineAtMainsFrequency_IsAttenuatedByMoreThan40Decibels()
    {
        var notch = new PowerLineNotch(1000, 50, 30);
        var input = TestSignals.Sine(1000, 50, 1, 6000);
        var output = new float[input.Length];
        notch.Process(input, output);
        Assert.True(TestSignals.Decibels(TestSignals.Rms(output.AsSpan(4000)) * Math.Sqrt(2)) < -40);
        Assert.True(notch.Magnitude(100) > 0.99);
    }

    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalOutput()
    {
        var input = TestSignals.WhiteNoise(3000, 1, seed: 8);
        var streamed = new PowerLineNotch(1000, 60);
        var blocked = new PowerLineNotch(1000, 60);
        var expected = input.Select(streamed.Process).ToArray();
        var actual = new float[input.Length];
        blocked.Process(input.AsSpan(0, 1234), actual.AsSpan(0, 1234));
        blocked.Process(input.AsSpan(1234), actual.AsSpan(1234));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Constructor_NotchAboveNyquist_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PowerLineNotch(100, 60));
        Assert.Equal("notchHz", error.ParamName);
    }
}

using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class BiquadCascadeBankTests
{
    public static TheoryData<int, int> ChannelsAndLanes()
    {
        var data = new TheoryData<int, int>();
        foreach (int channels in new[] { 1, 2, 3, 4, 5, 8 })
        {
            foreach (int lanes in new[] { 1, 2, 4 })
            {
                data.Add(channels, lanes);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChannelsAndLanes))]
    public void Process_RandomRows_EqualsOneCascadePerChannelBitForBit(int channels, int lanes)
    {
        var sections = ButterworthDesign.BandPass(1000, 20, 450, 4);
        var bank = new BiquadCascadeBank(sections, channels, lanes);
        var single = Enumerable.Range(0, channels).Select(_ => new BiquadCascade(sections, 1000)).ToArray();
        var inputs = Enumerable.Range(0, channels).Select(c => TestSignals.WhiteNoise(3000, 0.1 + c, seed: 40 + c)).ToArray();
        var row = new double[channels];
        for (int n = 0; n < 3000; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                row[c] = inputs[c][n];
            }

            bank.Process(row);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(single[c].ProcessDouble(inputs[c][n]), row[c]);
            }
        }
    }

    [Fact]
    public void Reset_AfterASignal_StartsAgainFromZeroState()
    {
        var sections = ButterworthDesign.LowPass(1000, 6, 2);
        var bank = new BiquadCascadeBank(sections, 5);
        var input = TestSignals.WhiteNoise(200, 1, seed: 3);
        var first = Run(bank, input);
        bank.Reset();
        var second = Run(bank, input);
        Assert.Equal(first, second);
        Assert.NotEqual(0, first[^1]);
    }

    [Fact]
    public void Process_RowShorterThanTheChannels_Throws()
    {
        var bank = new BiquadCascadeBank(ButterworthDesign.LowPass(1000, 6, 2), 4);
        var error = Assert.Throws<ArgumentException>(() => bank.Process(new double[3]));
        Assert.Contains("4 channels", error.Message);
    }

    [Fact]
    public void Constructor_NoSections_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BiquadCascadeBank([], 4));
    }

    /// <summary>The same signal on all five channels; returns channel 4's output (the scalar remainder after a vector group).</summary>
    private static double[] Run(BiquadCascadeBank bank, float[] input)
    {
        var row = new double[bank.Channels];
        var output = new double[input.Length];
        for (int n = 0; n < input.Length; n++)
        {
            Array.Fill(row, input[n]);
            bank.Process(row);
            Assert.All(row, v => Assert.Equal(row[0], v));
            output[n] = row[^1];
        }

        return output;
    }
}

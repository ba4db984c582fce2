using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class LinearEnvelopeBankTests
{
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(4, 1)]
    [InlineData(5, 4)]
    [InlineData(5, 2)]
    public void Process_RandomRows_EqualsOneLinearEnvelopePerChannelBitForBit(int channels, int lanes)
    {
        var bank = new LinearEnvelopeBank(1000, channels, 8, lanes);
        var single = Enumerable.Range(0, channels).Select(_ => new LinearEnvelope(1000, 8)).ToArray();
        var inputs = Enumerable.Range(0, channels).Select(c => TestSignals.WhiteNoise(2000, 0.5 + c, seed: 70 + c)).ToArray();
        var row = new double[channels];
        var envelope = new double[channels];
        for (int n = 0; n < 2000; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                row[c] = inputs[c][n];
            }

            bank.Process(row, envelope);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(single[c].ProcessDouble(inputs[c][n]), envelope[c]);
            }
        }
    }

    [Fact]
    public void Process_SteadySineOnEveryChannel_SettlesAtTwoAOverPi()
    {
        var bank = new LinearEnvelopeBank(1000, 3);
        var sine = TestSignals.Sine(1000, 97.3, 1.5, 5000);
        var row = new double[3];
        var envelope = new double[3];
        double sum = 0;
        for (int n = 0; n < sine.Length; n++)
        {
            row[0] = row[1] = row[2] = sine[n];
            bank.Process(row, envelope);
            sum += n >= 3000 ? envelope[2] : 0;
        }

        Assert.Equal(2 * 1.5 / Math.PI, sum / 2000, 3);
    }
}

using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class EmgChannelFilterBankTests
{
    public static TheoryData<int, int> ChannelsAndLanes()
    {
        var data = new TheoryData<int, int>();
        foreach (int channels in new[] { 1, 2, 3, 4, 5 })
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
    public void Process_NoiseWithOffsetsHumAndNonFiniteSamples_EqualsOneChannelFilterPerChannelBitForBit(int channels, int lanes)
    {
        var options = EmgFilterOptions.Default;
        var bank = new EmgChannelFilterBank(1000, channels, options, lanes);
        var single = Enumerable.Range(0, channels).Select(_ => new EmgChannelFilter(1000, options)).ToArray();
        var inputs = Signals(channels, 12_000);
        AssertSame(bank, single, inputs);

        // Hum on the even channels engages their cancellers (removing on several channels at once); the odd ones stay idle.
        Assert.All(Enumerable.Range(0, channels), c => Assert.Equal(c % 2 == 0, bank.Mains(c)!.HumPresent));
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 2)]
    public void Process_WithAFixedNotchAndNoCanceller_EqualsOneChannelFilterPerChannel(int channels, int lanes)
    {
        var options = new EmgFilterOptions { Mains = MainsFrequency.Off, NotchHz = 50 };
        var bank = new EmgChannelFilterBank(1000, channels, options, lanes);
        var single = Enumerable.Range(0, channels).Select(_ => new EmgChannelFilter(1000, options)).ToArray();
        AssertSame(bank, single, Signals(channels, 3000));
        Assert.Null(bank.Mains(0));
        Assert.NotNull(bank.Notch(channels - 1));
    }

    [Fact]
    public void Reset_AfterASignal_GivesTheSameOutputAsANewBank()
    {
        var inputs = Signals(5, 8000);
        var used = new EmgChannelFilterBank(1000, 5);
        Run(used, inputs);
        used.Reset();
        Assert.Equal(Run(new EmgChannelFilterBank(1000, 5), inputs), Run(used, inputs));
    }

    [Fact]
    public void Process_RowShorterThanTheChannels_ThrowsNamingBoth()
    {
        var bank = new EmgChannelFilterBank(1000, 4);
        var error = Assert.Throws<ArgumentException>(() => bank.Process(new float[3], new double[4]));
        Assert.Contains("3 samples", error.Message);
        Assert.Contains("4 channels", error.Message);
    }

    private static void AssertSame(EmgChannelFilterBank bank, EmgChannelFilter[] single, float[][] inputs)
    {
        int channels = single.Length;
        var row = new float[channels];
        var output = new double[channels];
        for (int n = 0; n < inputs[0].Length; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                row[c] = inputs[c][n];
            }

            bank.Process(row, output);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(single[c].ProcessDouble(inputs[c][n]), output[c]);
            }
        }
    }

    private static double[] Run(EmgChannelFilterBank bank, float[][] inputs)
    {
        var row = new float[bank.Channels];
        var output = new double[bank.Channels];
        var last = new double[inputs[0].Length];
        for (int n = 0; n < last.Length; n++)
        {
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = inputs[c][n];
            }

            bank.Process(row, output);
            last[n] = output[^1];
        }

        return last;
    }

    /// <summary>White noise per channel with its own DC offset, 0.3 mV of 50 Hz hum (with a 3rd harmonic) on the even channels, and NaN/∞ now and then.</summary>
    private static float[][] Signals(int channels, int count)
    {
        var hum = TestSignals.Sine(1000, 50.2, 0.3, count);
        var third = TestSignals.Sine(1000, 150.6, 0.1, count);
        var inputs = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            var x = TestSignals.WhiteNoise(count, 0.02 * (c + 1), seed: 100 + c);
            for (int n = 0; n < count; n++)
            {
                x[n] += 0.5f * c;
                if (c % 2 == 0)
                {
                    x[n] += hum[n] + third[n];
                }

                if ((n + (37 * c)) % 997 == 0)
                {
                    x[n] = n % 2 == 0 ? float.NaN : float.PositiveInfinity;
                }
            }

            inputs[c] = x;
        }

        return inputs;
    }
}

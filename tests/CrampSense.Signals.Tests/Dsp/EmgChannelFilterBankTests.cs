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

    /// <summary>
    /// Hum on every channel at once (the cancellers' removal runs for several lanes of one vector), 50 Hz on some and
    /// 60 Hz on others, switched off on some channels half-way (they release while their neighbours stay engaged), with a
    /// loud broadband burst (the weights' scaled-back adaptation and re-acquisition) and NaN/∞ samples.
    /// </summary>
    [Theory]
    [MemberData(nameof(BiquadCascadeBankTests.ChannelsAndLanes), MemberType = typeof(BiquadCascadeBankTests))]
    public void Process_HumEngagedOnEveryChannelAndReleasedOnSome_EqualsOneChannelFilterPerChannelBitForBit(int channels, int lanes)
    {
        var options = EmgFilterOptions.Default;
        var bank = new EmgChannelFilterBank(1000, channels, options, lanes);
        var single = Enumerable.Range(0, channels).Select(_ => new EmgChannelFilter(1000, options)).ToArray();
        const int count = 24_000;
        var inputs = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            double hz = c % 3 == 1 ? 60.1 : 49.9 + (0.05 * c);
            var hum = TestSignals.Sine(1000, hz, 0.05 + (0.04 * c), count);
            var second = TestSignals.Sine(1000, 2 * hz, 0.02, count);
            var noise = TestSignals.WhiteNoise(count, 0.01, seed: 300 + c);
            var burst = TestSignals.WhiteNoise(count, 2.0, seed: 400 + c);
            var x = new float[count];
            for (int n = 0; n < count; n++)
            {
                bool humOn = c % 2 == 0 || n < count / 2;
                bool loud = n >= 9_000 + (300 * c) && n < 10_500 + (300 * c);
                x[n] = noise[n] + (humOn ? hum[n] + second[n] : 0) + (loud ? burst[n] : 0);
                if ((n + (53 * c)) % 1_999 == 0)
                {
                    x[n] = n % 3 == 0 ? float.NaN : n % 3 == 1 ? float.PositiveInfinity : float.NegativeInfinity;
                }
            }

            inputs[c] = x;
        }

        var engagedAt = new bool[channels];
        var row = new float[channels];
        var output = new double[channels];
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                row[c] = inputs[c][n];
            }

            bank.Process(row, output);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(single[c].ProcessDouble(inputs[c][n]), output[c]);
                engagedAt[c] |= n == (count / 2) - 1 && bank.Mains(c)!.HumPresent;
            }
        }

        // Every canceller was removing hum before the half-way point; the channels whose hum stopped have released.
        Assert.All(engagedAt, Assert.True);
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
    public void Process_HumBeingRemovedOnFourChannels_AllocatesNothing()
    {
        var hum = TestSignals.Sine(1000, 50.1, 0.2, 16_000);
        var noise = TestSignals.WhiteNoise(16_000, 0.01, seed: 9);

        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var bank = new EmgChannelFilterBank(1000, 4);
            var row = new float[4];
            var output = new double[4];

            void Feed(int from, int to)
            {
                for (int n = from; n < to; n++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        row[c] = hum[n] + noise[(n + (1000 * c)) % noise.Length];
                    }

                    bank.Process(row, output);
                }
            }

            Feed(0, 6000);
            Assert.All(Enumerable.Range(0, 4), c => Assert.True(bank.Mains(c)!.HumPresent));
            return () => Feed(6000, 16_000);
        });

        Assert.Equal(0, bytes);
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

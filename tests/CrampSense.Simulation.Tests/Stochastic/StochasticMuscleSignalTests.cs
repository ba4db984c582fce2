using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;
using CrampSense.Simulation.Stochastic;
using Xunit;

namespace CrampSense.Simulation.Tests.Stochastic;

public sealed class StochasticMuscleSignalTests
{
    private const double SampleRateHz = 1000;
    private const int Block = 500;

    private static SiteParameters Site(double medianHz = 80) =>
        new("calf", 5, 1, 1, 3, MaximalRmsMillivolts: 1.0, 0.01, 1, 1, 0, 100, 20) { MedianFrequencyHz = medianHz };

    private static StochasticMuscleSignal Signal(ulong seed = 3, double medianHz = 80, IReadOnlyList<CrampEpisode>? cramps = null) =>
        new(Site(medianHz), cramps ?? [], double.PositiveInfinity, 0.003, SampleRateHz, new SimulationRandom(seed));

    /// <summary>Renders <paramref name="seconds"/> of a constant excitation (voluntary + cramp) and returns the samples.</summary>
    private static List<double> Render(StochasticMuscleSignal signal, double seconds, double voluntary, double cramp = 0, long firstBlock = 0)
    {
        var v = Enumerable.Repeat((float)voluntary, Block).ToArray();
        var c = Enumerable.Repeat((float)cramp, Block).ToArray();
        var output = new float[Block];
        var samples = new List<double>();
        for (var b = 0; b < seconds * SampleRateHz / Block; b++)
        {
            signal.Render((firstBlock + b) * Block, v, c, 1, output);
            samples.AddRange(output.Select(x => (double)x));
        }

        return samples;
    }

    [Fact]
    public void Render_ConstantExcitation_RmsIsLinearAboveTheRecruitmentThreshold()
    {
        var threshold = PhysiologyConstants.FullRecruitmentExcitation / PhysiologyConstants.RecruitmentRange;
        var weak = Dsp.Rms(Render(Signal(), 20, 0.2).Skip(1000).ToList());
        var strong = Dsp.Rms(Render(Signal(), 20, 0.6).Skip(1000).ToList());

        // MaximalRms 1 mV × (e − threshold) / (1 − threshold), within 5 % (fatigue raises it by a few % over 20 s).
        Assert.Equal((0.2 - threshold) / (1 - threshold), weak, 0.2 * 0.06);
        Assert.Equal((0.6 - threshold) / (1 - threshold), strong, 0.6 * 0.08);
    }

    [Fact]
    public void Render_CrampAndVoluntaryOfTheSameExcitation_HaveTheSameAmplitude()
    {
        // The engine has no cramp-specific amplitude or spectrum: only the plan's excitation matters.
        var voluntary = Render(Signal(5), 10, 0.4, 0);
        var cramp = Render(Signal(5), 10, 0, 0.4);

        Assert.Equal(voluntary, cramp);
    }

    [Fact]
    public void Render_BelowTheRecruitmentThreshold_IsSilent()
    {
        var samples = Render(Signal(), 2, 0.01);

        Assert.All(samples, s => Assert.Equal(0, s));
    }

    [Fact]
    public void Render_SustainedContraction_FatigueCompressesTheSpectrum()
    {
        var signal = Signal(7, medianHz: 100);

        var samples = Render(signal, 180, 0.6);

        var first = Dsp.MedianFrequency(samples.Take(20_000).ToList(), SampleRateHz, 512);
        var last = Dsp.MedianFrequency(samples.Skip(160_000).ToList(), SampleRateHz, 512);
        Assert.InRange(first, 90, 110);

        // 3 min at 60 %: the fatigue state approaches 1 − e^(−1.8) ≈ 0.83, conduction velocity ≈ 75 % of rest.
        Assert.InRange(last / first, 0.65, 0.85);
        Assert.InRange(signal.Filter.Compression, 0.7, 0.8);
    }

    [Fact]
    public void Render_RestAfterFatigue_Recovers()
    {
        var signal = Signal(8);
        Render(signal, 120, 0.8);
        var fatigued = signal.Filter.Compression;

        Render(signal, 900, 0, firstBlock: 240);

        Assert.True(fatigued < 0.8, $"compression after 2 min at 80 %: {fatigued}");
        Assert.True(signal.Filter.Compression > 0.97, $"compression after 15 min of rest: {signal.Filter.Compression}");
    }

    [Fact]
    public void Render_SameSeed_GivesBitIdenticalSamples_AnotherSeedOthers()
    {
        Assert.Equal(Render(Signal(21), 3, 0.3), Render(Signal(21), 3, 0.3));
        Assert.NotEqual(Render(Signal(21), 3, 0.3), Render(Signal(22), 3, 0.3));
    }

    [Fact]
    public void Render_Prodrome_RisesSteadilyOverTensOfSecondsBeforeTheOnset()
    {
        // Prodrome 40 s before an onset at 60 s, +200 % over a 3 µV floor.
        var cramp = new CrampEpisode(0, 20, 60, 80, 80, 0.3, 0.5, 2.0);
        var samples = Render(Signal(4, cramps: [cramp]), 60, 0);

        var before = Dsp.Rms(samples.Take(20_000).ToList());
        var early = Dsp.Rms(samples.Skip(21_000).Take(3000).ToList());
        var middle = Dsp.Rms(samples.Skip(38_500).Take(3000).ToList());
        var late = Dsp.Rms(samples.Skip(57_000).Take(3000).ToList());
        Assert.Equal(0, before);

        // Alone (without the floor) the prodrome reaches floor × √((1 + 2)² − 1) ≈ 8.5 µV at the onset; with the
        // floor the site's amplitude rises linearly, so half-way the prodrome alone is floor × √(2² − 1), 61 % of it
        // (3-s windows; the irregularity is about ±10 %).
        var full = 0.003 * Math.Sqrt(8);
        Assert.InRange(late, full * 0.8, full * 1.15);
        Assert.InRange(middle, full * 0.45, full * 0.75);
        Assert.True(early < late / 3, $"early {early}, late {late}");
    }
}

using CrampSense.Detection.Model;
using CrampSense.Detection;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class TrainingWindowCollectorTests
{
    /// <summary>20 s of noise on one site: 4 µV, 200 µV during 8–14 s; faulty (flat) 16–17 s.</summary>
    private static TrainingSet Collect(IReadOnlyList<TruthInterval> truth, TrainingCollectorOptions options)
    {
        var layout = new RecordingLayout(1000, ["calf"], false, false);
        var set = new TrainingSet();
        var collector = new TrainingWindowCollector(layout, truth, set, group: 7, options);
        var frame = layout.CreateFrame();
        var random = new Random(1);
        for (int n = 0; n < 20_000; n++)
        {
            double t = n / 1000.0;
            frame.TimeSeconds = t;
            double amplitude = t is >= 8 and < 14 ? 0.2 : 0.004;
            frame.EmgMillivolts[0] = t is >= 16 and < 17 ? 0.3f : (float)(amplitude * ((random.NextDouble() * 2) - 1));
            collector.Process(frame);
        }

        return set;
    }

    [Fact]
    public void Process_LabelledCramp_KeepsCrampWindowsAndSamplesRest()
    {
        var set = Collect([new TruthInterval(TruthKind.Cramp, "calf", 8, 14)], new TrainingCollectorOptions { RestKeepFraction = 0.5, Seed = 3 });

        // 6 s of cramp at a 50-ms hop: ~120 windows, all kept; ~14 s of clean rest (~270 windows), about half kept.
        Assert.InRange(set.ClassCounts[(int)ActivityClass.Cramp], 115, 122);
        Assert.InRange(set.ClassCounts[(int)ActivityClass.Rest], 100, 170);
        Assert.Equal(0, set.ClassCounts[(int)ActivityClass.Artifact]);
        Assert.All(Enumerable.Range(0, set.Count), i => Assert.Equal(7, set.GroupAt(i)));
    }

    [Fact]
    public void Process_FaultyWindows_AreLeftOut()
    {
        var set = Collect([], new TrainingCollectorOptions { RestKeepFraction = 1 });

        // 20 s = 396 windows, minus those touching the flat second (≈ 1 s + one window).
        Assert.InRange(set.Count, 370, 380);
    }

    [Fact]
    public void Process_LabelByActivity_CallsShortActivityVoluntaryAndLeavesSustainedOut()
    {
        var set = Collect([], new TrainingCollectorOptions { RestKeepFraction = 1, VoluntaryKeepFraction = 1, LabelByActivity = true, SustainedSeconds = 4.5 });

        // The 6-s contraction: its first ~4.5 s voluntary, the rest left out as a possible cramp.
        Assert.InRange(set.ClassCounts[(int)ActivityClass.Voluntary], 85, 95);
        Assert.Equal(0, set.ClassCounts[(int)ActivityClass.Cramp]);
        for (int i = 0; i < set.Count; i++)
        {
            if (set.LabelAt(i) == ActivityClass.Voluntary)
            {
                Assert.True(set.FeaturesAt(i)[(int)ModelFeature.ActiveSeconds] < 4.5f);
            }
        }
    }

    [Fact]
    public void Process_LabelledCramp_MarksItsWindowsInsideActivityAndRestMostlyOutside()
    {
        var set = Collect([new TruthInterval(TruthKind.Cramp, "calf", 8, 14)], new TrainingCollectorOptions { RestKeepFraction = 1, Seed = 3 });
        var cramp = Enumerable.Range(0, set.Count).Where(i => set.LabelAt(i) == ActivityClass.Cramp).ToArray();
        var rest = Enumerable.Range(0, set.Count).Where(i => set.LabelAt(i) == ActivityClass.Rest).ToArray();

        // The activity detector needs a few windows to call the onset, and holds on for up to a second after the end
        // (hysteresis): most, not all, cramp windows are inside activity, and a few rest windows after it.
        Assert.InRange(cramp.Count(set.IsInsideActivity), cramp.Length * 8 / 10, cramp.Length);
        Assert.InRange(rest.Count(set.IsInsideActivity), 0, 20);
    }

    [Fact]
    public void Process_LabelByActivity_MarksNoWindowInsideActivity()
    {
        var set = Collect([], new TrainingCollectorOptions { RestKeepFraction = 1, VoluntaryKeepFraction = 1, LabelByActivity = true });

        Assert.True(set.ClassCounts[(int)ActivityClass.Voluntary] > 0);
        Assert.DoesNotContain(Enumerable.Range(0, set.Count), set.IsInsideActivity);
    }
}

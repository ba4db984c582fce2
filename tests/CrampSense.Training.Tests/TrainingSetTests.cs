using CrampSense.Detection;
using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class TrainingSetTests
{
    [Fact]
    public void CollectInParallel_PartsFinishingInAnyOrder_AreMergedInIndexOrder()
    {
        // 16 parts; part i holds i % 3 + 1 windows of group i. Part 0 finishes only after another part has (or, on a
        // machine that runs the loop on one thread, after 10 s), so completion order is not index order and a merge
        // in completion order would put group 0 last.
        const int parts = 16;
        var finished = new List<int>();
        var gate = new Lock();
        using var anotherFinished = new ManualResetEventSlim();

        var set = TrainingSet.CollectInParallel(
            parts,
            (i, part) =>
            {
                if (i == 0)
                {
                    anotherFinished.Wait(TimeSpan.FromSeconds(10));
                }

                var features = new float[ModelFeatureNames.Count];
                for (int w = 0; w < (i % 3) + 1; w++)
                {
                    features[0] = (i * 10) + w;
                    part.Add(features, ActivityClass.Rest, group: i);
                }
            },
            i =>
            {
                lock (gate)
                {
                    finished.Add(i);
                }

                if (i != 0)
                {
                    anotherFinished.Set();
                }
            });

        int[] expectedGroups = [.. Enumerable.Range(0, parts).SelectMany(i => Enumerable.Repeat(i, (i % 3) + 1))];
        Assert.Equal(expectedGroups, Enumerable.Range(0, set.Count).Select(set.GroupAt));
        Assert.Equal(Enumerable.Range(0, parts), finished.Order());
        Assert.Equal(expectedGroups.Length, set.ClassCounts[(int)ActivityClass.Rest]);
    }

    [Fact]
    public void CollectInParallel_NoRecordings_IsEmpty()
    {
        Assert.Equal(0, TrainingSet.CollectInParallel(0, (_, _) => throw new InvalidOperationException("not called")).Count);
    }
}

using CrampSense.Cli.Plotting;
using Xunit;

namespace CrampSense.Cli.Tests.Plotting;

public sealed class MinMaxDecimatorTests
{
    [Fact]
    public void Add_FewerPointsThanCapacity_KeepsEveryPoint()
    {
        var decimator = new MinMaxDecimator(8);
        for (var i = 0; i < 5; i++)
        {
            decimator.Add(i, i * 10);
        }

        var (time, min, max) = decimator.ToArrays();
        Assert.Equal([0.0, 1, 2, 3, 4], time);
        Assert.Equal(min, max);
        Assert.Equal(1, decimator.PointsPerBucket);
    }

    [Fact]
    public void Add_ManyPoints_StaysWithinCapacityAndKeepsTheExtremes()
    {
        var decimator = new MinMaxDecimator(64);
        var random = new Random(3);
        var globalMin = float.MaxValue;
        var globalMax = float.MinValue;
        for (var i = 0; i < 100_000; i++)
        {
            var value = (float)random.NextDouble();
            globalMin = Math.Min(globalMin, value);
            globalMax = Math.Max(globalMax, value);
            decimator.Add(i * 0.001, value);
        }

        var (time, min, max) = decimator.ToArrays();
        Assert.InRange(decimator.Count, 33, 64);
        Assert.Equal(100_000, decimator.PointCount);
        Assert.Equal(globalMin, min.Min(), 6);
        Assert.Equal(globalMax, max.Max(), 6);
        Assert.Equal(0, time[0]);
        Assert.True(time.Zip(time.Skip(1)).All(p => p.First < p.Second), "bucket times increase");
    }

    [Fact]
    public void Add_SingleSpikeAmongSilence_SurvivesDecimation()
    {
        var decimator = new MinMaxDecimator(16);
        for (var i = 0; i < 10_000; i++)
        {
            decimator.Add(i, i == 7_777 ? 5f : 0f);
        }

        var (time, _, max) = decimator.ToArrays();
        var spikeBucket = Array.IndexOf(max, 5.0);
        Assert.True(spikeBucket >= 0, "the spike is in some bucket");
        Assert.InRange(7_777, time[spikeBucket], spikeBucket + 1 < time.Length ? time[spikeBucket + 1] - 1 : 9_999);
    }

    [Fact]
    public void Add_BucketsCoverEqualCountsOfPoints()
    {
        var decimator = new MinMaxDecimator(4);
        for (var i = 0; i < 16; i++)
        {
            decimator.Add(i, i);
        }

        var (time, min, max) = decimator.ToArrays();
        Assert.Equal(4, decimator.PointsPerBucket);
        Assert.Equal([0.0, 4, 8, 12], time);
        Assert.Equal([0.0, 4, 8, 12], min);
        Assert.Equal([3.0, 7, 11, 15], max);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Constructor_CapacityNotEvenOrTooSmall_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinMaxDecimator(capacity));
    }
}

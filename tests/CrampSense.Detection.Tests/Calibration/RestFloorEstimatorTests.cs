using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Detection.Tests.Calibration;

public sealed class RestFloorEstimatorTests
{
    [Fact]
    public void Estimate_IsTheTenthPercentile_SoTwitchesDoNotRaiseIt()
    {
        var estimator = new RestFloorEstimator();
        float[] rest = Enumerable.Range(1, 100).Select(i => (float)i).ToArray(); // 1..100 µV

        estimator.Add(rest);
        estimator.Add([5000f, 6000f]); // two twitches

        Assert.Equal(102, estimator.Count);
        // 10th percentile of 102 values by linear interpolation: rank 10.1 → 11.1 µV.
        Assert.Equal(11.1, estimator.Estimate(), 6);
        Assert.Equal(1.0, estimator.Estimate(0), 6);
    }

    [Fact]
    public void Estimate_NothingAdded_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new RestFloorEstimator().Estimate());
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(-1f)]
    [InlineData(float.PositiveInfinity)]
    public void Add_InvalidValue_ThrowsGivingItsIndex(float value)
    {
        var estimator = new RestFloorEstimator();
        estimator.Add([1f, 2f, 3f]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Add(value));

        Assert.Contains("#3", ex.Message, StringComparison.Ordinal);
    }
}

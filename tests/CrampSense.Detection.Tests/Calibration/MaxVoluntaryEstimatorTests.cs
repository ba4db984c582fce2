using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Detection.Tests.Calibration;

public sealed class MaxVoluntaryEstimatorTests
{
    [Fact]
    public void HighestWindowMean_IgnoresASingleSpikeAndFindsTheBestHalfSecond()
    {
        // 100 values/s: 0.5 s = 50 values. A 1 s contraction at 300 µV, and elsewhere a single 2000 µV spike.
        var estimator = new MaxVoluntaryEstimator(envelopeRateHz: 100);
        var stream = new List<float>();
        stream.AddRange(Enumerable.Repeat(5f, 200));
        stream.Add(2000f);
        stream.AddRange(Enumerable.Repeat(5f, 200));
        stream.AddRange(Enumerable.Repeat(300f, 100));
        stream.AddRange(Enumerable.Repeat(5f, 200));

        estimator.Add(stream.ToArray());

        Assert.Equal(50, estimator.WindowLength);
        Assert.Equal(300.0, estimator.HighestWindowMean!.Value, 6);
    }

    [Fact]
    public void HighestWindowMean_LongRecording_StaysExact()
    {
        var estimator = new MaxVoluntaryEstimator(envelopeRateHz: 1000);
        var random = new Random(7);
        for (int i = 0; i < 600_000; i++)
        {
            estimator.Add((float)(random.NextDouble() * 0.1));
        }

        estimator.Add(Enumerable.Repeat(1.25f, 500).ToArray());

        Assert.Equal(1.25, estimator.HighestWindowMean!.Value, 6);
    }

    [Fact]
    public void HighestWindowMean_ShorterThanOneWindow_IsNull()
    {
        var estimator = new MaxVoluntaryEstimator(envelopeRateHz: 100);
        estimator.Add(Enumerable.Repeat(300f, 49).ToArray());

        Assert.Null(estimator.HighestWindowMean);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(100.0, double.NaN)]
    public void Constructor_InvalidRateOrWindow_Throws(double rate, double window)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxVoluntaryEstimator(rate, window));
    }

    [Fact]
    public void Add_NaN_ThrowsGivingItsIndex()
    {
        var estimator = new MaxVoluntaryEstimator(100);
        estimator.Add([1f, 2f]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Add(float.NaN));

        Assert.Contains("#2", ex.Message, StringComparison.Ordinal);
    }
}

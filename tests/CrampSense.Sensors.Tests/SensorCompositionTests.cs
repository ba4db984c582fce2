using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Sampling;
using Xunit;

namespace CrampSense.Sensors.Tests;

public class SensorCompositionTests
{
    [Theory]
    [InlineData("Spin", SamplingPacing.Spin)]
    [InlineData("sleep", SamplingPacing.Sleep)]
    [InlineData("Batch", SamplingPacing.Batch)]
    public void AcquisitionSettingsFrom_PacingKey_SelectsTheMode(string key, SamplingPacing expected)
    {
        var options = new SensorsOptions { Emg = new EmgOptions { Pacing = key, BatchMilliseconds = 8, RateHz = 1500, LatenessTolerancePeriods = 2 } };

        var settings = SensorComposition.AcquisitionSettingsFrom(options);

        Assert.Equal(expected, settings.Pacing);
        Assert.Equal(TimeSpan.FromMilliseconds(8), settings.BatchPeriod);
        Assert.Equal(1500, settings.EmgRateHz);
        Assert.Equal(2, settings.LatenessTolerancePeriods);
    }

    [Fact]
    public void AcquisitionSettingsFrom_Defaults_SleepPerSlot()
    {
        Assert.Equal(SamplingPacing.Sleep, SensorComposition.AcquisitionSettingsFrom(new SensorsOptions()).Pacing);
    }
}

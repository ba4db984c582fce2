using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Detection.Tests.Calibration;

public sealed class SiteCalibrationTests
{
    [Theory]
    [InlineData(0.0, null, "restFloorMicrovolts")]
    [InlineData(double.NaN, null, "restFloorMicrovolts")]
    [InlineData(5.0, 5.0, "maxVoluntaryMicrovolts")]
    [InlineData(5.0, double.PositiveInfinity, "maxVoluntaryMicrovolts")]
    public void Constructor_OutOfRange_ThrowsNamingTheValue(double floor, double? max, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SiteCalibration(floor, max));

        Assert.Equal(parameter, ex.ParamName);
    }
}

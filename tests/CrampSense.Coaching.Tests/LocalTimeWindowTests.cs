using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class LocalTimeWindowTests
{
    [Theory]
    [InlineData("21:59", false)]
    [InlineData("22:00", true)]
    [InlineData("23:59", true)]
    [InlineData("00:00", true)]
    [InlineData("03:30", true)]
    [InlineData("06:59", true)]
    [InlineData("07:00", false)]
    [InlineData("12:00", false)]
    public void Contains_WindowCrossingMidnight_CoversLateEveningAndEarlyMorning(string time, bool expected)
    {
        var window = new LocalTimeWindow(new TimeOnly(22, 0), new TimeOnly(7, 0));

        Assert.Equal(expected, window.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("12:59", false)]
    [InlineData("13:00", true)]
    [InlineData("14:59", true)]
    [InlineData("15:00", false)]
    public void Contains_WindowWithinOneDay_IsHalfOpen(string time, bool expected)
    {
        var window = new LocalTimeWindow(new TimeOnly(13, 0), new TimeOnly(15, 0));

        Assert.Equal(expected, window.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Contains_StartEqualsEnd_IsEmptyAndContainsNothing()
    {
        var window = new LocalTimeWindow(new TimeOnly(22, 0), new TimeOnly(22, 0));

        Assert.True(window.IsEmpty);
        Assert.False(window.Contains(new TimeOnly(22, 0)));
        Assert.False(window.Contains(new TimeOnly(3, 0)));
    }
}

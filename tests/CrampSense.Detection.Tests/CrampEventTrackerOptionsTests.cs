using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class CrampEventTrackerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new CrampEventTrackerOptions();

        options.Validate();

        Assert.Equal(5.0, options.MinimumCrampSeconds);
        Assert.Equal(1.0, options.EndAfterSeconds);
        Assert.Equal(0.5, options.DipToleranceSeconds);
    }

    [Fact]
    public void Validate_MinimumOfExactlyTwoSeconds_Passes()
    {
        new CrampEventTrackerOptions { MinimumCrampSeconds = 2.0 }.Validate();
    }

    public static TheoryData<CrampEventTrackerOptions, string> InvalidOptions => new()
    {
        { new CrampEventTrackerOptions { MinimumCrampSeconds = 1.0 }, nameof(CrampEventTrackerOptions.MinimumCrampSeconds) },
        { new CrampEventTrackerOptions { MinimumCrampSeconds = 1.99 }, nameof(CrampEventTrackerOptions.MinimumCrampSeconds) },
        { new CrampEventTrackerOptions { MinimumCrampSeconds = double.NaN }, nameof(CrampEventTrackerOptions.MinimumCrampSeconds) },
        { new CrampEventTrackerOptions { ContextAfterOnsetSeconds = 0 }, nameof(CrampEventTrackerOptions.ContextAfterOnsetSeconds) },
        { new CrampEventTrackerOptions { ContextAfterOnsetSeconds = double.NaN }, nameof(CrampEventTrackerOptions.ContextAfterOnsetSeconds) },
        { new CrampEventTrackerOptions { DipToleranceSeconds = 0 }, nameof(CrampEventTrackerOptions.DipToleranceSeconds) },
        { new CrampEventTrackerOptions { EndAfterSeconds = 0.4 }, nameof(CrampEventTrackerOptions.EndAfterSeconds) },
        { new CrampEventTrackerOptions { ReflexBurstMaxSeconds = -1 }, nameof(CrampEventTrackerOptions.ReflexBurstMaxSeconds) },
        { new CrampEventTrackerOptions { FaultClearSeconds = double.PositiveInfinity }, nameof(CrampEventTrackerOptions.FaultClearSeconds) },
        { new CrampEventTrackerOptions { WarningMinRatio = 0.5 }, nameof(CrampEventTrackerOptions.WarningMinRatio) },
        { new CrampEventTrackerOptions { WarningSustainSeconds = 0 }, nameof(CrampEventTrackerOptions.WarningSustainSeconds) },
        { new CrampEventTrackerOptions { WarningGapToleranceSeconds = -2 }, nameof(CrampEventTrackerOptions.WarningGapToleranceSeconds) },
        { new CrampEventTrackerOptions { WarningCooldownSeconds = -1 }, nameof(CrampEventTrackerOptions.WarningCooldownSeconds) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_OutOfRangeOption_ThrowsNamingTheOption(CrampEventTrackerOptions options, string optionName)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(optionName, ex.ParamName);
        Assert.StartsWith($"Cramp detector option {optionName} ", ex.Message, StringComparison.Ordinal);
    }
}

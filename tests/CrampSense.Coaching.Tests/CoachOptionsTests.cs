using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class CoachOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        new CoachOptions().Validate();
        new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true } }.Validate();
    }

    public static TheoryData<CoachOptions, string> InvalidOptions => new()
    {
        { new CoachOptions { Language = "xx" }, "Coach:Language" },
        { new CoachOptions { Stretch = new StretchOptions { HoldSeconds = 0 } }, "Coach:Stretch:HoldSeconds" },
        { new CoachOptions { Stretch = new StretchOptions { RepeatInterval = TimeSpan.Zero } }, "Coach:Stretch:RepeatInterval" },
        { new CoachOptions { Stretch = new StretchOptions { NewEpisodeQuietPeriod = TimeSpan.FromSeconds(-1) } }, "Coach:Stretch:NewEpisodeQuietPeriod" },
        { new CoachOptions { Aftercare = new AftercareOptions { SevereDuration = TimeSpan.Zero } }, "Coach:Aftercare:SevereDuration" },
        { new CoachOptions { Aftercare = new AftercareOptions { SeverePeakPercentOfMax = double.NaN } }, "Coach:Aftercare:SeverePeakPercentOfMax" },
        { new CoachOptions { Aftercare = new AftercareOptions { RestMinutes = 0 } }, "Coach:Aftercare:RestMinutes" },
        { new CoachOptions { Hydration = new HydrationOptions { ExerciseInterval = TimeSpan.Zero } }, "Coach:Hydration:ExerciseInterval" },
        { new CoachOptions { Hydration = new HydrationOptions { HotExerciseInterval = TimeSpan.FromMinutes(30) } }, "Coach:Hydration:HotExerciseInterval" },
        { new CoachOptions { Hydration = new HydrationOptions { HotSkinTemperatureCelsius = 60 } }, "Coach:Hydration:HotSkinTemperatureCelsius" },
        { new CoachOptions { Hydration = new HydrationOptions { MinimumGap = TimeSpan.FromMinutes(-1) } }, "Coach:Hydration:MinimumGap" },
        { new CoachOptions { Bedtime = new BedtimeOptions { LateWindow = TimeSpan.FromHours(25) } }, "Coach:Bedtime:LateWindow" },
        { new CoachOptions { Bedtime = new BedtimeOptions { Repetitions = 0 } }, "Coach:Bedtime:Repetitions" },
        { new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true, Time = new TimeOnly(23, 0) } }, "Coach:Bedtime:Time" },
        { new CoachOptions { SeeDoctor = new SeeDoctorOptions { FrequentCount = 1 } }, "Coach:SeeDoctor:FrequentCount" },
        { new CoachOptions { SeeDoctor = new SeeDoctorOptions { FrequentWindow = TimeSpan.Zero } }, "Coach:SeeDoctor:FrequentWindow" },
        { new CoachOptions { SeeDoctor = new SeeDoctorOptions { LongCrampDuration = TimeSpan.Zero } }, "Coach:SeeDoctor:LongCrampDuration" },
        { new CoachOptions { SeeDoctor = new SeeDoctorOptions { RepeatInterval = TimeSpan.Zero } }, "Coach:SeeDoctor:RepeatInterval" },
        { new CoachOptions { QuietHours = null! }, "Coach:QuietHours" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidValue_ThrowsNamingTheConfigurationKey(CoachOptions options, string key)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(key, ex.ParamName);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BedtimeInsideQuietHoursWithoutNightCramps_Passes()
    {
        // The reminder is off, so where its time lies does not matter.
        new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = false, Time = new TimeOnly(23, 0) } }.Validate();
    }

    [Fact]
    public void QuietHoursWindow_ReflectsStartAndEnd()
    {
        var quiet = new QuietHoursOptions { Start = new TimeOnly(23, 15), End = new TimeOnly(6, 45) };

        Assert.Equal(new LocalTimeWindow(new TimeOnly(23, 15), new TimeOnly(6, 45)), quiet.Window);
    }
}

using CrampSense.Detection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class CrampCoachTests
{
    private const string Device = "pi-01";

    // Local time is UTC+1 without daylight saving, so local-time rules are visibly not UTC rules.
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test+01", TimeSpan.FromHours(1), "Test+01", "Test+01");

    // 09:00 local on a Monday: outside the default quiet hours (22:00–07:00).
    private static readonly DateTimeOffset Morning = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Morning);

    // ---- cramp_started: stretch ----

    [Fact]
    public void OnEvent_CrampStarted_GivesHighUrgencyStretchCrampAlertForTheSite()
    {
        var coach = NewCoach();

        var prompt = Assert.Single(coach.OnEvent(Started("calf", 1000)));

        Assert.Equal(PromptKind.Stretch, prompt.Kind);
        Assert.Equal("calf", prompt.Site);
        Assert.Equal(PromptUrgency.High, prompt.Urgency);
        Assert.Equal(HapticPattern.CrampAlert, prompt.HapticPattern);
        Assert.Equal("pi-01:calf:cramp:1000:stretch", prompt.Id);
        Assert.Equal("pi-01:calf:cramp:1000", prompt.TriggerId);
        Assert.Equal(Morning, prompt.CreatedAt);
        Assert.Contains("Stop", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("30 seconds", prompt.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calf", "knee straight", "pull your foot up")]
    [InlineData("calf_left", "knee straight", "pull your foot up")]
    [InlineData("hamstring", "leg straight", "lean forward")]
    [InlineData("quadriceps", "heel", "buttock")]
    [InlineData("foot", "toes up", "shin")]
    [InlineData("hand", "palm flat", "fingers pointing down")]
    [InlineData("forearm_1", "palm flat", "fingers pointing down")]
    public void OnEvent_CrampStarted_StretchTextFitsTheMuscle(string site, string phrase1, string phrase2)
    {
        var coach = NewCoach();

        var prompt = Assert.Single(coach.OnEvent(Started(site, 1000)));

        Assert.Contains(phrase1, prompt.Text, StringComparison.Ordinal);
        Assert.Contains(phrase2, prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_CrampStartedAtUnknownSite_GivesGenericStretchNamingTheSite()
    {
        var coach = NewCoach();

        var prompt = Assert.Single(coach.OnEvent(Started("neck", 1000)));

        Assert.Equal(PromptKind.Stretch, prompt.Kind);
        Assert.Contains("neck", prompt.Title, StringComparison.Ordinal);
        Assert.Contains("muscle gets longer", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_CrampStarted_UsesConfiguredHoldTime()
    {
        var coach = NewCoach(new CoachOptions { Stretch = new StretchOptions { HoldSeconds = 45 } });

        var prompt = Assert.Single(coach.OnEvent(Started("calf", 1000)));

        Assert.Contains("45 seconds", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_GermanLanguage_GivesGermanText()
    {
        var coach = NewCoach(new CoachOptions { Language = "de" });

        var prompt = Assert.Single(coach.OnEvent(Started("calf", 1000)));

        Assert.Contains("Knie gestreckt", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_WarningOrFault_GivesNoPrompt()
    {
        var coach = NewCoach();
        var warning = Started("calf", 1000) with { Type = CrampEventKind.CrampWarning, Id = "pi-01:calf:warning:1000" };
        var fault = Started("calf", 2000) with { Type = CrampEventKind.SignalFault, Id = "pi-01:calf:fault:2000" };

        Assert.Empty(coach.OnEvent(warning));
        Assert.Empty(coach.OnEvent(fault));
    }

    // ---- cramp_ended: aftercare and rest ----

    [Fact]
    public void OnEvent_ShortCrampEnded_GivesAftercareToDrinkElectrolytesAndMassageOrWarm()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromSeconds(20));

        var prompt = Assert.Single(coach.OnEvent(Ended("calf", 1000, 25)));

        Assert.Equal(PromptKind.Hydrate, prompt.Kind);
        Assert.Equal("pi-01:calf:cramp:1000:hydrate", prompt.Id);
        Assert.Equal("calf", prompt.Site);
        Assert.Equal(PromptUrgency.Normal, prompt.Urgency);
        Assert.Contains("electrolytes", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("massage", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("warm", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_LongCrampEnded_IsSevereAndGivesRestForConfiguredMinutes()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromSeconds(60));

        var prompt = Assert.Single(coach.OnEvent(Ended("calf", 1000, 65)));

        Assert.Equal(PromptKind.Rest, prompt.Kind);
        Assert.Equal("pi-01:calf:cramp:1000:rest", prompt.Id);
        Assert.Equal(HapticPattern.Attention, prompt.HapticPattern);
        Assert.Contains("at least 10 minutes", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("electrolytes", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_ShortCrampWithPeakNearMaximalContraction_IsSevere()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));

        var prompt = Assert.Single(coach.OnEvent(Ended("calf", 1000, 20, peakPercentOfMax: 85)));

        Assert.Equal(PromptKind.Rest, prompt.Kind);
    }

    [Fact]
    public void OnEvent_CrampJustBelowBothSevereLimits_IsNotSevere()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));

        var prompt = Assert.Single(coach.OnEvent(Ended("calf", 1000, 59.9, peakPercentOfMax: 79.9)));

        Assert.Equal(PromptKind.Hydrate, prompt.Kind);
    }

    // ---- hydration ----

    [Fact]
    public void Tick_DuringExercise_RemindsToDrinkEveryExerciseInterval()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 33.0));

        _clock.Advance(TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(1));
        Assert.Empty(coach.Tick());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var first = Assert.Single(coach.Tick());
        _clock.Advance(TimeSpan.FromMinutes(20));
        var second = Assert.Single(coach.Tick());

        Assert.Equal(PromptKind.Hydrate, first.Kind);
        Assert.Equal(PromptUrgency.Low, first.Urgency);
        Assert.Equal(HapticPattern.Reminder, first.HapticPattern);
        Assert.Null(first.Site);
        Assert.Contains("20 minutes", first.Text, StringComparison.Ordinal);
        Assert.Equal($"pi-01:hydrate:exercise:{Morning.AddMinutes(20).ToUnixTimeMilliseconds()}", first.Id);
        Assert.Equal($"pi-01:hydrate:exercise:{Morning.AddMinutes(40).ToUnixTimeMilliseconds()}", second.Id);
    }

    [Fact]
    public void Tick_DuringExerciseWithHotSkin_RemindsAtTheShorterInterval()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 35.5));

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Empty(coach.Tick());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var prompt = Assert.Single(coach.Tick());

        Assert.Contains("sweating", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("10 minutes", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnActivity_SkinHeatsUpMidExercise_ShortensTheRunningInterval()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 33.0));
        _clock.Advance(TimeSpan.FromMinutes(12));
        Assert.Empty(coach.Tick());

        var prompts = coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 36.0));

        var prompt = Assert.Single(prompts);
        Assert.Equal(PromptKind.Hydrate, prompt.Kind);
        Assert.Contains("sweating", prompt.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ActivityKind.Rest)]
    [InlineData(ActivityKind.Sleep)]
    public void Tick_NotExercising_NoHydrationReminder(ActivityKind kind)
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(kind, 36.0));

        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Empty(coach.Tick());
    }

    [Fact]
    public void OnActivity_LongExerciseEnds_GivesAfterExerciseDrinkPrompt()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise));
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Empty(coach.Tick());
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(coach.Tick()); // the 20-minute reminder
        _clock.Advance(TimeSpan.FromMinutes(15));

        var prompt = Assert.Single(coach.OnActivity(new ActivityContext(ActivityKind.Rest)));

        Assert.Equal(PromptKind.Hydrate, prompt.Kind);
        Assert.Equal($"pi-01:hydrate:after_exercise:{Morning.ToUnixTimeMilliseconds()}", prompt.Id);
        Assert.Contains("exercise is over", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnActivity_ShortExerciseEnds_NoAfterExercisePrompt()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise));
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(coach.OnActivity(new ActivityContext(ActivityKind.Rest)));
    }

    [Fact]
    public void OnEvent_CrampEndsDuringExercise_GivesDrinkBeforeGoingOnAndRestartsTheReminderTimer()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 33.0));
        _clock.Advance(TimeSpan.FromMinutes(15));
        coach.OnEvent(Started("calf", 900_000));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var prompt = Assert.Single(coach.OnEvent(Ended("calf", 900_000, 35)));
        _clock.Advance(TimeSpan.FromMinutes(19));
        var beforeNext = coach.Tick();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var next = coach.Tick();

        Assert.Equal(PromptKind.Hydrate, prompt.Kind);
        Assert.Contains("Before you carry on", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("electrolytes", prompt.Text, StringComparison.Ordinal);
        Assert.Empty(beforeNext);
        Assert.Single(next);
    }

    [Fact]
    public void OnEvent_EachCrampEndDuringExercise_DrinkPromptAtMostOncePerMinimumGap()
    {
        var coach = NewCoach();
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise));
        Assert.Single(CrampAt("calf", 20));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = CrampAt("hamstring", 20);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var third = CrampAt("quadriceps", 20);

        Assert.DoesNotContain(second, p => p.Kind == PromptKind.Hydrate);
        Assert.Contains(third, p => p.Kind == PromptKind.Hydrate && p.Site == "quadriceps");

        IReadOnlyList<CoachPrompt> CrampAt(string site, double seconds)
        {
            var onsetMs = (int)(_clock.GetUtcNow() - Morning).TotalMilliseconds;
            coach.OnEvent(Started(site, onsetMs));
            _clock.Advance(TimeSpan.FromSeconds(seconds));
            return coach.OnEvent(Ended(site, onsetMs, seconds));
        }
    }

    // ---- bedtime ----

    [Fact]
    public void Tick_AtBedtimeForUserWithNightCramps_RemindsOncePerEvening()
    {
        var coach = NewCoach(new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true } });
        SetLocal(2026, 6, 1, 21, 29, 59);
        Assert.Empty(coach.Tick());

        _clock.Advance(TimeSpan.FromSeconds(1));
        var first = Assert.Single(coach.Tick());
        _clock.Advance(TimeSpan.FromMinutes(15));
        var again = coach.Tick();
        SetLocal(2026, 6, 2, 21, 30, 0);
        var nextEvening = Assert.Single(coach.Tick());

        Assert.Equal(PromptKind.BedtimeStretch, first.Kind);
        Assert.Equal("pi-01:bedtime_stretch:2026-06-01", first.Id);
        Assert.Equal(PromptUrgency.Low, first.Urgency);
        Assert.Empty(again);
        Assert.Equal("pi-01:bedtime_stretch:2026-06-02", nextEvening.Id);
    }

    [Fact]
    public void Tick_BedtimeReminder_NamesCalvesAndHamstringsWithTrialDose()
    {
        var coach = NewCoach(new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true } });
        SetLocal(2026, 6, 1, 21, 30, 0);

        var prompt = Assert.Single(coach.Tick());

        Assert.Contains("Calves", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("Hamstrings", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("10 seconds, 3 times", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tick_UserWithoutNightCramps_NoBedtimeReminder()
    {
        var coach = NewCoach();
        SetLocal(2026, 6, 1, 21, 30, 0);

        Assert.Empty(coach.Tick());
    }

    [Fact]
    public void Tick_FirstTickAfterTheLateWindow_SkipsThatEvening()
    {
        var options = new CoachOptions
        {
            Bedtime = new BedtimeOptions { NightCramps = true },
            QuietHours = new QuietHoursOptions { Start = new TimeOnly(0, 0), End = new TimeOnly(0, 0) },
        };
        var coach = NewCoach(options);
        SetLocal(2026, 6, 1, 23, 30, 0);
        Assert.Empty(coach.Tick());

        var otherClock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 23, 29, 59, TimeSpan.FromHours(1)).ToUniversalTime());
        var withinWindow = new CrampCoach(Device, options, otherClock, Zone);

        Assert.Single(withinWindow.Tick());
    }

    [Fact]
    public void Tick_BedtimeAtConfiguredLocalTime_FollowsTheTimeZone()
    {
        var coach = NewCoach(new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true, Time = new TimeOnly(20, 0) } });
        _clock.SetUtcNow(new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero)); // 20:00 local

        var prompt = Assert.Single(coach.Tick());

        Assert.Equal(new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero), prompt.CreatedAt);
    }

    // ---- see a doctor ----

    [Fact]
    public void OnEvent_ThirdCrampWithinSevenDays_AdvisesDoctorNamingCauses()
    {
        var coach = NewCoach();
        var first = ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromDays(2));
        var second = ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromDays(4));
        var third = ShortCramp(coach, "calf");

        Assert.DoesNotContain(first, p => p.Kind == PromptKind.SeeDoctor);
        Assert.DoesNotContain(second, p => p.Kind == PromptKind.SeeDoctor);
        var doctor = Assert.Single(third, p => p.Kind == PromptKind.SeeDoctor);
        Assert.Contains("3 cramps in the last 7 days", doctor.Text, StringComparison.Ordinal);
        AssertNamesCauses(doctor.Text);
        Assert.EndsWith(":see_doctor", doctor.Id, StringComparison.Ordinal);
        Assert.Equal(PromptUrgency.Normal, doctor.Urgency);
    }

    [Fact]
    public void OnEvent_ThreeCrampsSpreadOverMoreThanSevenDays_NoDoctorAdvice()
    {
        var coach = NewCoach();
        ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromDays(4));
        ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromDays(3.5));

        var third = ShortCramp(coach, "calf");

        Assert.DoesNotContain(third, p => p.Kind == PromptKind.SeeDoctor);
    }

    [Fact]
    public void ForgetCramp_ARejectedCramp_DoesNotCountTowardsSeeingADoctor()
    {
        var coach = NewCoach();
        ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromDays(1));
        var rejectedOnset = (long)(_clock.GetUtcNow() - Morning).TotalMilliseconds;
        ShortCramp(coach, "calf");
        Assert.True(coach.ForgetCramp($"{Device}:calf:cramp:{rejectedOnset}", _clock.GetUtcNow().AddSeconds(-20 - 5)));
        _clock.Advance(TimeSpan.FromDays(1));

        var third = ShortCramp(coach, "calf");

        Assert.DoesNotContain(third, p => p.Kind == PromptKind.SeeDoctor);
        Assert.Equal(2, coach.History.Count);
    }

    [Fact]
    public void ForgetCramp_WhileItRuns_ItsEndGivesNoAftercareAndIsNotCounted()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(coach.ForgetCramp($"{Device}:calf:cramp:1000", Morning));
        var end = coach.OnEvent(Ended("calf", 1000, 25));

        Assert.Empty(end);
        Assert.Equal(0, coach.History.Count);
    }

    [Fact]
    public void OnCrampReported_AMissedCramp_CountsTowardsSeeingADoctor()
    {
        var coach = NewCoach();
        coach.OnCrampReported(Morning.AddDays(-3));
        coach.OnCrampReported(Morning.AddDays(-1));

        var prompts = ShortCramp(coach, "calf");

        Assert.Contains(prompts, p => p.Kind == PromptKind.SeeDoctor);
    }

    [Fact]
    public void Snooze_UntilATime_HoldsAftercareAsQuietHoursDoButNotTheStretch()
    {
        var coach = NewCoach();
        coach.Snooze(Morning.AddHours(1));

        var snoozed = ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromHours(1));
        var after = ShortCramp(coach, "shin");

        Assert.Equal([PromptKind.Stretch], snoozed.Select(p => p.Kind));
        Assert.Contains(after, p => p.Kind == PromptKind.Hydrate);
        Assert.False(coach.IsHeld(_clock.GetUtcNow()));
    }

    [Fact]
    public void OnEvent_SeededHistoryCounts_TowardsFrequentCramps()
    {
        var coach = NewCoach();
        coach.SeedHistory([new PastCramp(Morning.AddDays(-6), TimeSpan.FromSeconds(30)), new PastCramp(Morning.AddDays(-2)), new PastCramp(Morning.AddDays(-20))]);

        var prompts = ShortCramp(coach, "calf");

        Assert.Contains(prompts, p => p.Kind == PromptKind.SeeDoctor);
    }

    [Fact]
    public void OnEvent_ConfiguredFrequency_IsUsed()
    {
        var coach = NewCoach(new CoachOptions { SeeDoctor = new SeeDoctorOptions { FrequentCount = 2, FrequentWindow = TimeSpan.FromDays(1) } });
        ShortCramp(coach, "calf");
        _clock.Advance(TimeSpan.FromHours(12));

        var second = ShortCramp(coach, "calf");

        Assert.Contains(second, p => p.Kind == PromptKind.SeeDoctor && p.Text.Contains("2 cramps in the last 1 days", StringComparison.Ordinal));
    }

    [Fact]
    public void OnEvent_CrampLongerThanTenMinutes_AdvisesDoctor()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromMinutes(11));

        var prompts = coach.OnEvent(Ended("calf", 1000, 660));

        var doctor = Assert.Single(prompts, p => p.Kind == PromptKind.SeeDoctor);
        Assert.Contains("about 11 minutes", doctor.Text, StringComparison.Ordinal);
        AssertNamesCauses(doctor.Text);
        Assert.Equal("pi-01:calf:cramp:1000:see_doctor", doctor.Id);
        Assert.Contains(prompts, p => p.Kind == PromptKind.Rest);
    }

    [Fact]
    public void OnEvent_CrampOfExactlyTenMinutes_NoDoctorAdvice()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromMinutes(10));

        var prompts = coach.OnEvent(Ended("calf", 1000, 600));

        Assert.DoesNotContain(prompts, p => p.Kind == PromptKind.SeeDoctor);
    }

    [Fact]
    public void OnWeaknessReported_AdvisesDoctorNamingWeaknessAndCauses()
    {
        var coach = NewCoach();

        var prompt = Assert.Single(coach.OnWeaknessReported("calf"));

        Assert.Equal(PromptKind.SeeDoctor, prompt.Kind);
        Assert.Equal("calf", prompt.Site);
        Assert.Contains("weakness", prompt.Text, StringComparison.Ordinal);
        AssertNamesCauses(prompt.Text);
        Assert.Equal($"pi-01:see_doctor:weakness:{Morning.ToUnixTimeMilliseconds()}", prompt.Id);
    }

    [Fact]
    public void DoctorAdvice_NotRepeatedWithinTheRepeatInterval()
    {
        var coach = NewCoach();
        Assert.Single(coach.OnWeaknessReported());
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(coach.OnWeaknessReported());
        for (var i = 0; i < 3; i++)
        {
            Assert.DoesNotContain(ShortCramp(coach, "calf"), p => p.Kind == PromptKind.SeeDoctor);
            _clock.Advance(TimeSpan.FromDays(1));
        }

        _clock.Advance(TimeSpan.FromDays(3)); // over 7 days after the first advice; 3 cramps in the last 7 days

        var later = ShortCramp(coach, "calf");

        Assert.Contains(later, p => p.Kind == PromptKind.SeeDoctor);
    }

    [Fact]
    public void DoctorAdviceDuringQuietHours_IsHeldUntilTheyEnd()
    {
        var coach = NewCoach();
        SetLocal(2026, 6, 2, 3, 0, 0);
        coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromMinutes(12));
        var atNight = coach.OnEvent(Ended("calf", 1000, 720));

        SetLocal(2026, 6, 2, 6, 59, 59);
        var beforeEnd = coach.Tick();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var morning = coach.Tick();

        Assert.Empty(atNight);
        Assert.Empty(beforeEnd);
        var doctor = Assert.Single(morning);
        Assert.Equal(PromptKind.SeeDoctor, doctor.Kind);
        Assert.Equal("pi-01:calf:cramp:1000:see_doctor", doctor.Id);
        Assert.Equal(_clock.GetUtcNow(), doctor.CreatedAt);
    }

    // ---- rate limits and de-duplication ----

    [Fact]
    public void OnEvent_CrampClusterAtOneSite_OneStretchPromptWithinRepeatInterval()
    {
        var coach = NewCoach();
        var stretches = new List<CoachPrompt>();
        for (var i = 0; i < 5; i++)
        {
            var onsetMs = i * 40_000;
            stretches.AddRange(coach.OnEvent(Started("calf", onsetMs)).Where(p => p.Kind == PromptKind.Stretch));
            _clock.Advance(TimeSpan.FromSeconds(10));
            coach.OnEvent(Ended("calf", onsetMs, 15));
            _clock.Advance(TimeSpan.FromSeconds(30)); // restarts 30 s after the end: same cluster
        }

        var prompt = Assert.Single(stretches);
        Assert.Equal("pi-01:calf:cramp:0:stretch", prompt.Id);
    }

    [Fact]
    public void OnEvent_ClusterLastingBeyondRepeatInterval_RepeatsTheStretch()
    {
        var coach = NewCoach();
        var stretches = new List<CoachPrompt>();
        for (var i = 0; i < 9; i++)
        {
            var onsetMs = i * 40_000;
            stretches.AddRange(coach.OnEvent(Started("calf", onsetMs)).Where(p => p.Kind == PromptKind.Stretch));
            _clock.Advance(TimeSpan.FromSeconds(10));
            coach.OnEvent(Ended("calf", onsetMs, 15));
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        // Starts every 40 s: at 0 s and at 320 s (≥ 5 min after the first prompt).
        Assert.Equal(["pi-01:calf:cramp:0:stretch", "pi-01:calf:cramp:320000:stretch"], stretches.Select(p => p.Id));
    }

    [Fact]
    public void OnEvent_NewCrampAfterQuietPeriod_GetsStretchInsideRepeatInterval()
    {
        var coach = NewCoach();
        coach.OnEvent(Started("calf", 0));
        _clock.Advance(TimeSpan.FromSeconds(20));
        coach.OnEvent(Ended("calf", 0, 25));
        _clock.Advance(TimeSpan.FromMinutes(2));

        var prompts = coach.OnEvent(Started("calf", 145_000, confirmSeconds: 0));

        Assert.Contains(prompts, p => p.Kind == PromptKind.Stretch);
    }

    [Fact]
    public void OnEvent_CrampsAtDifferentSites_EachGetAStretch()
    {
        var coach = NewCoach();

        var calf = coach.OnEvent(Started("calf", 1000));
        var hamstring = coach.OnEvent(Started("hamstring", 1200));

        Assert.Single(calf);
        Assert.Single(hamstring);
    }

    [Fact]
    public void OnEvent_SameEventDeliveredTwice_PromptsAndCountsOnce()
    {
        var coach = NewCoach();
        var started = Started("calf", 1000);
        var ended = Ended("calf", 1000, 20);

        var first = coach.OnEvent(started);
        var resent = coach.OnEvent(started);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var firstEnd = coach.OnEvent(ended);
        _clock.Advance(TimeSpan.FromMinutes(30));
        var resentEnd = coach.OnEvent(ended);
        var resentStartLater = coach.OnEvent(started);

        Assert.Single(first);
        Assert.Empty(resent);
        Assert.Single(firstEnd);
        Assert.Empty(resentEnd);
        Assert.Empty(resentStartLater);
        Assert.Equal(1, coach.History.Count);
    }

    [Fact]
    public void OnEvent_EndedWithoutStarted_StillCountsTheCramp()
    {
        var coach = NewCoach();

        coach.OnEvent(Ended("calf", 1000, 30));

        var cramp = Assert.Single(coach.History.Cramps);
        Assert.Equal(TimeSpan.FromSeconds(30), cramp.Duration);
        Assert.Equal(Morning.AddSeconds(-30), cramp.StartedAt);
    }

    // ---- quiet hours ----

    [Theory]
    [InlineData(20.0)] // would be a hydrate prompt by day
    [InlineData(95.0)] // severe: would be a rest prompt by day
    public void QuietHours_CrampAlertStillPassesButAftercareDoesNot(double durationSeconds)
    {
        var coach = NewCoach();
        SetLocal(2026, 6, 1, 23, 0, 0);

        var started = coach.OnEvent(Started("calf", 1000));
        _clock.Advance(TimeSpan.FromSeconds(durationSeconds));
        var ended = coach.OnEvent(Ended("calf", 1000, durationSeconds));

        Assert.Equal(PromptKind.Stretch, Assert.Single(started).Kind);
        Assert.Empty(ended);
    }

    [Fact]
    public void QuietHoursAcrossMidnight_SuppressHydrationUntilTheyEnd()
    {
        var coach = NewCoach();
        SetLocal(2026, 6, 1, 21, 50, 0);
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise));

        var ticks = new List<CoachPrompt>();
        for (var i = 0; i < 12 * 60; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            ticks.AddRange(coach.Tick());
        }

        // 12 h of exercise from 21:50 local: reminders only before 22:00 (none yet) and from 07:00 on.
        Assert.NotEmpty(ticks);
        Assert.All(ticks, p =>
        {
            var local = TimeZoneInfo.ConvertTime(p.CreatedAt, Zone);
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(7), TimeSpan.FromHours(22));
        });
    }

    [Fact]
    public void QuietHours_ExerciseEndingInThem_GivesNoAfterExercisePrompt()
    {
        var coach = NewCoach();
        SetLocal(2026, 6, 1, 21, 30, 0);
        coach.OnActivity(new ActivityContext(ActivityKind.Exercise));
        _clock.Advance(TimeSpan.FromMinutes(40)); // 22:10 local

        Assert.Empty(coach.OnActivity(new ActivityContext(ActivityKind.Rest)));
    }

    [Theory]
    [InlineData(21, 59, false)]
    [InlineData(22, 0, true)]
    [InlineData(0, 30, true)]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    public void IsQuietHours_UsesLocalTimeAndCrossesMidnight(int localHour, int localMinute, bool expected)
    {
        var coach = NewCoach();
        var utc = new DateTimeOffset(2026, 6, 1, localHour, localMinute, 0, TimeSpan.FromHours(1)).ToUniversalTime();

        Assert.Equal(expected, coach.IsQuietHours(utc));
    }

    [Fact]
    public void QuietHoursStartEqualToEnd_AreOff()
    {
        var coach = NewCoach(new CoachOptions { QuietHours = new QuietHoursOptions { Start = new TimeOnly(22, 0), End = new TimeOnly(22, 0) } });
        SetLocal(2026, 6, 1, 23, 0, 0);
        coach.OnEvent(Started("calf", 1000));

        var ended = coach.OnEvent(Ended("calf", 1000, 20));

        Assert.False(coach.IsQuietHours(_clock.GetUtcNow()));
        Assert.Single(ended);
    }

    // ---- ids ----

    [Fact]
    public void Replay_SameInputsAndClock_GiveTheSameUniqueIds()
    {
        var first = RunScript(new FakeTimeProvider(Morning));
        var second = RunScript(new FakeTimeProvider(Morning));

        Assert.True(first.Count >= 8, $"script produced only {first.Count} prompts: {string.Join(", ", first)}");
        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TimedReminderId_DependsOnDueTimeNotOnTickTime()
    {
        var often = NewCoach();
        var clockB = new FakeTimeProvider(Morning);
        var rarely = new CrampCoach(Device, new CoachOptions(), clockB, Zone);
        often.OnActivity(new ActivityContext(ActivityKind.Exercise));
        rarely.OnActivity(new ActivityContext(ActivityKind.Exercise));

        var fromOften = new List<CoachPrompt>();
        for (var i = 0; i < 45; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            fromOften.AddRange(often.Tick());
        }

        clockB.Advance(TimeSpan.FromMinutes(22));
        var fromRarely = Assert.Single(rarely.Tick());

        Assert.Equal(Assert.Single(fromOften).Id, fromRarely.Id);
    }

    // ---- construction ----

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKey()
    {
        var options = new CoachOptions { QuietHours = new QuietHoursOptions { Start = new TimeOnly(21, 0) }, Bedtime = new BedtimeOptions { NightCramps = true } };

        var ex = Assert.Throws<ArgumentException>(() => new CrampCoach(Device, options, _clock, Zone));

        Assert.Equal("Coach:Bedtime:Time", ex.ParamName);
    }

    [Fact]
    public void OnActivity_UndefinedKind_Throws()
    {
        var coach = NewCoach();

        Assert.Throws<ArgumentOutOfRangeException>(() => coach.OnActivity(new ActivityContext((ActivityKind)42)));
    }

    private CrampCoach NewCoach(CoachOptions? options = null) => new(Device, options ?? new CoachOptions(), _clock, Zone);

    private void SetLocal(int year, int month, int day, int hour, int minute, int second) =>
        _clock.SetUtcNow(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromHours(1)).ToUniversalTime());

    private List<CoachPrompt> ShortCramp(CrampCoach coach, string site)
    {
        var onsetMs = (long)(_clock.GetUtcNow() - Morning).TotalMilliseconds;
        var prompts = new List<CoachPrompt>(coach.OnEvent(Started(site, onsetMs)));
        _clock.Advance(TimeSpan.FromSeconds(20));
        prompts.AddRange(coach.OnEvent(Ended(site, onsetMs, 25)));
        return prompts;
    }

    private static List<string> RunScript(FakeTimeProvider clock)
    {
        var coach = new CrampCoach(Device, new CoachOptions { Bedtime = new BedtimeOptions { NightCramps = true } }, clock, Zone);
        coach.SeedHistory([new PastCramp(Morning.AddDays(-3))]);
        var ids = new List<string>();
        void Add(IEnumerable<CoachPrompt> prompts) => ids.AddRange(prompts.Select(p => p.Id));

        Add(coach.OnActivity(new ActivityContext(ActivityKind.Exercise, 34)));
        for (var minute = 0; minute < 60; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            Add(coach.Tick());
            if (minute is 25 or 50)
            {
                var onsetMs = minute * 60_000;
                Add(coach.OnEvent(Started(minute == 25 ? "calf" : "hamstring", onsetMs)));
                clock.Advance(TimeSpan.FromSeconds(minute == 25 ? 30 : 90));
                Add(coach.OnEvent(Ended(minute == 25 ? "calf" : "hamstring", onsetMs, minute == 25 ? 35 : 95)));
            }
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        Add(coach.OnActivity(new ActivityContext(ActivityKind.Rest, 32)));
        Add(coach.OnWeaknessReported("calf"));
        clock.SetUtcNow(new DateTimeOffset(2026, 6, 1, 21, 45, 0, TimeSpan.FromHours(1)).ToUniversalTime());
        Add(coach.Tick());
        return ids;
    }

    private static CrampEvent Started(string site, long onsetMs, double confirmSeconds = 5) => new()
    {
        Type = CrampEventKind.CrampStarted,
        Id = $"{Device}:{site}:cramp:{onsetMs}",
        Device = Device,
        Site = site,
        OnsetSeconds = onsetMs / 1000.0,
        ConfirmedSeconds = onsetMs / 1000.0 + confirmSeconds,
        DurationSeconds = confirmSeconds,
    };

    private static CrampEvent Ended(string site, long onsetMs, double durationSeconds, double? peakPercentOfMax = null) => new()
    {
        Type = CrampEventKind.CrampEnded,
        Id = $"{Device}:{site}:cramp:{onsetMs}",
        Device = Device,
        Site = site,
        OnsetSeconds = onsetMs / 1000.0,
        EndSeconds = onsetMs / 1000.0 + durationSeconds,
        DurationSeconds = durationSeconds,
        PeakPercentOfMax = peakPercentOfMax,
        EndReason = CrampEndReason.Quiet,
    };

    private static void AssertNamesCauses(string text)
    {
        foreach (var cause in new[] { "magnesium", "potassium", "calcium", "diabetes", "kidney", "thyroid", "nerve disease", "diuretics" })
        {
            Assert.Contains(cause, text, StringComparison.Ordinal);
        }
    }
}

using CrampSense.Detection.Calibration;
using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class CrampEventTrackerTests
{
    private const double Hop = AssessmentScript.HopSeconds;
    private const double Slack = 1e-9;

    [Fact]
    public void Process_SixSecondCramp_StartsAtOnsetPlusMinimumWithBackDatedOnsetAndEndsAfterOneSecondQuiet()
    {
        var events = new AssessmentScript().Rest(10).Cramp(6).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        var started = events[0];
        var ended = events[1];

        // The contraction truly began at 10.0 s; the onset is back-dated to within one hop of it.
        Assert.InRange(started.Event.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
        Assert.InRange(started.Event.ConfirmedSeconds!.Value, started.Event.OnsetSeconds + 5.0 - Slack, started.Event.OnsetSeconds + 5.0 + Hop);
        Assert.Equal(started.Event.ConfirmedSeconds!.Value, started.AtSeconds, 3);
        Assert.Null(started.Event.EndSeconds);

        // It truly stopped at 16.0 s; cramp_ended comes only after ≥ 1 s of quiet.
        Assert.InRange(ended.Event.EndSeconds!.Value, 16.0 - Hop, 16.0 + Hop);
        Assert.True(ended.AtSeconds >= ended.Event.EndSeconds!.Value + 1.0 - Slack, $"ended emitted at {ended.AtSeconds} s for an end at {ended.Event.EndSeconds} s");
        Assert.InRange(ended.AtSeconds, 17.0 - Slack, 17.0 + Hop + Slack);
        Assert.Equal(CrampEndReason.Quiet, ended.Event.EndReason);
        Assert.Equal(ended.Event.EndSeconds!.Value - ended.Event.OnsetSeconds, ended.Event.DurationSeconds!.Value, 3);
    }

    [Fact]
    public void Process_SustainedActivityAtThreeTimesTheFloor_IsACramp()
    {
        // The rule has no amplitude ratio: a sustained, clean contraction without intent is a cramp however weak.
        var events = new AssessmentScript().Rest(10).Cramp(8, envelope: 3 * AssessmentScript.RestFloor).Rest(3).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.InRange(started.ConfirmedSeconds!.Value, 15.0 - Slack, 15.0 + Hop);
    }

    [Fact]
    public void Process_WeakStartThenStrongCramp_IsConfirmedAtTheMinimumFromWhereItBegan()
    {
        var events = new AssessmentScript().Rest(10).Cramp(4.5, envelope: 3 * AssessmentScript.RestFloor).Cramp(6, envelope: 20 * AssessmentScript.RestFloor).Rest(3).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.InRange(started.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
        Assert.InRange(started.ConfirmedSeconds!.Value, 15.0 - Slack, 15.0 + Hop);
    }

    [Theory]
    [InlineData(IntentEvidence.Motion)]
    [InlineData(IntentEvidence.PostureChange)]
    [InlineData(IntentEvidence.Coactivation)]
    public void Process_SustainedActivityWithIntentAtItsOnset_IsNeverACramp(IntentEvidence intent)
    {
        var events = new AssessmentScript().Rest(10).Voluntary(0.5, intent: intent).Cramp(20).Rest(3).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_IntentOnlyLaterInTheContraction_StillGivesACramp()
    {
        // Grabbing or stretching the leg 2 s into a cramp is the reaction to it, not its context.
        var events = new AssessmentScript().Rest(10).Cramp(2).Voluntary(3).Cramp(5).Rest(3).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.InRange(started.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
    }

    [Fact]
    public void Process_RhythmAfterTheContextWindowButBeforeConfirmation_IsNotACramp()
    {
        // Repetitions joined into one activation: the series' third burst starts 4 s in, before the 5-s minimum.
        var events = new AssessmentScript().Rest(10).Cramp(4).Voluntary(0.1, intent: IntentEvidence.Rhythm).Cramp(6).Rest(3).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_RhythmOnlyAfterConfirmation_StillGivesACramp()
    {
        var events = new AssessmentScript().Rest(10).Cramp(6).Voluntary(0.1, intent: IntentEvidence.Rhythm).Cramp(4).Rest(3).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.InRange(started.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
    }

    [Fact]
    public void Process_RhythmBeforeConfirmationSurvivesTheOnsetRefinement_IsNotACramp()
    {
        var events = new AssessmentScript().Rest(10).Cramp(2).Voluntary(0.1, intent: IntentEvidence.Rhythm).Cramp(8).Rest(3).ReportOnset(13.0, 9.8).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_IntentJustInsideTheContextAfterTheOnset_CancelsTheCramp()
    {
        var events = new AssessmentScript().Rest(10).Cramp(1.4).Voluntary(0.1).Cramp(10).Rest(3).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_OnsetRefinedByTheActivityDetector_IsTheCrampsOnset()
    {
        var events = new AssessmentScript().Rest(10).Cramp(8).Rest(3).ReportOnset(13.0, 9.8).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.Equal(9.8, started.OnsetSeconds, 3);
        Assert.InRange(started.ConfirmedSeconds!.Value, 14.8 - Slack, 14.8 + Hop);
    }

    [Fact]
    public void ReadsModelOutputs_QuietStillRestAfterTheOpening_IsTheOnlyCleanStretchNotRead()
    {
        // Rest 0–2 s (the opening stretch still open), a cramp 2–8 s (ended after 1 s quiet, at 9 s), rest 8–11 s, raised
        // tension with motion 11–12 s, still raised tension 12–13 s (a warning's pattern), a lead-off 13–14 s, rest 14–17 s.
        var script = new AssessmentScript().Rest(2).Cramp(6).Rest(3).Prodrome(1, motion: true).Prodrome(1).Fault(1, SignalQuality.LeadOff).Rest(3);
        var tracker = new CrampEventTracker("dev1", "calf", new RecordingSink(), modelVersion: "test-model-1");
        var reads = new Dictionary<long, bool>();
        foreach (var window in script.Windows)
        {
            reads[(long)Math.Round(window.EndSeconds * 1000)] = tracker.ReadsModelOutputs(window);
            tracker.Process(window);
        }

        Assert.True(reads[1000], "rest in the opening stretch (its statistics make an opening cramp)");
        Assert.True(reads[5000], "active");
        Assert.True(reads[8500], "quiet inside the cramp");
        Assert.False(reads[10_500], "quiet rest after the cramp");
        Assert.False(reads[11_500], "raised with motion");
        Assert.True(reads[12_500], "raised and still: the warning's statistics");
        Assert.False(reads[13_500], "faulty");
        Assert.False(reads[14_500], "clean, the fault still clearing");
        Assert.False(reads[16_500], "quiet rest after the fault");
    }

    [Fact]
    public void Process_RecordingStartingInsideActivity_ReportsItWithTheOnsetAtTheStart()
    {
        // The detector only learns the true floor when the opening activity has ended (at 20 s); it says so at 21 s.
        var events = new AssessmentScript().Rest(21).OpeningEndedAt(20.0).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.Equal(0.0, events[0].Event.OnsetSeconds);
        Assert.Equal(20.0, events[1].Event.EndSeconds);
        Assert.Equal(21.0, events[0].AtSeconds, 3);
    }

    [Fact]
    public void Process_OpeningActivityShorterThanTheMinimum_IsNotACramp()
    {
        var events = new AssessmentScript().Rest(5).OpeningEndedAt(4.0).Rest(5).Run();

        Assert.Empty(events);
    }

    [Fact]
    public void Process_CrampEvent_CarriesAmplitudeFrequencyTemperatureConfidenceAndModel()
    {
        var events = new AssessmentScript().Rest(10).Cramp(8).Rest(3).Run();

        var ended = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampEnded).Event;
        Assert.Equal("dev1", ended.Device);
        Assert.Equal("calf", ended.Site);
        Assert.Equal(AssessmentScript.CrampEnvelope, ended.PeakMicrovolts);
        Assert.Equal(AssessmentScript.CrampEnvelope, ended.MeanMicrovolts);
        Assert.Equal(AssessmentScript.RestFloor, ended.RestFloorMicrovolts);
        Assert.Equal(30.0, ended.PeakTimesRestFloor);
        Assert.Equal(30.0, ended.MeanTimesRestFloor);
        Assert.Null(ended.PeakPercentOfMax);
        Assert.Equal(110.0, ended.MeanFrequencyHz);
        Assert.Equal(95.0, ended.MedianFrequencyHz);
        Assert.Equal(31.5, ended.SkinTemperatureCelsius);
        Assert.Equal(0.9, ended.Confidence!.Value, 3);
        Assert.Equal("test-model-1", ended.ModelVersion);
    }

    [Fact]
    public void Process_WithCalibration_ReportsAmplitudeAsPercentOfMax()
    {
        var windows = new AssessmentScript().Rest(10).Cramp(8).Rest(3).Windows;
        var calibration = new SiteCalibration(restFloorMicrovolts: 5, maxVoluntaryMicrovolts: 300);

        var events = AssessmentScript.Run(windows, sink => new CrampEventTracker("dev1", "calf", sink, calibration: calibration));

        var ended = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampEnded).Event;
        Assert.Equal(50.0, ended.PeakPercentOfMax);
        Assert.Equal(50.0, ended.MeanPercentOfMax);
    }

    // The script's cramp: 150 µV on a 5-µV floor (log 30 = 3.40), steady (peak over mean 1).
    private static PersonalHabit Habit(string site = "calf", double lowLevel = 3.2, double highLevel = 3.6, double? confirmAfterSeconds = null) =>
        new(site, new HabitRange(lowLevel, highLevel), new HabitRange(-0.05, 0.05), examples: 5, confirmAfterSeconds);

    [Fact]
    public void Process_ContractionMatchingAHabitThatOutlastsTheHabitsHolds_IsConfirmedThenWithItsOwnOnset()
    {
        var windows = new AssessmentScript().Rest(10).Cramp(40).Rest(3).Windows;

        var events = AssessmentScript.Run(windows, sink => new CrampEventTracker("dev1", "calf", sink, habits: [Habit(confirmAfterSeconds: 20)]));

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.Equal(10.0, started.OnsetSeconds, 1);
        Assert.InRange(started.ConfirmedSeconds!.Value, 30.0 - Slack, 30.0 + Hop);
        Assert.Equal(40.0, Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampEnded).Event.DurationSeconds!.Value, 1);
    }

    [Fact]
    public void Process_ContractionWithOtherIntentThatOutlastsAHabit_IsStillNotConfirmed()
    {
        var windows = new AssessmentScript().Rest(10).Voluntary(40).Rest(3).Windows;

        var events = AssessmentScript.Run(windows, sink => new CrampEventTracker("dev1", "calf", sink, habits: [Habit(confirmAfterSeconds: 20)]));

        Assert.Empty(events);
    }

    [Theory]
    [InlineData(8, null)]
    [InlineData(60, null)] // a habit without a duration (an older profile) vetoes however long it lasts
    [InlineData(18, 20.0)] // ends before it outlasts the habit's holds
    public void Process_SustainedContractionMatchingAHabitOfItsSite_IsNotConfirmedAndReportsHabitAsItsIntent(double seconds, double? confirmAfterSeconds)
    {
        var windows = new AssessmentScript().Rest(10).Cramp(seconds).Rest(3).Windows;
        var sink = new RecordingSink();
        var tracker = new CrampEventTracker("dev1", "calf", sink, habits: [Habit(confirmAfterSeconds: confirmAfterSeconds)]);
        var intents = new List<IntentEvidence>();

        foreach (var window in windows)
        {
            tracker.Process(window);
            intents.Add(tracker.CandidateIntent);
        }

        Assert.Empty(sink.Events);
        Assert.Contains(IntentEvidence.Habit, intents);
    }

    [Theory]
    [InlineData("shin", 3.2, 3.6)]
    [InlineData("calf", 1.0, 2.0)]
    public void Process_HabitOfAnotherSiteOrAnotherLevel_TheCrampIsStillConfirmed(string site, double lowLevel, double highLevel)
    {
        var windows = new AssessmentScript().Rest(10).Cramp(8).Rest(3).Windows;

        var events = AssessmentScript.Run(windows, sink => new CrampEventTracker("dev1", "calf", sink, habits: [Habit(site, lowLevel, highLevel)]));

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
    }

    [Fact]
    public void Process_LongCramp_EmitsStartedOnlyOnce()
    {
        var events = new AssessmentScript().Rest(10).Cramp(120).Rest(3).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.Equal(120.0, events[1].Event.DurationSeconds!.Value, 1);
    }

    [Fact]
    public void Process_TwoCrampsSeparatedByRest_GiveTwoPairsWithDistinctIds()
    {
        var events = new AssessmentScript().Rest(10).Cramp(8).Rest(2).Cramp(8).Rest(3).Run();

        Assert.Equal(
            [CrampEventKind.CrampStarted, CrampEventKind.CrampEnded, CrampEventKind.CrampStarted, CrampEventKind.CrampEnded],
            events.Select(e => e.Event.Type));
        Assert.Equal(["dev1:calf:cramp:10000", "dev1:calf:cramp:20000"], events.Select(e => e.Event.Id).Distinct());
        Assert.InRange(events[2].Event.OnsetSeconds, 20.0 - Hop, 20.0 + Hop);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(4.9)]
    public void Process_ContractionShorterThanMinimum_EmitsNothing(double seconds)
    {
        var events = new AssessmentScript().Rest(10).Cramp(seconds).Rest(10).Run();

        Assert.Empty(events);
    }

    [Fact]
    public void Process_ShortDipInsideCramp_GivesOneEvent()
    {
        var events = new AssessmentScript().Rest(10).Cramp(6).Dip(0.3).Cramp(4).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.InRange(events[1].Event.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
        Assert.InRange(events[1].Event.EndSeconds!.Value, 20.3 - Hop, 20.3 + Hop);
    }

    [Fact]
    public void Process_ShortDipBeforeConfirmation_DoesNotRestartTheCount()
    {
        var events = new AssessmentScript().Rest(10).Cramp(3).Dip(0.3).Cramp(4).Rest(5).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.InRange(started.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
        Assert.InRange(started.ConfirmedSeconds!.Value, 15.0 - Slack, 15.0 + Hop);
    }

    [Fact]
    public void Process_TwoShortContractionsSplitByLongerPause_EmitNothing()
    {
        // 3 s + 0.7 s rest + 3 s is two contractions, neither sustained for the minimum.
        var events = new AssessmentScript().Rest(10).Cramp(3).Dip(0.7).Cramp(3).Rest(5).Run();

        Assert.Empty(events);
    }

    [Fact]
    public void Process_StretchReflexBurstBeforeSilence_GivesOneEventEndingBeforeTheBurst()
    {
        // The cramp stops at 20.0 s; stretching it gives a 0.3 s silent period, then a 0.3 s reflex burst, then silence.
        var events = new AssessmentScript().Rest(10).Cramp(10).Dip(0.3).Cramp(0.3, envelope: 400).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        var ended = events[1].Event;
        Assert.Equal(events[0].Event.Id, ended.Id);
        Assert.InRange(ended.EndSeconds!.Value, 20.0 - Hop, 20.0 + Hop);
        Assert.Equal(AssessmentScript.CrampEnvelope, ended.PeakMicrovolts);
    }

    [Fact]
    public void Process_MovementNearTheEndOfTheCramp_DoesNotEndOrRestartIt()
    {
        var events = new AssessmentScript().Rest(10).Cramp(10).Voluntary(0.4, envelope: 400).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.InRange(events[1].Event.EndSeconds!.Value, 20.4 - Hop, 20.4 + Hop);
    }

    [Fact]
    public void Process_BurstAfterTheCrampHasEnded_DoesNotStartAnotherCramp()
    {
        var events = new AssessmentScript().Rest(10).Cramp(10).Rest(1.5).Cramp(0.4, envelope: 400).Rest(5).Run();

        Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted);
        Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampEnded);
    }

    [Fact]
    public void Process_LongBurstAfterDip_IsPartOfTheCramp()
    {
        // A 2 s return of activity is the cramp coming back, not a reflex: the end is after it.
        var events = new AssessmentScript().Rest(10).Cramp(10).Dip(0.3).Cramp(2).Rest(5).Run();

        var ended = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampEnded).Event;
        Assert.InRange(ended.EndSeconds!.Value, 22.3 - Hop, 22.3 + Hop);
    }

    [Fact]
    public void Process_FaultDuringActivity_EmitsSignalFaultAndNoCramp()
    {
        var events = new AssessmentScript().Rest(10).Cramp(3).Fault(0.5, SignalQuality.Railed).Cramp(4).Rest(5).Run();

        var fault = Assert.Single(events).Event;
        Assert.Equal(CrampEventKind.SignalFault, fault.Type);
        Assert.Equal(["railed"], fault.Faults);
        Assert.InRange(fault.OnsetSeconds, 13.0 - Hop, 13.0 + Hop);
    }

    [Fact]
    public void Process_LongFaultyStretchThatLooksLikeCramp_NeverProducesCramp()
    {
        var events = new AssessmentScript().Rest(5).Fault(30, SignalQuality.Flat | SignalQuality.DroppedSamples).Rest(5).Run();

        var fault = Assert.Single(events).Event;
        Assert.Equal(CrampEventKind.SignalFault, fault.Type);
        Assert.Equal(["flat", "dropped_samples"], fault.Faults);
    }

    [Fact]
    public void Process_CrampRightAfterFault_IsNotBackDatedIntoTheFault()
    {
        var events = new AssessmentScript().Rest(5).Fault(2, SignalQuality.NonFinite).Cramp(8).Rest(3).Run();

        var started = Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        Assert.True(started.OnsetSeconds >= 7.0 + 1.0 - Slack, $"onset {started.OnsetSeconds} s reaches into the fault or its 1 s clearing time");
    }

    [Fact]
    public void Process_FaultDuringConfirmedCramp_EndsItWhereTheCleanSignalStopped()
    {
        var events = new AssessmentScript().Rest(10).Cramp(7).Fault(1, SignalQuality.Railed).Rest(5).Run();

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.SignalFault, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        var ended = events[2].Event;
        Assert.Equal(CrampEndReason.SignalFault, ended.EndReason);
        Assert.InRange(ended.EndSeconds!.Value, 17.0 - Hop, 17.0 + Hop);
        Assert.Equal(events[0].Event.Id, ended.Id);
    }

    [Fact]
    public void Process_FaultsCloserThanClearTime_AreOneEpisode()
    {
        var events = new AssessmentScript().Rest(5).Fault(1, SignalQuality.Railed).Rest(0.5).Fault(1, SignalQuality.Flat).Rest(5).Run();

        Assert.Single(events);
    }

    [Fact]
    public void Process_FaultsFurtherApartThanClearTime_AreTwoEpisodes()
    {
        var events = new AssessmentScript().Rest(5).Fault(1, SignalQuality.Railed).Rest(2).Fault(1, SignalQuality.Flat).Rest(5).Run();

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(CrampEventKind.SignalFault, e.Event.Type));
        Assert.NotEqual(events[0].Event.Id, events[1].Event.Id);
    }

    [Fact]
    public void Process_HighCrampProbabilityWithoutActivity_IsNotACramp()
    {
        // The model's probabilities never decide: windows the activity detector calls quiet are quiet.
        var events = new AssessmentScript()
            .Rest(10).Add(8, new ClassProbabilities(0.01f, 0.01f, 0.97f, 0.01f), 1.5f * AssessmentScript.RestFloor, active: false).Rest(5).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_HighVoluntaryProbabilityOnSustainedActivityWithoutContext_IsStillACramp()
    {
        var events = new AssessmentScript()
            .Rest(10).Add(8, new ClassProbabilities(0.01f, 0.97f, 0.01f, 0.01f), AssessmentScript.CrampEnvelope, active: true).Rest(5).Run();

        Assert.Single(events, e => e.Event.Type == CrampEventKind.CrampStarted);
    }

    [Fact]
    public void Process_MinimumOfTwoSeconds_ConfirmsAThreeSecondContraction()
    {
        var events = new AssessmentScript().Rest(10).Cramp(3).Rest(3).Run(new CrampEventTrackerOptions { MinimumCrampSeconds = 2 });

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.InRange(events[0].Event.ConfirmedSeconds!.Value, 12.0 - Slack, 12.0 + Hop);
    }

    [Fact]
    public void Constructor_MinimumOfOneSecond_IsRejectedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new CrampEventTracker("dev1", "calf", new RecordingSink(), new CrampEventTrackerOptions { MinimumCrampSeconds = 1 }));

        Assert.Contains(nameof(CrampEventTrackerOptions.MinimumCrampSeconds), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_ProdromeRampAtRest_EmitsCrampWarning()
    {
        var events = new AssessmentScript().Rest(10).Prodrome(30, ratio: 3).Rest(10).Run();

        var warning = Assert.Single(events).Event;
        Assert.Equal(CrampEventKind.CrampWarning, warning.Type);
        Assert.InRange(warning.OnsetSeconds, 10.0 - Hop, 10.0 + Hop);
        Assert.InRange(warning.ConfirmedSeconds!.Value, 30.0 - Slack, 30.0 + Hop);
        Assert.Equal(3.0, warning.MeanTimesRestFloor);
        Assert.Equal("dev1:calf:warning:10000", warning.Id);
    }

    [Theory]
    [InlineData(15.0, 3f, false)]
    [InlineData(30.0, 1.5f, false)]
    [InlineData(30.0, 3f, true)]
    public void Process_ShortWeakOrMovingRaisedActivity_EmitsNoWarning(double seconds, float ratio, bool motion)
    {
        var events = new AssessmentScript().Rest(10).Prodrome(seconds, ratio, motion).Rest(10).Run();

        Assert.Empty(events);
    }

    [Fact]
    public void Process_RaisedTroughsBetweenRepetitionsLongerThanTheGapTolerance_EmitNoWarning()
    {
        // Seven 3.5-s contractions (each shorter than the minimum) with 1-s troughs at 2.5 × the floor: 31.5 s from the first
        // trough to the last, but the raised tension never lasts longer than a trough.
        var script = new AssessmentScript().Rest(10);
        for (int i = 0; i < 7; i++)
        {
            script.Prodrome(1, ratio: 2.5f).Cramp(3.5);
        }

        var events = script.Prodrome(1, ratio: 2.5f).Rest(10).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampWarning);
    }

    [Fact]
    public void Process_RepeatedProdromes_AreRateLimited()
    {
        var script = new AssessmentScript().Rest(10).Prodrome(25).Rest(20).Prodrome(25).Rest(400).Prodrome(25).Rest(5);

        var warnings = script.Run().Where(e => e.Event.Type == CrampEventKind.CrampWarning).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.True(warnings[1].AtSeconds - warnings[0].AtSeconds >= 300.0);
    }

    [Fact]
    public void Process_RaisedTensionAfterCramp_EmitsNoWarning()
    {
        // Tension stays about twice baseline after a cramp; that is not a new prodrome.
        var events = new AssessmentScript().Rest(10).Cramp(10).Rest(1.5).Prodrome(60, ratio: 2.5f).Rest(5).Run();

        Assert.DoesNotContain(events, e => e.Event.Type == CrampEventKind.CrampWarning);
    }

    [Fact]
    public void Flush_CrampRunningAtEndOfFile_IsReportedStartedAndEndedAtTheEnd()
    {
        var script = new AssessmentScript().Rest(10).Cramp(20);

        var events = script.Run(flushAtSeconds: script.NowSeconds);

        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded], events.Select(e => e.Event.Type));
        Assert.Equal(30.0, events[1].Event.EndSeconds);
        Assert.Equal(CrampEndReason.EndOfRecording, events[1].Event.EndReason);
    }

    [Fact]
    public void Flush_UnconfirmedContractionAtEndOfFile_IsDropped()
    {
        var script = new AssessmentScript().Rest(10).Cramp(3);

        Assert.Empty(script.Run(flushAtSeconds: script.NowSeconds));
    }

    [Fact]
    public void CandidateIntent_VoluntaryCandidate_IsTheEvidenceThatHoldsItAndNoneOnceItEnds()
    {
        var tracker = new CrampEventTracker("dev1", "calf", new RecordingSink());
        var script = new AssessmentScript().Rest(10).Cramp(2).Voluntary(0.1, intent: IntentEvidence.Rhythm).Cramp(5);
        foreach (var window in script.Windows)
        {
            tracker.Process(window);
        }

        Assert.Equal(CrampTrackerState.Candidate, tracker.State);
        Assert.Equal(IntentEvidence.Rhythm, tracker.CandidateIntent);

        foreach (var window in script.Rest(1).Windows.Skip(script.Windows.Count - 20))
        {
            tracker.Process(window);
        }

        Assert.Equal(IntentEvidence.None, tracker.CandidateIntent);
    }

    [Fact]
    public void Flush_ResetsTheTrackerForTheNextRecording()
    {
        var sink = new RecordingSink();
        var tracker = new CrampEventTracker("dev1", "calf", sink);
        foreach (var window in new AssessmentScript().Rest(1).Cramp(3).Windows)
        {
            tracker.Process(window);
        }

        tracker.Flush(4.0);

        Assert.Equal(CrampTrackerState.Rest, tracker.State);
        tracker.Process(new AssessmentScript().Rest(0.05).Windows[0]); // time starts again at 0.05 s
    }

    [Fact]
    public void Process_SameInputTwice_GivesTheSameIds()
    {
        var script = new AssessmentScript().Rest(10).Cramp(7).Rest(3).Fault(1, SignalQuality.Flat).Rest(3).Prodrome(25).Rest(2).Cramp(6).Rest(2);

        var first = script.Run();
        var second = script.Run();

        Assert.Equal(first.Select(e => e.Event.ToJson()), second.Select(e => e.Event.ToJson()));
        Assert.Equal(first.Count, first.Select(e => e.Event.Id).Distinct().Count() + 2); // two started/ended pairs share ids
    }

    [Fact]
    public void Process_StartedAndEndedOfOneCramp_ShareADeterministicId()
    {
        var events = new AssessmentScript().Rest(10).Cramp(7).Rest(3).Run();

        Assert.Equal(events[0].Event.Id, events[1].Event.Id);
        Assert.Equal("dev1:calf:cramp:10000", events[0].Event.Id);
    }

    [Fact]
    public void Process_StateFollowsTheContraction()
    {
        var sink = new RecordingSink();
        var tracker = new CrampEventTracker("dev1", "calf", sink);
        var windows = new AssessmentScript().Rest(1).Cramp(2).Cramp(4).Fault(0.5, SignalQuality.Railed).Windows;

        var states = new List<CrampTrackerState>();
        foreach (var window in windows)
        {
            tracker.Process(window);
            states.Add(tracker.State);
        }

        Assert.Equal(CrampTrackerState.Rest, states[19]);      // 1.0 s
        Assert.Equal(CrampTrackerState.Candidate, states[59]); // 3.0 s
        Assert.Equal(CrampTrackerState.Cramp, states[139]);    // 7.0 s
        Assert.Equal(CrampTrackerState.Fault, states[^1]);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(double.NaN)]
    public void Process_TimeNotIncreasing_ThrowsNamingTheSite(double secondTime)
    {
        var tracker = new CrampEventTracker("dev1", "calf", new RecordingSink());
        tracker.Process(new WindowAssessment { EndSeconds = 5.0 });

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Process(new WindowAssessment { EndSeconds = secondTime }));

        Assert.Contains("'calf'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidSite_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CrampEventTracker("dev1", "Calf Left", new RecordingSink()));
    }

    [Fact]
    public void Process_SteadyStateWithoutEvents_AllocatesNothing()
    {
        // Every path but an emission: rest, raised tension, abandoned candidates, then a confirmed cramp with dips.
        var script = new AssessmentScript().Rest(30).Cramp(3).Rest(3).Cramp(8);
        int warmUpCount = script.Windows.Count;
        for (int i = 0; i < 200; i++)
        {
            script.Dip(0.3).Cramp(4).Rest(0.05).Cramp(1);
        }

        var cramping = script.Windows.ToArray();
        var resting = new AssessmentScript();
        for (int i = 0; i < 200; i++)
        {
            resting.Rest(2).Prodrome(10).Rest(3).Cramp(3).Dip(0.6);
        }

        var restWindows = resting.Windows.ToArray();
        RecordingSink sink = null!;
        CrampEventTracker crampTracker = null!;
        int eventsBefore = 0;

        long allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            sink = new RecordingSink();
            crampTracker = new CrampEventTracker("dev1", "calf", sink);
            var restTracker = new CrampEventTracker("dev1", "calf", sink);

            // Warm up every code path (JIT, tiering) before measuring.
            foreach (var window in cramping.AsSpan(0, warmUpCount))
            {
                crampTracker.Process(window);
            }

            foreach (var window in restWindows.AsSpan(0, restWindows.Length / 2))
            {
                restTracker.Process(window);
            }

            Assert.Equal(CrampTrackerState.Cramp, crampTracker.State);
            eventsBefore = sink.Events.Count;
            return () =>
            {
                foreach (ref readonly var window in cramping.AsSpan(warmUpCount))
                {
                    crampTracker.Process(window);
                }

                foreach (ref readonly var window in restWindows.AsSpan(restWindows.Length / 2))
                {
                    restTracker.Process(window);
                }
            };
        });

        Assert.Equal(eventsBefore, sink.Events.Count);
        Assert.Equal(CrampTrackerState.Cramp, crampTracker.State);
        Assert.Equal(0, allocated);
    }
}

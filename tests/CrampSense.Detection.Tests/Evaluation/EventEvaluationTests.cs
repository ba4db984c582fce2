using CrampSense.Detection.Evaluation;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Detection.Tests.Evaluation;

public sealed class EventEvaluationTests
{
    private static TruthInterval TrueCramp(double start, double end, string site = "calf") => new(TruthKind.Cramp, site, start, end);

    private static DetectedCramp Detected(double onset, double end, string site = "calf", double? confirmed = null) =>
        new($"dev1:{site}:cramp:{(long)(onset * 1000)}", site, onset, confirmed ?? onset + 5, end);

    private static RecordingEvaluationInput Recording(
        IReadOnlyList<TruthInterval> truth,
        IReadOnlyList<DetectedCramp> detections,
        double durationSeconds = 3600,
        ScenarioKind scenario = ScenarioKind.RestSleep,
        string name = "rec.csv") =>
        new(name, scenario, durationSeconds, truth, detections);

    [Fact]
    public void EvaluateFile_OneCrampFoundWell_GivesPerfectScoresAndItsErrors()
    {
        var file = EventEvaluation.EvaluateFile(Recording([TrueCramp(10, 20)], [Detected(10.1, 19.8, confirmed: 15.1)]));

        var m = file.Metrics;
        Assert.Equal((1, 1, 1, 0, 0), (m.TrueCramps, m.DetectedCramps, m.Matched, m.Missed, m.FalseAlarms));
        Assert.Equal(1.0, m.Recall);
        Assert.Equal(1.0, m.Precision);
        Assert.Equal(1.0, m.F1);
        Assert.Equal(5.1, m.LatencyMedianSeconds!.Value, 9);
        Assert.Equal(0.1, m.OnsetErrorMedianSeconds!.Value, 9);
        Assert.Equal(-0.3, m.DurationErrorMedianSeconds!.Value, 9);
        Assert.Equal(0.0, m.FalseAlarmsPerHour);
    }

    [Fact]
    public void EvaluateFile_TwoOfThreeFoundPlusOneFalseAlarm_GivesTwoThirds()
    {
        var truth = new[] { TrueCramp(100, 130), TrueCramp(500, 520), TrueCramp(900, 960) };
        var detections = new[] { Detected(101, 131), Detected(300, 310), Detected(901, 958) };

        var m = EventEvaluation.EvaluateFile(Recording(truth, detections)).Metrics;

        Assert.Equal(2, m.Matched);
        Assert.Equal(1, m.Missed);
        Assert.Equal(1, m.FalseAlarms);
        Assert.Equal(2.0 / 3, m.Recall!.Value, 12);
        Assert.Equal(2.0 / 3, m.Precision!.Value, 12);
        Assert.Equal(2.0 / 3, m.F1!.Value, 12);
    }

    [Fact]
    public void EvaluateFile_RecallAndPrecisionDiffer_F1IsTheirHarmonicMean()
    {
        // 4 true cramps, 2 detections, both correct: recall 0.5, precision 1, F1 = 2·0.5·1/1.5 = 2/3.
        var truth = new[] { TrueCramp(100, 130), TrueCramp(200, 230), TrueCramp(300, 330), TrueCramp(400, 430) };

        var m = EventEvaluation.EvaluateFile(Recording(truth, [Detected(100, 130), Detected(300, 330)])).Metrics;

        Assert.Equal(0.5, m.Recall);
        Assert.Equal(1.0, m.Precision);
        Assert.Equal(2.0 / 3, m.F1!.Value, 12);
    }

    [Fact]
    public void Match_DetectionOverlappingOnAnotherSite_DoesNotMatch()
    {
        var matches = EventEvaluation.Match([TrueCramp(10, 20, "calf")], [Detected(10, 20, "hamstring")]);

        Assert.Empty(matches);
    }

    [Fact]
    public void Match_TouchingWithoutOverlap_DoesNotMatch()
    {
        Assert.Empty(EventEvaluation.Match([TrueCramp(10, 20)], [Detected(20, 30)]));
    }

    [Fact]
    public void Match_TwoDetectionsOnOneCramp_MatchOnlyOne()
    {
        var file = EventEvaluation.EvaluateFile(Recording([TrueCramp(10, 60)], [Detected(10, 30), Detected(35, 60)]));

        Assert.Equal(1, file.Metrics.Matched);
        Assert.Equal(1, file.Metrics.FalseAlarms);
        Assert.Equal(0, file.Metrics.Missed);
    }

    [Fact]
    public void Match_OneDetectionSpanningTwoCramps_MatchesOnlyOne()
    {
        var file = EventEvaluation.EvaluateFile(Recording([TrueCramp(10, 30), TrueCramp(32, 60)], [Detected(10, 60)]));

        Assert.Equal(1, file.Metrics.Matched);
        Assert.Equal(1, file.Metrics.Missed);
        Assert.Equal(0, file.Metrics.FalseAlarms);
    }

    [Fact]
    public void Match_GreedyChoiceWouldStrandACramp_FindsTheLargestMatching()
    {
        // X overlaps A more than B, but only X can serve B; Y can serve A. The best pairing is A–Y, B–X.
        var a = TrueCramp(0, 10);
        var b = TrueCramp(9, 20);
        var x = Detected(8, 9.5);
        var y = Detected(5, 8.5);

        var matches = EventEvaluation.Match([a, b], [x, y]);

        Assert.Equal(2, matches.Count);
        Assert.Equal((0.0, y.Id), (matches[0].TrueOnsetSeconds, matches[0].DetectionId));
        Assert.Equal((9.0, x.Id), (matches[1].TrueOnsetSeconds, matches[1].DetectionId));
    }

    [Fact]
    public void Match_IgnoresTruthThatIsNotACramp()
    {
        var voluntary = new TruthInterval(TruthKind.Voluntary, "calf", 10, 20);

        Assert.Empty(EventEvaluation.Match([voluntary], [Detected(10, 20)]));
    }

    [Fact]
    public void EvaluateFile_FalseAlarmsPerHour_CountOnlyNonCrampTime()
    {
        // 1 h file, 360 s of cramp on two sites (overlapping 60 s: union 360 s), so 0.9 h of non-cramp time; 3 false alarms.
        var truth = new[] { TrueCramp(100, 400, "calf"), TrueCramp(340, 460, "foot") };
        var detections = new[] { Detected(100, 400, "calf"), Detected(1000, 1010), Detected(2000, 2010), Detected(3000, 3010) };

        var m = EventEvaluation.EvaluateFile(Recording(truth, detections)).Metrics;

        Assert.Equal(3, m.FalseAlarms);
        Assert.Equal(0.9, m.NonCrampHours, 12);
        Assert.Equal(3 / 0.9, m.FalseAlarmsPerHour!.Value, 9);
    }

    [Fact]
    public void Evaluate_SplitsFalseAlarmsPerHourByScenarioKind()
    {
        var rest = Recording([], [Detected(100, 110)], durationSeconds: 3600, ScenarioKind.RestSleep, "rest.csv");
        var exercise1 = Recording([], [Detected(100, 110), Detected(200, 210)], durationSeconds: 3600, ScenarioKind.Exercise, "run1.csv");
        var exercise2 = Recording([], [Detected(100, 110), Detected(200, 210)], durationSeconds: 3600, ScenarioKind.Exercise, "run2.csv");

        var report = EventEvaluation.Evaluate([rest, exercise1, exercise2]);

        Assert.Equal(3, report.Files.Count);
        Assert.Equal(
            [(ScenarioKind.RestSleep, 1, 1.0), (ScenarioKind.Exercise, 4, 2.0)],
            report.ByScenario.Select(s => (s.Scenario, s.FalseAlarms, s.FalseAlarmsPerHour!.Value)));
        Assert.Equal(5 / 3.0, report.Totals.FalseAlarmsPerHour!.Value, 9);
        Assert.Null(report.Totals.Recall);
        Assert.Equal(0.0, report.Totals.Precision);
    }

    [Fact]
    public void Evaluate_LatencyMedianAndP95_PoolAllFiles()
    {
        // Latencies 5.0, 5.2, 5.4, 5.6 and 10.0 s: median 5.4; p95 by linear interpolation at rank 3.8 = 5.6 + 0.8·4.4 = 9.12.
        double[] latencies = [5.0, 5.2, 5.4, 5.6, 10.0];
        var files = latencies.Select((latency, i) =>
            Recording([TrueCramp(100, 200)], [Detected(100, 200, confirmed: 100 + latency)], name: $"f{i}.csv"));

        var report = EventEvaluation.Evaluate(files);

        Assert.Equal(5.4, report.Totals.LatencyMedianSeconds!.Value, 9);
        Assert.Equal(9.12, report.Totals.LatencyP95Seconds!.Value, 9);
        Assert.Equal(1.0, report.Totals.Recall);
        Assert.Equal(5, report.Totals.Matched);
    }

    [Fact]
    public void EvaluateFile_NothingToFindAndNothingFound_LeavesRatiosUndefined()
    {
        var m = EventEvaluation.EvaluateFile(Recording([], [])).Metrics;

        Assert.Null(m.Recall);
        Assert.Null(m.Precision);
        Assert.Null(m.F1);
        Assert.Null(m.LatencyMedianSeconds);
        Assert.Equal(0.0, m.FalseAlarmsPerHour);
    }

    [Fact]
    public void Percentile_InterpolatesBetweenClosestRanks()
    {
        Assert.Equal(2.5, EventEvaluation.Percentile([4, 1, 3, 2], 50));
        Assert.Equal(1.0, EventEvaluation.Percentile([4, 1, 3, 2], 0));
        Assert.Equal(4.0, EventEvaluation.Percentile([4, 1, 3, 2], 100));
        Assert.Null(EventEvaluation.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventEvaluation.Percentile([1.0], 101));
    }

    [Fact]
    public void FindCrampsOnShortContractions_CrampOverShortVoluntaryContraction_IsReported()
    {
        var shortHold = new TruthInterval(TruthKind.Voluntary, "calf", 10, 13);
        var longHold = new TruthInterval(TruthKind.Voluntary, "calf", 100, 110);
        var otherSite = new TruthInterval(TruthKind.Voluntary, "foot", 200, 203);
        var detections = new[] { Detected(10, 13.5), Detected(100, 110), Detected(200, 203, "calf") };

        var violations = EventEvaluation.FindCrampsOnShortContractions([shortHold, longHold, otherSite], detections, minimumCrampSeconds: 5);

        var violation = Assert.Single(violations);
        Assert.Equal(shortHold, violation.Contraction);
        Assert.Equal(detections[0], violation.Cramp);
    }

    [Fact]
    public void FindCrampsOnShortContractions_NoCrampOnShortContractions_IsEmpty()
    {
        var holds = Enumerable.Range(0, 10).Select(i => new TruthInterval(TruthKind.Voluntary, "calf", i * 10, (i * 10) + 4)).ToList();

        Assert.Empty(EventEvaluation.FindCrampsOnShortContractions(holds, [Detected(200, 230)], minimumCrampSeconds: 5));
    }

    [Fact]
    public void ToJson_ReportRoundTripsWithSnakeCaseNames()
    {
        var report = EventEvaluation.Evaluate([Recording([TrueCramp(10, 20)], [Detected(10.1, 19.8)])]);

        string json = report.ToJson();
        var read = EvaluationReport.FromJson(json);

        Assert.Contains("\"false_alarms_per_hour\"", json, StringComparison.Ordinal);
        Assert.Contains("\"latency_p95_s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scenario\": \"rest_sleep\"", json, StringComparison.Ordinal);
        Assert.Equal(report.Totals, read.Totals);
        Assert.Equal(report.Files[0].Matches, read.Files[0].Matches);
    }

    [Fact]
    public void ToJson_ReportWithUndefinedMetrics_RoundTrips()
    {
        // A file without cramps and without detections: recall, precision, F1 and the medians are undefined (null).
        var report = EventEvaluation.Evaluate([new RecordingEvaluationInput("rest.csv", ScenarioKind.RestSleep, 600, [], [])]);

        var read = EvaluationReport.FromJson(report.ToJson());

        Assert.Null(read.Totals.Recall);
        Assert.Null(read.Totals.LatencyMedianSeconds);
        Assert.Equal(0, read.Totals.FalseAlarmsPerHour);
    }

    [Fact]
    public void FromJson_BrokenReport_ThrowsGivingTheLine()
    {
        var ex = Assert.Throws<FormatException>(() => EvaluationReport.FromJson("{\n  \"files\": [\n  }"));

        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}

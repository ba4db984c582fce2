using CrampSense.Signals.Recordings;

namespace CrampSense.Detection.Evaluation;

/// <summary>
/// Event-level evaluation of detected cramps against truth intervals. A detection matches a true cramp when both
/// are on the same site and their intervals overlap by more than zero time; matching is one-to-one and finds
/// the largest number of pairs (maximum bipartite matching per site). See docs/detector.md.
/// </summary>
public static class EventEvaluation
{
    private const double SecondsPerHour = 3600.0;

    /// <summary>Evaluates a set of recordings: per-file rows, pooled totals and false alarms per scenario kind.</summary>
    public static EvaluationReport Evaluate(IEnumerable<RecordingEvaluationInput> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var files = recordings.Select(EvaluateFile).ToList();
        var allMatches = files.SelectMany(f => f.Matches).ToList();
        var totals = Metrics(
            files.Sum(f => f.Metrics.TrueCramps),
            files.Sum(f => f.Metrics.DetectedCramps),
            files.Sum(f => f.Metrics.NonCrampHours),
            allMatches);

        var byScenario = files
            .GroupBy(f => f.Scenario)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                double hours = g.Sum(f => f.Metrics.NonCrampHours);
                int falseAlarms = g.Sum(f => f.Metrics.FalseAlarms);
                return new ScenarioFalseAlarms
                {
                    Scenario = g.Key,
                    Files = g.Count(),
                    NonCrampHours = hours,
                    FalseAlarms = falseAlarms,
                    FalseAlarmsPerHour = hours > 0 ? falseAlarms / hours : null,
                };
            })
            .ToList();

        return new EvaluationReport { Files = files, Totals = totals, ByScenario = byScenario };
    }

    /// <summary>Evaluates one recording.</summary>
    public static FileEvaluation EvaluateFile(RecordingEvaluationInput recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var trueCramps = recording.Truth.Where(i => i.Kind == TruthKind.Cramp).ToList();
        var matches = Match(trueCramps, recording.Detections);
        double nonCrampSeconds = Math.Max(0.0, recording.DurationSeconds - UnionLength(trueCramps, recording.DurationSeconds));
        return new FileEvaluation
        {
            Name = recording.Name,
            Scenario = recording.Scenario,
            DurationSeconds = recording.DurationSeconds,
            Metrics = Metrics(trueCramps.Count, recording.Detections.Count, nonCrampSeconds / SecondsPerHour, matches),
            Matches = matches,
        };
    }

    /// <summary>
    /// Pairs true cramps with detections one-to-one: same site, overlapping intervals, as many pairs as possible.
    /// Truth intervals of other kinds are ignored. The pairs are ordered by site, then true onset.
    /// </summary>
    public static IReadOnlyList<CrampMatch> Match(IEnumerable<TruthInterval> truth, IEnumerable<DetectedCramp> detections)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(detections);
        var matches = new List<CrampMatch>();
        var detectionsBySite = detections.GroupBy(d => d.Site, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(d => d.OnsetSeconds).ToList(), StringComparer.Ordinal);
        foreach (var site in truth.Where(i => i.Kind == TruthKind.Cramp).GroupBy(i => i.Site, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!detectionsBySite.TryGetValue(site.Key, out var siteDetections))
            {
                continue;
            }

            var siteTruth = site.OrderBy(i => i.StartSeconds).ToList();
            int[] truthOfDetection = MaximumMatching(siteTruth, siteDetections);
            var pairs = new List<CrampMatch>();
            for (int d = 0; d < siteDetections.Count; d++)
            {
                if (truthOfDetection[d] < 0)
                {
                    continue;
                }

                var t = siteTruth[truthOfDetection[d]];
                var detection = siteDetections[d];
                pairs.Add(new CrampMatch
                {
                    Site = site.Key,
                    DetectionId = detection.Id,
                    TrueOnsetSeconds = t.StartSeconds,
                    TrueEndSeconds = t.EndSeconds,
                    OnsetSeconds = detection.OnsetSeconds,
                    ConfirmedSeconds = detection.ConfirmedSeconds,
                    EndSeconds = detection.EndSeconds,
                });
            }

            matches.AddRange(pairs.OrderBy(m => m.TrueOnsetSeconds));
        }

        return matches;
    }

    /// <summary>
    /// The check for recordings without cramps: every voluntary contraction (truth kind
    /// <see cref="TruthKind.Voluntary"/>) shorter than <paramref name="minimumCrampSeconds"/> that a detected
    /// cramp on the same site overlaps. An empty result means no cramp was reported for any short contraction.
    /// </summary>
    public static IReadOnlyList<ShortContractionViolation> FindCrampsOnShortContractions(
        IEnumerable<TruthInterval> truth,
        IEnumerable<DetectedCramp> detections,
        double minimumCrampSeconds)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(detections);
        if (!double.IsFinite(minimumCrampSeconds) || minimumCrampSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumCrampSeconds), minimumCrampSeconds, "The minimum cramp duration must be a finite, positive number of seconds.");
        }

        var detected = detections.ToList();
        var violations = new List<ShortContractionViolation>();
        foreach (var contraction in truth.Where(i => i.Kind == TruthKind.Voluntary && i.DurationSeconds < minimumCrampSeconds).OrderBy(i => i.StartSeconds))
        {
            foreach (var cramp in detected)
            {
                if (string.Equals(cramp.Site, contraction.Site, StringComparison.Ordinal)
                    && Overlap(contraction.StartSeconds, contraction.EndSeconds, cramp.OnsetSeconds, cramp.EndSeconds) > 0)
                {
                    violations.Add(new ShortContractionViolation(contraction, cramp));
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The <paramref name="percentile"/> (0–100) of <paramref name="values"/> by linear interpolation between
    /// closest ranks (the common "type 7" definition); null for no values.
    /// </summary>
    public static double? Percentile(IEnumerable<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "The percentile must be between 0 and 100.");
        }

        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        double rank = percentile / 100.0 * (sorted.Length - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }

    private static EventMetrics Metrics(int trueCramps, int detectedCramps, double nonCrampHours, IReadOnlyList<CrampMatch> matches)
    {
        int matched = matches.Count;
        int falseAlarms = detectedCramps - matched;
        return new EventMetrics
        {
            TrueCramps = trueCramps,
            DetectedCramps = detectedCramps,
            Matched = matched,
            NonCrampHours = nonCrampHours,
            Recall = trueCramps > 0 ? (double)matched / trueCramps : null,
            Precision = detectedCramps > 0 ? (double)matched / detectedCramps : null,
            F1 = trueCramps + detectedCramps > 0 ? 2.0 * matched / (trueCramps + detectedCramps) : null,
            FalseAlarmsPerHour = nonCrampHours > 0 ? falseAlarms / nonCrampHours : null,
            LatencyMedianSeconds = Percentile(matches.Select(m => m.LatencySeconds), 50),
            LatencyP95Seconds = Percentile(matches.Select(m => m.LatencySeconds), 95),
            OnsetErrorMedianSeconds = Percentile(matches.Select(m => m.OnsetErrorSeconds), 50),
            OnsetAbsoluteErrorMedianSeconds = Percentile(matches.Select(m => Math.Abs(m.OnsetErrorSeconds)), 50),
            OnsetAbsoluteErrorP90Seconds = Percentile(matches.Select(m => Math.Abs(m.OnsetErrorSeconds)), 90),
            DurationErrorMedianSeconds = Percentile(matches.Select(m => m.DurationErrorSeconds), 50),
        };
    }

    // Kuhn's augmenting paths: exact maximum matching; a file holds tens of cramps, so O(V·E) is nothing.
    private static int[] MaximumMatching(List<TruthInterval> truth, List<DetectedCramp> detections)
    {
        var candidates = new List<int>[truth.Count];
        for (int t = 0; t < truth.Count; t++)
        {
            var interval = truth[t];
            candidates[t] = Enumerable.Range(0, detections.Count)
                .Select(d => (d, overlap: Overlap(interval.StartSeconds, interval.EndSeconds, detections[d].OnsetSeconds, detections[d].EndSeconds)))
                .Where(x => x.overlap > 0)
                .OrderByDescending(x => x.overlap)
                .ThenBy(x => x.d)
                .Select(x => x.d)
                .ToList();
        }

        var truthOfDetection = new int[detections.Count];
        Array.Fill(truthOfDetection, -1);
        for (int t = 0; t < truth.Count; t++)
        {
            var visited = new bool[detections.Count];
            TryAugment(t, candidates, truthOfDetection, visited);
        }

        return truthOfDetection;
    }

    private static bool TryAugment(int t, List<int>[] candidates, int[] truthOfDetection, bool[] visited)
    {
        foreach (int d in candidates[t])
        {
            if (visited[d])
            {
                continue;
            }

            visited[d] = true;
            if (truthOfDetection[d] < 0 || TryAugment(truthOfDetection[d], candidates, truthOfDetection, visited))
            {
                truthOfDetection[d] = t;
                return true;
            }
        }

        return false;
    }

    private static double Overlap(double startA, double endA, double startB, double endB) =>
        Math.Min(endA, endB) - Math.Max(startA, startB);

    private static double UnionLength(List<TruthInterval> intervals, double durationSeconds)
    {
        double total = 0;
        double coveredUntil = double.NegativeInfinity;
        foreach (var interval in intervals.OrderBy(i => i.StartSeconds))
        {
            double start = Math.Max(Math.Max(interval.StartSeconds, coveredUntil), 0);
            double end = Math.Min(interval.EndSeconds, durationSeconds);
            if (end > start)
            {
                total += end - start;
            }

            coveredUntil = Math.Max(coveredUntil, interval.EndSeconds);
        }

        return total;
    }
}

/// <summary>A detected cramp that overlaps a voluntary contraction shorter than the minimum cramp duration.</summary>
/// <param name="Contraction">The short voluntary contraction (truth).</param>
/// <param name="Cramp">The detected cramp overlapping it.</param>
public sealed record ShortContractionViolation(TruthInterval Contraction, DetectedCramp Cramp);

using System.Globalization;
using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Evaluation;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using CrampSense.Training;
using CrampSense.Wearable.Clips;

namespace CrampSense.Cli.Detection;

/// <summary>
/// <c>crampsense train --personal --data clips/ [--base model.zip] [--profile calibration.json]</c> (issue 16 §5): runs
/// the base detector over the wearer's labelled recordings (a clip folder, or <c>clips export</c>'s output; unconfirmed
/// clips are left out), takes the signature of every contraction it confirmed as a cramp, learns the wearer's habits from
/// the rejected ones (<see cref="PersonalAdaptation"/>), and writes a personal profile (the calibration, if given, plus
/// the habits) that the service loads as <c>Detection:ProfilePath</c>. It checks the profile on the base's evaluation sets
/// (simulated, both engines, seeds from 60 000, the sets of models/README.md): the profile is refused, with the cramps it
/// would lose, when it finds fewer cramps there than the base.
/// </summary>
internal static class PersonalTraining
{
    /// <summary>First seed of the check sets: the fresh evaluation sets of models/README.md.</summary>
    internal const int CheckSeedBase = 60_000;

    /// <summary>A cramp_started event's onset this close before a labelled interval still belongs to it (the detector's onset may lead the truth's).</summary>
    private const double OnsetSlackSeconds = 2;

    internal sealed record Options
    {
        public required IReadOnlyList<string> DataFolders { get; init; }

        public string? BasePath { get; init; }

        public string? ProfilePath { get; init; }

        /// <summary>Use only the first this-many rejected contractions (file order); null = all.</summary>
        public int? Examples { get; init; }

        /// <summary>Hours of each engine's check set.</summary>
        public double CheckHours { get; init; } = 2;

        public required string OutputPath { get; init; }
    }

    internal static int Run(Options options, TextWriter console)
    {
        if (options.DataFolders.Count == 0)
        {
            throw new CliInputException("--data: --personal needs the wearer's labelled clips (a clip folder or the output of crampsense clips export)");
        }

        if (options.Examples is < PersonalAdaptation.MinimumExamples)
        {
            throw new CliInputException($"--examples: {options.Examples} is too few; a habit needs at least {PersonalAdaptation.MinimumExamples}");
        }

        if (!(options.CheckHours is > 0 and <= 20))
        {
            throw new CliInputException($"--check-hours: {options.CheckHours.ToString(CultureInfo.InvariantCulture)} is out of range; use more than 0 and at most 20");
        }

        var modelBytes = ModelFiles.ReadBytes(options.BasePath);
        var baseModel = ModelFiles.Parse(modelBytes, options.BasePath);
        var calibration = ModelFiles.LoadProfile(options.ProfilePath);
        OutputFile.EnsureWritable("--out", options.OutputPath);

        var files = options.DataFolders.SelectMany(f => Directory.EnumerateFiles(f, "*.csv", SearchOption.AllDirectories))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var examples = new List<HabitExample>();
        var used = 0;
        foreach (var file in files)
        {
            if (TrainingTruth(file) is not { } truth)
            {
                continue;
            }

            used++;
            var run = DetectorRunner.Run(RecordingSource.Open(file), baseModel, new CrampDetectorOptions { Profile = calibration });
            examples.AddRange(Examples(Path.GetFileName(file), run.Events, truth));
        }

        var rejected = examples.Where(e => !e.IsCramp).ToArray();
        if (options.Examples is { } limit)
        {
            rejected = rejected.Take(limit).ToArray();
        }

        var confirmed = examples.Where(e => e.IsCramp).ToArray();
        console.WriteLine($"labelled recordings: {used} of {files.Length} (unconfirmed clips left out); the base detector's cramps in them: {rejected.Length} rejected, {confirmed.Length} confirmed");

        var checkSpecs = CheckSet(options.CheckHours);
        var baseCheck = RunCheck(checkSpecs, modelBytes, options.BasePath, calibration);
        var knownCramps = baseCheck.SelectMany(r => Examples(r.Name, r.Events, r.Truth)).Where(e => e.IsCramp).ToArray();
        var learnt = PersonalAdaptation.Learn([.. rejected, .. confirmed], knownCramps);
        foreach (var reason in learnt.Refused)
        {
            console.WriteLine($"not learnt: {reason}");
        }

        if (learnt.Habits.Count == 0)
        {
            throw new CliInputException($"--personal: no habit could be learnt from {string.Join(", ", options.DataFolders)}{(learnt.Refused.Count > 0 ? ": " + string.Join("; ", learnt.Refused) : $": no rejected contraction the base detector called a cramp (need at least {PersonalAdaptation.MinimumExamples} on one site)")}");
        }

        var profile = calibration is null
            ? new PersonalProfile(new Dictionary<string, SiteCalibration>(), TimeProvider.System.GetUtcNow(), habits: learnt.Habits)
            : calibration.WithHabits(learnt.Habits, TimeProvider.System.GetUtcNow());
        var personalCheck = RunCheck(checkSpecs, modelBytes, options.BasePath, profile);
        var before = Evaluate(baseCheck);
        var after = Evaluate(personalCheck);
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(c, $"check on the base's evaluation sets ({checkSpecs.Count} simulated recordings, {checkSpecs.Sum(s => s.Duration.TotalHours):0.##} h, both engines, seeds from {CheckSeedBase}): base {before.Totals.Matched} of {before.Totals.TrueCramps} cramps, {before.Totals.FalseAlarms} false alarms; personal {after.Totals.Matched} of {after.Totals.TrueCramps}, {after.Totals.FalseAlarms} false alarms"));
        if (after.Totals.Matched < before.Totals.Matched || after.Totals.FalseAlarms > before.Totals.FalseAlarms)
        {
            var lost = before.Files.Zip(after.Files)
                .SelectMany(p => p.First.Matches.Where(m => !p.Second.Matches.Any(n => n.Site == m.Site && n.TrueOnsetSeconds == m.TrueOnsetSeconds)).Select(m => string.Create(c, $"{p.First.Name} {m.Site} at {m.TrueOnsetSeconds:0.###} s")))
                .ToArray();
            throw new CliInputException($"--personal: refused: the personal profile is worse than the base on its evaluation sets ({after.Totals.Matched} of {after.Totals.TrueCramps} cramps found instead of {before.Totals.Matched}; lost: {string.Join(", ", lost.Take(5))}); nothing written");
        }

        OutputFile.WriteText("--out", options.OutputPath, profile.Save);
        foreach (var habit in learnt.Habits)
        {
            console.WriteLine(string.Create(c, $"habit on {habit.Site} from {habit.Examples} rejected: level {Math.Exp(habit.LogMeanOverFloor.Low):0.##}–{Math.Exp(habit.LogMeanOverFloor.High):0.##} × floor, peak/mean {Math.Exp(habit.LogPeakOverMean.Low):0.###}–{Math.Exp(habit.LogPeakOverMean.High):0.###}, a cramp once it lasts {habit.ConfirmAfterSeconds:0.#} s"));
        }

        console.WriteLine($"personal profile -> {options.OutputPath} (load it as Detection:ProfilePath, or --profile for replay and evaluate)");
        return 0;
    }

    /// <summary>
    /// The truth a labelled recording gives: a clip's label as training reads it (<see cref="ClipLabelling.TrainingIntervals"/>),
    /// null for an unconfirmed clip; otherwise the plain sidecar (clips export's output, simulated recordings).
    /// </summary>
    private static IReadOnlyList<TruthInterval>? TrainingTruth(string recording)
    {
        var sidecar = GroundTruth.SidecarPathFor(recording);
        if (!File.Exists(sidecar))
        {
            return null;
        }

        var text = File.ReadAllText(sidecar);
        if (text.Contains("\"clip\"", StringComparison.Ordinal))
        {
            var label = ClipLabel.Parse(text, sidecar);
            return ClipLabelling.IsAnswered(label) ? ClipLabelling.TrainingIntervals(label) : null;
        }

        return RecordingSource.ReadTruth(recording);
    }

    /// <summary>
    /// Each cramp_started event whose onset falls in a cramp or voluntary interval of its site, as an example, with the
    /// duration of its cramp_ended (the same id; the detector ends every cramp it started, at the latest when the recording ends).
    /// </summary>
    private static IEnumerable<HabitExample> Examples(string source, IReadOnlyList<CrampEvent> events, IReadOnlyList<TruthInterval> truth)
    {
        foreach (var started in events.Where(e => e.Type == CrampEventKind.CrampStarted))
        {
            var interval = truth.FirstOrDefault(t => t.Site == started.Site && t.Kind is TruthKind.Cramp or TruthKind.Voluntary
                && started.OnsetSeconds >= t.StartSeconds - OnsetSlackSeconds && started.OnsetSeconds <= t.EndSeconds);
            var duration = events.FirstOrDefault(e => e.Type == CrampEventKind.CrampEnded && e.Id == started.Id)?.DurationSeconds;
            if (interval is not null && duration is { } seconds
                && HabitSignature.From(started.MeanMicrovolts, started.PeakMicrovolts, started.RestFloorMicrovolts) is { } signature)
            {
                yield return new HabitExample(source, started.Site, started.OnsetSeconds, signature, interval.Kind == TruthKind.Cramp, seconds);
            }
        }
    }

    private static List<SimulatedRecordingSpec> CheckSet(double hours) =>
    [
        .. SimulatedSet.Evaluation(hours, CheckSeedBase, SimulationEngine.Stochastic, randomise: true),
        .. SimulatedSet.Evaluation(hours, CheckSeedBase, SimulationEngine.MotorUnit, randomise: true),
    ];

    private static DetectorRunner.Result[] RunCheck(List<SimulatedRecordingSpec> specs, byte[] modelBytes, string? modelPath, PersonalProfile? profile)
    {
        var runs = new DetectorRunner.Result[specs.Count];
        var options = new CrampDetectorOptions { Profile = profile };
        using var local = new ThreadLocal<CrampModel>(() => ModelFiles.Parse(modelBytes, modelPath));
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            runs[i] = DetectorRunner.Run(RecordingSource.Simulate(specs[i]), local.Value!, options));
        return runs;
    }

    private static EvaluationReport Evaluate(IEnumerable<DetectorRunner.Result> runs) =>
        EventEvaluation.Evaluate(runs.Select(DetectorRunner.ToEvaluationInput));
}

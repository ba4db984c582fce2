using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrampSense.Cli.Detection;
using CrampSense.Detection;
using CrampSense.Detection.Evaluation;
using CrampSense.Detection.Model;
using CrampSense.Detection.Training;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense train [--data dir...] [--seed n] [--hours h] [--out out/crampsense-detector.zip]</c>: simulates
/// training and validation sets (different subjects), adds real healthy recordings as negatives and any labelled
/// recordings given, trains FastTree one-versus-all, LightGbm and an L-BFGS linear baseline, runs the full
/// detector (state machine included) over the validation recordings with each, keeps the best by event-level
/// F1, and writes the zip, <c>metrics.json</c> and the comparison into <c>README.md</c> beside it.
/// </summary>
internal static class TrainCommand
{
    private const string ReportBegin = "<!-- crampsense-train:begin -->";
    private const string ReportEnd = "<!-- crampsense-train:end -->";

    /// <summary>Where <c>train</c> writes without <c>--out</c>; its folder is created.</summary>
    internal const string DefaultOutputPath = "out/crampsense-detector.zip";

    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    internal static Command Create()
    {
        var data = new Option<string[]>("--data") { Description = "Folder(s) of labelled recordings (CSV + .truth.json sidecars) to add to training.", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated subjects and of training: the same seed gives the same model.", DefaultValueFactory = _ => 1 };
        var hours = new Option<double>("--hours") { Description = "Hours of simulated training recordings (validation gets a third of that, other subjects).", DefaultValueFactory = _ => 6 };
        var real = new Option<string?>("--real") { Description = "Folder of the real EMG collection used as negatives; default ../shared/data/emg if present, else tests/data/emg (slices)." };
        var noReal = new Option<bool>("--no-real") { Description = "Do not add real recordings as negatives." };
        var trees = new Option<int>("--trees") { Description = "Boosting iterations per class of the tree learners.", DefaultValueFactory = _ => 60 };
        var holdOut = new Option<string?>("--hold-out") { Description = "Comma-separated scenarios to leave out of training and validation (to test generalisation to unseen activity)." };
        var algorithms = new Option<string?>("--algorithms") { Description = "Comma-separated learners to compare: fasttree-ova, lightgbm, lbfgs-maxent (default all)." };
        // Experiments go to out/ (ignored by git) unless asked: the shipped model in models/ is replaced only on purpose.
        var output = new Option<string>("--out", "-o")
        {
            Description = "The model zip to write; metrics.json and README.md go beside it (models/crampsense-detector.zip replaces the shipped model).",
            DefaultValueFactory = _ => DefaultOutputPath,
        };
        var command = new Command("train", "Train the window model on simulated subjects plus real negatives, compare learners by event-level F1, write the best.")
        {
            data, seed, hours, real, noReal, trees, algorithms, holdOut, output,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                new TrainOptions
                {
                    DataFolders = parseResult.GetValue(data) ?? [],
                    Seed = parseResult.GetValue(seed),
                    Hours = parseResult.GetValue(hours),
                    RealRoot = parseResult.GetValue(real),
                    UseReal = !parseResult.GetValue(noReal),
                    Trees = parseResult.GetValue(trees),
                    Algorithms = ParseAlgorithms(parseResult.GetValue(algorithms)),
                    HoldOut = parseResult.GetValue(holdOut) is { } list ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [],
                    OutputPath = parseResult.GetRequiredValue(output),
                },
                configuration.Output));
        });
        return command;
    }

    internal sealed record TrainOptions
    {
        public IReadOnlyList<string> DataFolders { get; init; } = [];

        public int Seed { get; init; } = 1;

        public double Hours { get; init; } = 6;

        public string? RealRoot { get; init; }

        public bool UseReal { get; init; } = true;

        public int Trees { get; init; } = 60;

        public IReadOnlyList<ModelAlgorithm> Algorithms { get; init; } = ModelTrainer.Algorithms;

        public IReadOnlyList<string> HoldOut { get; init; } = [];

        public required string OutputPath { get; init; }
    }

    internal static int Run(TrainOptions options, TextWriter console)
    {
        if (options.Seed is < 0 or > 2000)
        {
            throw new CliInputException($"--seed: {options.Seed} is out of range; use 0 to 2000.");
        }

        if (!(options.Hours > 0 && options.Hours <= 200))
        {
            throw new CliInputException($"--hours: {options.Hours.ToString(CultureInfo.InvariantCulture)} is out of range; use more than 0 and at most 200.");
        }

        if (options.Trees is < 2 or > 1000)
        {
            throw new CliInputException($"--trees: {options.Trees} is out of range; use 2 to 1000.");
        }

        foreach (var folder in options.DataFolders)
        {
            if (!Directory.Exists(folder))
            {
                throw new CliInputException($"--data: folder '{folder}' not found");
            }
        }

        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;
        if (options.OutputPath == DefaultOutputPath)
        {
            Directory.CreateDirectory(outputDirectory);
        }

        if (!Directory.Exists(outputDirectory))
        {
            throw new CliInputException($"--out: folder '{outputDirectory}' not found");
        }

        var clock = Stopwatch.StartNew();
        int trainingBase = 100_000 + (options.Seed * 1_000_000);
        int validationBase = trainingBase + 500_000;
        foreach (var scenario in options.HoldOut)
        {
            if (!Simulation.ScenarioCatalog.TryGet(scenario, out _))
            {
                throw new CliInputException($"--hold-out: unknown scenario '{scenario}'; see `crampsense scenarios`");
            }
        }

        var trainingSpecs = SimulatedSet.Training(options.Hours, trainingBase, options.HoldOut);
        var validationSpecs = SimulatedSet.Training(Math.Max(options.Hours / 3, 0.25), validationBase, options.HoldOut);
        if (trainingSpecs.Count == 0 || validationSpecs.Count == 0)
        {
            throw new CliInputException("--hold-out: nothing is left to train or validate on");
        }
        string? realRoot = options.UseReal ? RealRecordings.FindRoot(options.RealRoot) : null;
        var realRecordings = realRoot is null ? [] : RealRecordings.Import(realRoot);
        var labelled = options.DataFolders.SelectMany(f => Directory.EnumerateFiles(f, "*.csv", SearchOption.AllDirectories)).Order(StringComparer.Ordinal).ToArray();

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training: {trainingSpecs.Count} simulated recordings ({trainingSpecs.Sum(s => s.Duration.TotalHours):0.##} h, seeds from {trainingBase}); validation: {validationSpecs.Count} ({validationSpecs.Sum(s => s.Duration.TotalHours):0.##} h, seeds from {validationBase})"));
        console.WriteLine(realRoot is null ? "real negatives: none" : $"real negatives: {realRecordings.Count} recordings from {realRoot}");
        if (labelled.Length > 0)
        {
            console.WriteLine($"labelled recordings: {labelled.Length}");
        }

        var result = ProgressReporter.Run("training", progress =>
        {
            double trainingSeconds = trainingSpecs.Sum(s => s.Duration.TotalSeconds);
            double validationSeconds = validationSpecs.Sum(s => s.Duration.TotalSeconds);

            // Weights of the phases in the bar: collecting ~45 %, learning ~25 %, validating ~30 %.
            var collectProgress = new Scaled(progress, 0, 0.45);
            var set = Collect(trainingSpecs, realRecordings, labelled, collectProgress, trainingSeconds);
            var candidates = new List<Candidate>();
            for (int a = 0; a < options.Algorithms.Count; a++)
            {
                var algorithm = options.Algorithms[a];
                var watch = Stopwatch.StartNew();
                using var zip = new MemoryStream();
                ModelTrainer.Train(set, algorithm, options.Seed, zip, options.Trees);
                candidates.Add(new Candidate(algorithm, zip.ToArray(), watch.Elapsed.TotalSeconds));
                progress?.Report(0.45 + (0.25 * (a + 1) / options.Algorithms.Count));
            }

            for (int a = 0; a < candidates.Count; a++)
            {
                var validateProgress = new Scaled(progress, 0.70 + (0.30 * a / candidates.Count), 0.30 / candidates.Count);
                candidates[a] = Validate(candidates[a], validationSpecs, realRecordings, validateProgress, validationSeconds);
            }

            return (set, candidates);
        });

        var (trainingSet, models) = result;
        var best = models
            .OrderByDescending(c => c.Report!.Totals.F1 ?? 0)
            .ThenBy(c => c.Report!.Totals.FalseAlarms)
            .ThenBy(c => options.Algorithms.ToList().IndexOf(c.Algorithm))
            .First();

        OutputFile.WriteBytes("--out", options.OutputPath, best.Zip);
        using var chosen = CrampModel.Load(best.Zip, Path.GetFileNameWithoutExtension(options.OutputPath));

        var metrics = Metrics(options, trainingSet, models, best, chosen.Version, realRoot, realRecordings.Count, labelled.Length, trainingSpecs, validationSpecs, clock.Elapsed.TotalSeconds);
        var metricsPath = Path.Combine(outputDirectory, "metrics.json");
        File.WriteAllText(metricsPath, metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var readmePath = Path.Combine(outputDirectory, "README.md");
        WriteReport(readmePath, Report(options, trainingSet, models, best, chosen.Version, realRoot, realRecordings.Count, trainingSpecs, validationSpecs, clock.Elapsed.TotalSeconds));

        foreach (var model in models)
        {
            var t = model.Report!.Totals;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ModelTrainer.NameOf(model.Algorithm),-13} F1 {Format(t.F1)}  recall {Format(t.Recall)}  precision {Format(t.Precision)}  false alarms {t.FalseAlarms}  real-data cramps {model.RealCramps}  ({model.TrainSeconds:0.0} s to train)"));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chose {ModelTrainer.NameOf(best.Algorithm)} -> {options.OutputPath} ({chosen.Version}, {best.Zip.Length / 1024.0:0.#} KB); {metricsPath}; {readmePath}; {clock.Elapsed.TotalSeconds:0} s"));
        return 0;
    }

    private static IReadOnlyList<ModelAlgorithm> ParseAlgorithms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ModelTrainer.Algorithms;
        }

        var list = new List<ModelAlgorithm>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = ModelTrainer.Algorithms.Where(a => ModelTrainer.NameOf(a) == name).ToArray();
            if (match.Length == 0)
            {
                throw new CliInputException($"--algorithms: unknown learner '{name}'; known: {string.Join(", ", ModelTrainer.Algorithms.Select(ModelTrainer.NameOf))}");
            }

            if (!list.Contains(match[0]))
            {
                list.Add(match[0]);
            }
        }

        return list;
    }

    private static TrainingSet Collect(
        IReadOnlyList<SimulatedRecordingSpec> specs,
        IReadOnlyList<(string Name, string Csv, IReadOnlyList<TruthInterval> Truth)> real,
        IReadOnlyList<string> labelled,
        IProgress<double>? progress,
        double totalSeconds)
    {
        var parts = new TrainingSet[specs.Count];
        double done = 0;
        var gate = new Lock();
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var spec = specs[i];
            var source = RecordingSource.Simulate(spec);
            var part = new TrainingSet();
            var collector = new TrainingWindowCollector(source.Layout, source.Truth, part, spec.Group, new TrainingCollectorOptions { Seed = spec.Seed });
            var frame = source.Layout.CreateFrame();
            while (source.TryReadFrame(frame))
            {
                collector.Process(frame);
            }

            parts[i] = part;
            lock (gate)
            {
                done += spec.Duration.TotalSeconds;
                progress?.Report(done / totalSeconds);
            }
        });

        // Merged in plan order, so the set (and the model) does not depend on thread timing.
        var set = new TrainingSet();
        foreach (var part in parts)
        {
            set.AddRange(part);
        }

        // Real healthy recordings, labelled by their own labels or by activity; thinned so that a few long files
        // do not outweigh the simulated subjects.
        int group = -1;
        foreach (var (name, csv, truth) in real)
        {
            var source = RecordingSource.FromText(name, csv, truth);
            AddAll(source, set, group--, new TrainingCollectorOptions { RestKeepFraction = 0.1, VoluntaryKeepFraction = 0.25, LabelByActivity = true, Seed = -group });
        }

        foreach (var path in labelled)
        {
            var source = RecordingSource.Open(path);
            AddAll(source, set, group--, new TrainingCollectorOptions { RestKeepFraction = 0.5, VoluntaryKeepFraction = 1 });
        }

        return set;
    }

    private static void AddAll(RecordingSource source, TrainingSet set, int group, TrainingCollectorOptions options)
    {
        var collector = new TrainingWindowCollector(source.Layout, source.Truth, set, group, options);
        var frame = source.Layout.CreateFrame();
        while (source.TryReadFrame(frame))
        {
            collector.Process(frame);
        }
    }

    private static Candidate Validate(
        Candidate candidate,
        IReadOnlyList<SimulatedRecordingSpec> specs,
        IReadOnlyList<(string Name, string Csv, IReadOnlyList<TruthInterval> Truth)> real,
        IProgress<double>? progress,
        double totalSeconds)
    {
        var runs = new DetectorRunner.Result[specs.Count];
        double done = 0;
        var gate = new Lock();
        var models = new System.Collections.Concurrent.ConcurrentBag<CrampModel>();
        using var local = new ThreadLocal<CrampModel>(() =>
        {
            var model = CrampModel.Load(candidate.Zip, ModelTrainer.NameOf(candidate.Algorithm));
            models.Add(model);
            return model;
        });
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            runs[i] = DetectorRunner.Run(RecordingSource.Simulate(specs[i]), local.Value!);
            lock (gate)
            {
                done += specs[i].Duration.TotalSeconds;
                progress?.Report(done / totalSeconds);
            }
        });

        // The state machine decides by the rule (sustained activity without intent); the learner is chosen by how the
        // whole detector does on these validation subjects.
        var scorer = local.Value!;
        var inputs = runs.Select(DetectorRunner.ToEvaluationInput).ToArray();
        var report = EventEvaluation.Evaluate(inputs);
        int realCramps = 0;
        foreach (var (name, csv, truth) in real)
        {
            var run = DetectorRunner.Run(RecordingSource.FromText(name, csv, truth), scorer);
            realCramps += run.Events.Count(e => e.Type == CrampEventKind.CrampStarted);
        }

        foreach (var model in models)
        {
            model.Dispose();
        }

        var byScenario = specs
            .Select((spec, i) => (spec.Scenario, Input: inputs[i]))
            .GroupBy(x => x.Scenario, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => EventEvaluation.Evaluate(g.Select(x => x.Input)).Totals, StringComparer.Ordinal);
        return candidate with { Report = report, ByScenario = byScenario, RealCramps = realCramps };
    }


    private static JsonObject Metrics(
        TrainOptions options,
        TrainingSet set,
        IReadOnlyList<Candidate> models,
        Candidate best,
        string version,
        string? realRoot,
        int realCount,
        int labelledCount,
        IReadOnlyList<SimulatedRecordingSpec> training,
        IReadOnlyList<SimulatedRecordingSpec> validation,
        double seconds)
    {
        var comparison = new JsonObject();
        foreach (var model in models)
        {
            comparison[ModelTrainer.NameOf(model.Algorithm)] = new JsonObject
            {
                ["train_seconds"] = Math.Round(model.TrainSeconds, 1),
                ["zip_bytes"] = model.Zip.Length,
                ["cramps_on_real_recordings"] = model.RealCramps,
                ["validation"] = JsonNode.Parse(JsonSerializer.Serialize(model.Report!.Totals, SnakeCase)),
                ["validation_by_kind"] = JsonNode.Parse(JsonSerializer.Serialize(model.Report!.ByScenario, SnakeCase)),
                ["validation_by_scenario"] = JsonNode.Parse(JsonSerializer.Serialize(model.ByScenario, SnakeCase)),
            };
        }

        var counts = new JsonObject();
        for (int c = 0; c < ClassProbabilities.ClassCount; c++)
        {
            counts[((ActivityClass)c).ToString().ToLowerInvariant()] = set.ClassCounts[c];
        }

        return new JsonObject
        {
            ["model_version"] = version,
            ["algorithm"] = ModelTrainer.NameOf(best.Algorithm),
            ["classes"] = new JsonArray("rest", "voluntary", "cramp", "artifact"),
            ["features"] = new JsonArray(ModelFeatureNames.All.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            ["command"] = CommandLine(options),
            ["seed"] = options.Seed,
            ["trees_per_class"] = options.Trees,
            ["training"] = new JsonObject
            {
                ["simulated_recordings"] = training.Count,
                ["simulated_hours"] = Math.Round(training.Sum(s => s.Duration.TotalHours), 2),
                ["first_seed"] = training[0].Seed,
                ["real_recordings"] = realCount,
                ["real_root"] = realRoot is null ? null : ShortPath(realRoot),
                ["labelled_recordings"] = labelledCount,
                ["windows"] = set.Count,
                ["windows_per_class"] = counts,
            },
            ["validation"] = new JsonObject
            {
                ["simulated_recordings"] = validation.Count,
                ["simulated_hours"] = Math.Round(validation.Sum(s => s.Duration.TotalHours), 2),
                ["first_seed"] = validation[0].Seed,
                ["chosen_by"] = "event-level F1 of the full detector (features, model, state machine) on the validation subjects",
            },
            ["comparison"] = comparison,
            ["total_seconds"] = Math.Round(seconds, 1),
        };
    }

    private static string Report(
        TrainOptions options,
        TrainingSet set,
        IReadOnlyList<Candidate> models,
        Candidate best,
        string version,
        string? realRoot,
        int realCount,
        IReadOnlyList<SimulatedRecordingSpec> training,
        IReadOnlyList<SimulatedRecordingSpec> validation,
        double seconds)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(ReportBegin);
        text.AppendLine("### Learner comparison (written by `crampsense train`)");
        text.AppendLine();
        text.AppendLine(c, $"`{CommandLine(options)}` — {training.Count} simulated training recordings ({training.Sum(s => s.Duration.TotalHours):0.##} h, seeds from {training[0].Seed}), {realCount} real recordings ({(realRoot is null ? "none" : ShortPath(realRoot))}), {set.Count} windows (rest {set.ClassCounts[0]}, voluntary {set.ClassCounts[1]}, cramp {set.ClassCounts[2]}, artifact {set.ClassCounts[3]}); validation on {validation.Count} recordings of other subjects ({validation.Sum(s => s.Duration.TotalHours):0.##} h, seeds from {validation[0].Seed}); {seconds:0} s in all.");
        text.AppendLine();
        text.AppendLine("| learner | event F1 | recall | precision | false alarms | FA/h rest·sleep | FA/h exercise | FA/h holds | latency median (s) | onset error median (s) | cramps on real files | train (s) | zip (KB) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var model in models)
        {
            var t = model.Report!.Totals;
            string Kind(ScenarioKind kind) => Format(model.Report!.ByScenario.FirstOrDefault(s => s.Scenario == kind)?.FalseAlarmsPerHour);
            text.AppendLine(c, $"| {ModelTrainer.NameOf(model.Algorithm)}{(model == best ? " (chosen)" : string.Empty)} | {Format(t.F1)} | {Format(t.Recall)} | {Format(t.Precision)} | {t.FalseAlarms} | {Kind(ScenarioKind.RestSleep)} | {Kind(ScenarioKind.Exercise)} | {Kind(ScenarioKind.VoluntaryHolds)} | {Format(t.LatencyMedianSeconds)} | {Format(t.OnsetErrorMedianSeconds)} | {model.RealCramps} | {model.TrainSeconds:0.0} | {model.Zip.Length / 1024.0:0} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Chosen: **{ModelTrainer.NameOf(best.Algorithm)}** (`{version}`), by event-level F1 of the whole detector on the validation subjects.");
        text.AppendLine(ReportEnd);
        return text.ToString();
    }

    private static void WriteReport(string readmePath, string section)
    {
        string existing = File.Exists(readmePath) ? File.ReadAllText(readmePath) : "# models\n\n";
        int begin = existing.IndexOf(ReportBegin, StringComparison.Ordinal);
        int end = existing.IndexOf(ReportEnd, StringComparison.Ordinal);
        string updated = begin >= 0 && end > begin
            ? existing[..begin] + section.TrimEnd('\n', '\r') + existing[(end + ReportEnd.Length)..]
            : existing.TrimEnd('\n', '\r') + "\n\n" + section;
        File.WriteAllText(readmePath, updated.ReplaceLineEndings("\n"));
    }

    private static string CommandLine(TrainOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("crampsense train");
        foreach (var folder in options.DataFolders)
        {
            text.Append(c, $" --data {folder}");
        }

        text.Append(c, $" --seed {options.Seed} --hours {options.Hours} --trees {options.Trees}");
        if (!options.UseReal)
        {
            text.Append(" --no-real");
        }

        if (options.HoldOut.Count > 0)
        {
            text.Append(" --hold-out ").Append(string.Join(',', options.HoldOut));
        }

        if (options.Algorithms.Count != ModelTrainer.Algorithms.Count)
        {
            text.Append(" --algorithms ").Append(string.Join(',', options.Algorithms.Select(ModelTrainer.NameOf)));
        }

        text.Append(" --out ").Append(Path.GetFileName(options.OutputPath));
        return text.ToString();
    }

    private static string ShortPath(string path)
    {
        var parts = Path.GetFullPath(path).TrimEnd('/', '\\').Split('/', '\\');
        return string.Join('/', parts[Math.Max(0, parts.Length - 3)..]);
    }

    private static string Format(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private sealed record Candidate(ModelAlgorithm Algorithm, byte[] Zip, double TrainSeconds)
    {
        public EvaluationReport? Report { get; init; }

        public IReadOnlyDictionary<string, EventMetrics>? ByScenario { get; init; }

        public int RealCramps { get; init; }
    }

    /// <summary>Maps a phase's 0–1 progress onto a slice of the overall bar.</summary>
    private sealed class Scaled(IProgress<double>? inner, double offset, double scale) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(offset + (scale * Math.Clamp(value, 0, 1)));
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrampSense.Cli.Detection;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using CrampSense.Training;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense train [--engine mixed] [--data dir...] [--seed n] [--hours h] [--out out/crampsense-detector.zip]</c>:
/// simulates training recordings on the chosen engine(s) and validation recordings of other subjects on each engine,
/// adds real healthy recordings (as muscle for the artifact score) and any labelled recordings given, trains the two
/// scores (<see cref="WindowModelTraining"/>: intent from context, artifact from shape and spectrum) with each learner,
/// reports window-level AUC and balanced accuracy per validation engine, and writes the zip, <c>metrics.json</c> and
/// the table into <c>README.md</c> beside it. The scores inform; the cramp decision is the rule's, so no event-level
/// validation is run here (<c>crampsense evaluate</c> gives the whole detector's numbers).
/// </summary>
internal static class TrainCommand
{
    private const string ReportBegin = "<!-- crampsense-train:begin -->";
    private const string ReportEnd = "<!-- crampsense-train:end -->";

    /// <summary>Where <c>train</c> writes without <c>--out</c>; its folder is created.</summary>
    internal const string DefaultOutputPath = "out/crampsense-detector.zip";

    /// <summary>Where <c>train --personal</c> writes without <c>--out</c>.</summary>
    internal const string DefaultPersonalOutputPath = "out/crampsense-personal.json";

    private static readonly SimulationEngine[] ValidationEngines = [SimulationEngine.MotorUnit, SimulationEngine.Stochastic];

    internal static Command Create()
    {
        var data = new Option<string[]>("--data") { Description = "Folder(s) of labelled recordings (CSV + .truth.json sidecars) to add to training.", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated subjects and of training: the same seed gives the same model.", DefaultValueFactory = _ => 1 };
        var hours = new Option<double>("--hours") { Description = "Hours of simulated training recordings (each engine's validation set gets a quarter of that, other subjects).", DefaultValueFactory = _ => 6 };
        var engine = new Option<string>("--engine") { Description = "Engine of the training recordings: motor-unit, stochastic, or mixed (alternate). Validation always covers both; only the training engine(s) choose the learner.", DefaultValueFactory = _ => SimulateCommand.MixedEngineName };
        var real = new Option<string?>("--real") { Description = "Folder of the real EMG collection used as negatives; default ../shared/data/emg if present, else tests/data/emg (slices)." };
        var noReal = new Option<bool>("--no-real") { Description = "Do not add real recordings as negatives." };
        var trees = new Option<int>("--trees") { Description = "Boosting iterations per score.", DefaultValueFactory = _ => 60 };
        var holdOut = new Option<string?>("--hold-out") { Description = "Comma-separated scenarios to leave out of training and validation (to test generalisation to unseen activity)." };
        var algorithms = new Option<string?>("--algorithms") { Description = "Comma-separated learners to compare: fasttree, lightgbm (default both)." };
        // Experiments go to out/ (ignored by git) unless asked: the shipped model in models/ is replaced only on purpose.
        var output = new Option<string>("--out", "-o")
        {
            Description = "The model zip to write; metrics.json and README.md go beside it (models/crampsense-detector.zip replaces the shipped model).",
            DefaultValueFactory = _ => DefaultOutputPath,
        };
        var personal = new Option<bool>("--personal") { Description = "Learn the wearer's habits from their labelled clips (--data) instead: writes a personal profile (Detection:ProfilePath), checked against the base on its evaluation sets." };
        var baseModel = new Option<string?>("--base") { Description = "With --personal: the base model the clips are replayed with; default the model built into crampsense." };
        var profile = new Option<string?>("--profile") { Description = "With --personal: the wearer's calibration profile to keep in the personal profile (crampsense calibrate)." };
        var examples = new Option<int?>("--examples") { Description = "With --personal: use only the first N rejected contractions (file order)." };
        var checkHours = new Option<double>("--check-hours") { Description = "With --personal: hours of each engine's check set (the base's evaluation sets, seeds from 60000).", DefaultValueFactory = _ => 2 };
        var command = new Command("train", "Train the window model's intent and artifact scores on simulated subjects plus real negatives, compare learners by validation AUC per engine, write the best; or, with --personal, learn a wearer's habits from their clips.")
        {
            data, seed, hours, engine, real, noReal, trees, algorithms, holdOut, output, personal, baseModel, profile, examples, checkHours,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            if (parseResult.GetValue(personal))
            {
                return CliErrors.Run(configuration.Error, () =>
                {
                    var path = parseResult.GetRequiredValue(output);
                    if (path == DefaultOutputPath)
                    {
                        path = DefaultPersonalOutputPath;
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    }

                    return PersonalTraining.Run(
                        new PersonalTraining.Options
                        {
                            DataFolders = parseResult.GetValue(data) ?? [],
                            BasePath = parseResult.GetValue(baseModel),
                            ProfilePath = parseResult.GetValue(profile),
                            Examples = parseResult.GetValue(examples),
                            CheckHours = parseResult.GetValue(checkHours),
                            OutputPath = path,
                        },
                        configuration.Output);
                });
            }

            return CliErrors.Run(configuration.Error, () => Run(
                new TrainOptions
                {
                    DataFolders = parseResult.GetValue(data) ?? [],
                    Seed = parseResult.GetValue(seed),
                    Hours = parseResult.GetValue(hours),
                    Engine = SimulateCommand.ParseEngine(parseResult.GetValue(engine), allowMixed: true),
                    RealRoot = parseResult.GetValue(real),
                    UseReal = !parseResult.GetValue(noReal),
                    Trees = parseResult.GetValue(trees),
                    Learners = ParseLearners(parseResult.GetValue(algorithms)),
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

        /// <summary>Engine of the training recordings; null = mixed.</summary>
        public SimulationEngine? Engine { get; init; }

        public string? RealRoot { get; init; }

        public bool UseReal { get; init; } = true;

        public int Trees { get; init; } = 60;

        public IReadOnlyList<ScoreLearner> Learners { get; init; } = ScoreTrainer.Learners;

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

        foreach (var scenario in options.HoldOut)
        {
            if (!ScenarioCatalog.TryGet(scenario, out _))
            {
                throw new CliInputException($"--hold-out: unknown scenario '{scenario}'; see `crampsense scenarios`");
            }
        }

        var clock = Stopwatch.StartNew();
        int trainingBase = 100_000 + (options.Seed * 1_000_000);
        int validationBase = trainingBase + 500_000;
        var trainingSpecs = SimulatedSet.Training(options.Hours, trainingBase, options.HoldOut, options.Engine);

        // One validation set per engine, other subjects (seed bases 100 000 apart), whatever the training engine: the
        // engine not trained on is the leave-one-generator-out test.
        var validationSpecs = ValidationEngines.ToDictionary(
            SimulationEngines.Name,
            e => SimulatedSet.Training(Math.Max(options.Hours / 4, 0.25), validationBase + (100_000 * (int)e), options.HoldOut, e),
            StringComparer.Ordinal);
        if (trainingSpecs.Count == 0 || validationSpecs.Values.Any(v => v.Count == 0))
        {
            throw new CliInputException("--hold-out: nothing is left to train or validate on");
        }

        string? realRoot = options.UseReal ? RealRecordings.FindRoot(options.RealRoot) : null;
        var realRecordings = realRoot is null ? [] : RealRecordings.Import(realRoot);
        var labelled = options.DataFolders.SelectMany(f => Directory.EnumerateFiles(f, "*.csv", SearchOption.AllDirectories)).Order(StringComparer.Ordinal).ToArray();
        string engineName = options.Engine is { } trainingEngine ? SimulationEngines.Name(trainingEngine) : SimulateCommand.MixedEngineName;

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training ({engineName}): {trainingSpecs.Count} simulated recordings ({Hours(trainingSpecs):0.##} h, seeds from {trainingBase}); validation: {string.Join(", ", validationSpecs.Select(v => $"{v.Key} {v.Value.Count} ({Hours(v.Value):0.##} h)"))}"));
        console.WriteLine(realRoot is null ? "real negatives: none" : $"real negatives: {realRecordings.Count} recordings from {realRoot}");
        if (labelled.Length > 0)
        {
            console.WriteLine($"labelled recordings: {labelled.Length}");
        }

        var (trainingSet, validation, result) = ProgressReporter.Run("training", progress =>
        {
            double totalSeconds = Seconds(trainingSpecs) + validationSpecs.Values.Sum(Seconds);
            double done = 0;

            // Weights of the phases in the bar: collecting ~75 %, learning ~25 %.
            var set = Collect(trainingSpecs, new Scaled(progress, 0, 0.75 * Seconds(trainingSpecs) / totalSeconds));
            done += Seconds(trainingSpecs);
            AddRecordings(set, realRecordings, labelled);
            var sets = new Dictionary<string, TrainingSet>(StringComparer.Ordinal);
            foreach (var (name, specs) in validationSpecs)
            {
                sets[name] = Collect(specs, new Scaled(progress, 0.75 * done / totalSeconds, 0.75 * Seconds(specs) / totalSeconds));
                done += Seconds(specs);
            }

            string[] selectOn = options.Engine is { } e ? [SimulationEngines.Name(e)] : [.. sets.Keys];
            var trained = WindowModelTraining.Run(set, sets, selectOn, options.Learners, options.Seed, options.Trees);
            progress?.Report(1);
            return (set, sets, trained);
        });

        OutputFile.WriteBytes("--out", options.OutputPath, result.Zip);
        var chosen = CrampModel.Load(result.Zip, Path.GetFileNameWithoutExtension(options.OutputPath));
        double seconds = clock.Elapsed.TotalSeconds;
        var metrics = Metrics(options, engineName, trainingSet, validation, result, chosen.Version, realRoot, realRecordings.Count, labelled.Length, trainingSpecs, validationSpecs, seconds);
        var metricsPath = Path.Combine(outputDirectory, "metrics.json");
        File.WriteAllText(metricsPath, metrics.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        var readmePath = Path.Combine(outputDirectory, "README.md");
        WriteReport(readmePath, Report(options, engineName, trainingSet, result, chosen.Version, realRoot, realRecordings.Count, trainingSpecs, validationSpecs, seconds));

        foreach (var candidate in result.Candidates)
        {
            var quality = string.Join("  ", candidate.Validation.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key} AUC {Format(v.Value.Auc)} balanced accuracy {Format(v.Value.BalancedAccuracy)}")));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ScoreFeatures.NameOf(candidate.Trained.Kind),-8} {ScoreTrainer.NameOf(candidate.Trained.Learner),-9} {quality}  ({candidate.TrainSeconds:0.0} s to train)"));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chose intent {ScoreTrainer.NameOf(result.Intent.Trained.Learner)}, artifact {ScoreTrainer.NameOf(result.Artifact.Trained.Learner)} -> {options.OutputPath} ({chosen.Version}, {result.Zip.Length / 1024.0:0.#} KB); {metricsPath}; {readmePath}; {seconds:0} s"));
        return 0;
    }

    private static double Seconds(IReadOnlyList<SimulatedRecordingSpec> specs) => specs.Sum(s => s.Duration.TotalSeconds);

    private static double Hours(IReadOnlyList<SimulatedRecordingSpec> specs) => Seconds(specs) / 3600;

    private static IReadOnlyList<ScoreLearner> ParseLearners(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ScoreTrainer.Learners;
        }

        var list = new List<ScoreLearner>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = ScoreTrainer.Learners.Where(a => ScoreTrainer.NameOf(a) == name).ToArray();
            if (match.Length == 0)
            {
                throw new CliInputException($"--algorithms: unknown learner '{name}'; known: {string.Join(", ", ScoreTrainer.Learners.Select(ScoreTrainer.NameOf))}");
            }

            if (!list.Contains(match[0]))
            {
                list.Add(match[0]);
            }
        }

        return list;
    }

    private static TrainingSet Collect(IReadOnlyList<SimulatedRecordingSpec> specs, IProgress<double>? progress)
    {
        double total = Seconds(specs);
        double done = 0;
        var gate = new Lock();
        return TrainingSet.CollectInParallel(
            specs.Count,
            (i, part) => AddAll(RecordingSource.Simulate(specs[i]), part, specs[i].Group, new TrainingCollectorOptions { Seed = specs[i].Seed }),
            i =>
            {
                lock (gate)
                {
                    done += specs[i].Duration.TotalSeconds;
                    progress?.Report(done / total);
                }
            });
    }

    /// <summary>Real healthy recordings (<see cref="TrainingCollectorOptions.RealNegatives"/>), then the user's labelled recordings, each its own group.</summary>
    private static void AddRecordings(TrainingSet set, IReadOnlyList<(string Name, string Csv, IReadOnlyList<TruthInterval> Truth)> real, IReadOnlyList<string> labelled)
    {
        int group = -1;
        foreach (var (name, csv, truth) in real)
        {
            AddAll(RecordingSource.FromText(name, csv, truth), set, group--, TrainingCollectorOptions.RealNegatives(seed: -group));
        }

        foreach (var path in labelled)
        {
            AddAll(RecordingSource.Open(path), set, group--, TrainingCollectorOptions.Labelled);
        }
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

    private static JsonObject Metrics(
        TrainOptions options,
        string engineName,
        TrainingSet set,
        Dictionary<string, TrainingSet> validation,
        WindowModelTrainingResult result,
        string version,
        string? realRoot,
        int realCount,
        int labelledCount,
        IReadOnlyList<SimulatedRecordingSpec> training,
        IReadOnlyDictionary<string, IReadOnlyList<SimulatedRecordingSpec>> validationSpecs,
        double seconds)
    {
        JsonObject Quality(ScoreQuality q) => new()
        {
            ["auc"] = Round(q.Auc),
            ["balanced_accuracy"] = Round(q.BalancedAccuracy),
            ["positives"] = q.Positives,
            ["negatives"] = q.Negatives,
        };

        var comparison = new JsonArray();
        foreach (var candidate in result.Candidates)
        {
            var byEngine = new JsonObject();
            foreach (var (name, quality) in candidate.Validation)
            {
                byEngine[name] = Quality(quality);
            }

            comparison.Add(new JsonObject
            {
                ["score"] = ScoreFeatures.NameOf(candidate.Trained.Kind),
                ["learner"] = ScoreTrainer.NameOf(candidate.Trained.Learner),
                ["chosen"] = candidate == result.Intent || candidate == result.Artifact,
                ["train_seconds"] = Math.Round(candidate.TrainSeconds, 1),
                ["validation"] = byEngine,
            });
        }

        var scores = new JsonObject();
        foreach (var chosen in new[] { result.Intent, result.Artifact })
        {
            var kind = chosen.Trained.Kind;
            var (positive, negative) = ScoreTargets.Count(set, kind);
            scores[ScoreFeatures.NameOf(kind)] = new JsonObject
            {
                ["learner"] = ScoreTrainer.NameOf(chosen.Trained.Learner),
                ["features"] = new JsonArray(ScoreFeatures.For(kind).Select(f => (JsonNode)JsonValue.Create(f.ToString())!).ToArray()),
                ["training_positives"] = positive,
                ["training_negatives"] = negative,
            };
        }

        var validationNode = new JsonObject();
        foreach (var (name, specs) in validationSpecs)
        {
            validationNode[name] = new JsonObject
            {
                ["simulated_recordings"] = specs.Count,
                ["simulated_hours"] = Math.Round(Hours(specs), 2),
                ["first_seed"] = specs[0].Seed,
                ["windows"] = validation[name].Count,
            };
        }

        return new JsonObject
        {
            ["model_version"] = version,
            ["scores"] = scores,
            ["command"] = CommandLine(options),
            ["seed"] = options.Seed,
            ["trees_per_score"] = options.Trees,
            ["training"] = new JsonObject
            {
                ["engine"] = engineName,
                ["simulated_recordings"] = training.Count,
                ["simulated_hours"] = Math.Round(Hours(training), 2),
                ["first_seed"] = training[0].Seed,
                ["real_recordings"] = realCount,
                ["real_root"] = realRoot is null ? null : ShortPath(realRoot),
                ["labelled_recordings"] = labelledCount,
                ["windows"] = set.Count,
            },
            ["validation"] = validationNode,
            ["chosen_by"] = "mean window-level AUC on the validation set(s) of the training engine(s)",
            ["comparison"] = comparison,
            ["total_seconds"] = Math.Round(seconds, 1),
        };
    }

    private static string Report(
        TrainOptions options,
        string engineName,
        TrainingSet set,
        WindowModelTrainingResult result,
        string version,
        string? realRoot,
        int realCount,
        IReadOnlyList<SimulatedRecordingSpec> training,
        IReadOnlyDictionary<string, IReadOnlyList<SimulatedRecordingSpec>> validation,
        double seconds)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var (intentPositive, intentNegative) = ScoreTargets.Count(set, WindowScoreKind.Intent);
        var (artifactPositive, artifactNegative) = ScoreTargets.Count(set, WindowScoreKind.Artifact);
        text.AppendLine(ReportBegin);
        text.AppendLine("### Scores (written by `crampsense train`)");
        text.AppendLine();
        text.AppendLine(c, $"`{CommandLine(options)}` — training on **{engineName}**: {training.Count} simulated recordings ({Hours(training):0.##} h, seeds from {training[0].Seed}), {realCount} real recordings ({(realRoot is null ? "none" : ShortPath(realRoot))}); intent examples {intentPositive} voluntary / {intentNegative} cramp, artifact examples {artifactPositive} non-muscle / {artifactNegative} muscle; validation on other subjects of each engine ({string.Join(", ", validation.Select(v => string.Create(c, $"{v.Key} {v.Value.Count} recordings, {Hours(v.Value):0.##} h")))}); {seconds:0} s in all.");
        text.AppendLine();
        var names = validation.Keys.ToArray();
        text.AppendLine("| score | learner | " + string.Join(" | ", names.Select(n => $"AUC {n} | balanced acc. {n}")) + " | train (s) |");
        text.AppendLine("|---|---|" + string.Concat(names.Select(_ => "---|---|")) + "---|");
        foreach (var candidate in result.Candidates)
        {
            bool chosen = candidate == result.Intent || candidate == result.Artifact;
            text.Append(c, $"| {ScoreFeatures.NameOf(candidate.Trained.Kind)} | {ScoreTrainer.NameOf(candidate.Trained.Learner)}{(chosen ? " (chosen)" : string.Empty)} |");
            foreach (var name in names)
            {
                var q = candidate.Validation[name];
                text.Append(c, $" {Format(q.Auc)} | {Format(q.BalancedAccuracy)} |");
            }

            text.AppendLine(c, $" {candidate.TrainSeconds:0.0} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Model `{version}`; each score's learner chosen by mean window-level AUC on the validation set(s) of the training engine(s) only.");
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

        text.Append(c, $" --engine {(options.Engine is { } e ? SimulationEngines.Name(e) : SimulateCommand.MixedEngineName)} --seed {options.Seed} --hours {options.Hours} --trees {options.Trees}");
        if (!options.UseReal)
        {
            text.Append(" --no-real");
        }

        if (options.HoldOut.Count > 0)
        {
            text.Append(" --hold-out ").Append(string.Join(',', options.HoldOut));
        }

        if (options.Learners.Count != ScoreTrainer.Learners.Count)
        {
            text.Append(" --algorithms ").Append(string.Join(',', options.Learners.Select(ScoreTrainer.NameOf)));
        }

        text.Append(" --out ").Append(Path.GetFileName(options.OutputPath));
        return text.ToString();
    }

    private static string ShortPath(string path)
    {
        var parts = Path.GetFullPath(path).TrimEnd('/', '\\').Split('/', '\\');
        return string.Join('/', parts[Math.Max(0, parts.Length - 3)..]);
    }

    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    /// <summary>Maps a phase's 0–1 progress onto a slice of the overall bar.</summary>
    private sealed class Scaled(IProgress<double>? inner, double offset, double scale) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(offset + (scale * Math.Clamp(value, 0, 1)));
    }
}

using System.CommandLine;
using System.Globalization;
using CrampSense.Cli.Detection;
using CrampSense.Detection;
using CrampSense.Detection.Evaluation;
using CrampSense.Detection.Model;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using Spectre.Console;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense evaluate &lt;files or folders&gt; [--json out.json] [--model m.zip]</c>: replays every recording
/// through the detector and compares the cramps found with the truth sidecars: event-level recall, precision,
/// F1, false alarms per hour of non-cramp time by scenario kind, confirmation latency, onset and duration error.
/// Prints a table per file and the totals; recordings whose truth labels voluntary contractions are also checked
/// for cramps reported on contractions shorter than the minimum duration.
/// </summary>
internal static class EvaluateCommand
{
    internal static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Recordings (CSV with .truth.json sidecars) or folders of them.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Also write the full report (per file, totals, by scenario kind) as JSON." };
        var model = new Option<string?>("--model", "-m") { Description = "Model zip; default the model built into crampsense." };
        var profile = new Option<string?>("--profile", "-p") { Description = "Personal calibration profile to run the detector with." };
        var fullScale = FullScaleOption.Create();
        var command = new Command("evaluate", "Event-level evaluation of the detector on recordings with ground truth.")
        {
            paths, json, model, profile, fullScale,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                parseResult.GetRequiredValue(paths),
                parseResult.GetValue(json),
                parseResult.GetValue(model),
                parseResult.GetValue(profile),
                configuration.Output,
                FullScaleOption.Parse(parseResult.GetValue(fullScale))));
        });
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, string? jsonPath, string? modelPath, string? profilePath, TextWriter console, FullScaleRange? fullScale = null)
    {
        var files = ExpandPaths(paths);
        var profile = ModelFiles.LoadProfile(profilePath);
        var modelBytes = ModelFiles.ReadBytes(modelPath);
        // Validates the bytes once, with a clear message, before the workers start (the file is read only once).
        _ = ModelFiles.Parse(modelBytes, modelPath);

        var options = new CrampDetectorOptions { Profile = profile, Features = new FeatureExtractorOptions { FullScale = fullScale } };
        var runs = new DetectorRunner.Result[files.Count];
        long totalBytes = files.Sum(f => new FileInfo(f).Length);
        ProgressReporter.Run($"evaluating {files.Count} recordings", progress =>
        {
            long doneBytes = 0;
            var gate = new Lock();
            // One model per thread: a model reuses its input buffers.
            using var local = new ThreadLocal<CrampModel>(() => CrampModel.Load(modelBytes, modelPath is null ? null : Path.GetFileNameWithoutExtension(modelPath)));
            try
            {
                Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    runs[i] = DetectorRunner.Run(RecordingSource.Open(files[i]), local.Value!, options);
                    lock (gate)
                    {
                        doneBytes += new FileInfo(files[i]).Length;
                        progress?.Report((double)doneBytes / Math.Max(1, totalBytes));
                    }
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // Report the first bad input as the one-line error it is, not as an aggregate.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }

            return 0;
        });

        var inputs = runs.Select((run, i) =>
        {
            var input = DetectorRunner.ToEvaluationInput(run);
            return new RecordingEvaluationInput(Path.GetRelativePath(Directory.GetCurrentDirectory(), files[i]), input.Scenario, input.DurationSeconds, input.Truth, input.Detections);
        }).ToArray();
        var report = EventEvaluation.Evaluate(inputs);
        Print(report, runs, inputs, console);
        if (jsonPath is not null)
        {
            OutputFile.WriteText("--json", jsonPath, text => text.Write(report.ToJson() + "\n"));
            console.WriteLine($"report -> {jsonPath}");
        }

        return 0;
    }

    internal static IReadOnlyList<string> ExpandPaths(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new CliInputException($"{path}: no such file or folder");
            }
        }

        if (files.Count == 0)
        {
            throw new CliInputException($"no recordings (*.csv) found in {string.Join(", ", paths)}");
        }

        return files;
    }

    private static void Print(EvaluationReport report, DetectorRunner.Result[] runs, RecordingEvaluationInput[] inputs, TextWriter console)
    {
        var ansi = PlainConsole.Create(console);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "file", "kind", "hours", "cramps", "found", "matched", "false alarms", "FA/h", "latency med (s)", "onset err med (s)", "duration err med (s)", "warnings", "faults" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        for (int i = 0; i < report.Files.Count; i++)
        {
            var file = report.Files[i];
            AddRow(table, file.Name, KindName(file.Scenario), file.DurationSeconds / 3600, file.Metrics, runs[i].Events);
        }

        table.AddEmptyRow();
        AddRow(table, "TOTAL", string.Empty, report.Files.Sum(f => f.DurationSeconds) / 3600, report.Totals, runs.SelectMany(r => r.Events).ToArray());
        ansi.Write(table);

        var t = report.Totals;
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(c, $"recall {F(t.Recall)}  precision {F(t.Precision)}  F1 {F(t.F1)}  ({t.Matched} of {t.TrueCramps} cramps found, {t.FalseAlarms} false alarms in {t.NonCrampHours:0.##} h of non-cramp time)"));
        console.WriteLine(string.Create(c, $"confirmation latency median {F(t.LatencyMedianSeconds)} s, p95 {F(t.LatencyP95Seconds)} s; onset error median {F(t.OnsetErrorMedianSeconds)} s (|error| median {F(t.OnsetAbsoluteErrorMedianSeconds)} s, p90 {F(t.OnsetAbsoluteErrorP90Seconds)} s); duration error median {F(t.DurationErrorMedianSeconds)} s"));
        foreach (var kind in report.ByScenario)
        {
            console.WriteLine(string.Create(c, $"false alarms {KindName(kind.Scenario)}: {kind.FalseAlarms} in {kind.NonCrampHours:0.##} h = {F(kind.FalseAlarmsPerHour)}/h ({kind.Files} files)"));
        }

        var minimum = new CrampEventTrackerOptions().MinimumCrampSeconds;
        int violations = 0;
        foreach (var input in inputs)
        {
            foreach (var violation in EventEvaluation.FindCrampsOnShortContractions(input.Truth, input.Detections, minimum))
            {
                violations++;
                console.WriteLine(string.Create(c, $"{input.Name}: cramp {violation.Cramp.Id} on a {violation.Contraction.DurationSeconds:0.##} s contraction at {violation.Contraction.StartSeconds:0.##} s (shorter than the {minimum} s minimum)"));
            }
        }

        if (inputs.Any(i => i.Truth.Any(t => t.Kind == TruthKind.Voluntary)))
        {
            console.WriteLine(violations == 0
                ? string.Create(c, $"no cramp on any labelled contraction shorter than {minimum} s")
                : string.Create(c, $"{violations} cramps on contractions shorter than {minimum} s"));
        }
    }

    private static void AddRow(Table table, string name, string kind, double hours, EventMetrics m, IReadOnlyList<CrampEvent> events)
    {
        var c = CultureInfo.InvariantCulture;
        table.AddRow(
            Markup.Escape(name),
            kind,
            hours.ToString("0.##", c),
            m.TrueCramps.ToString(c),
            m.DetectedCramps.ToString(c),
            m.Matched.ToString(c),
            m.FalseAlarms.ToString(c),
            F(m.FalseAlarmsPerHour),
            F(m.LatencyMedianSeconds),
            F(m.OnsetErrorMedianSeconds),
            F(m.DurationErrorMedianSeconds),
            events.Count(e => e.Type == CrampEventKind.CrampWarning).ToString(c),
            events.Count(e => e.Type == CrampEventKind.SignalFault).ToString(c));
    }

    private static string KindName(ScenarioKind kind) => kind switch
    {
        ScenarioKind.RestSleep => "rest/sleep",
        ScenarioKind.Exercise => "exercise",
        ScenarioKind.VoluntaryHolds => "voluntary holds",
        _ => kind.ToString(),
    };

    private static string F(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";
}

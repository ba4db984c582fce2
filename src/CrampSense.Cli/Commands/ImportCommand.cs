using System.CommandLine;
using System.Globalization;
using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense import &lt;format&gt; &lt;src&gt; --out rec.csv</c>: converts a real EMG file into a v1 recording plus,
/// where the source has labels, its <c>.truth.json</c> sidecar (docs/recording-format.md §7).
/// </summary>
internal static class ImportCommand
{
    /// <summary>Sources larger than this get a progress bar on an interactive terminal.</summary>
    private const long ProgressThresholdBytes = 1 << 20;

    internal static Command Create()
    {
        var format = new Argument<string>("format")
        {
            Description = "Source format: " + string.Join("; ", RecordingImporters.All.Select(i => $"{i.Format} = {i.Description}")),
        };
        format.AcceptOnlyFromAmong([.. RecordingImporters.All.Select(i => i.Format)]);
        var source = new Argument<string>("src") { Description = "The source file." };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The recording to write (CSV); labels go to <name>.truth.json beside it.",
            Required = true,
        };
        var site = new Option<string?>("--site")
        {
            Description = "Site name for single-channel sources (plux, physionet, biosppy), e.g. calf.",
        };

        var command = new Command("import", "Convert a real EMG recording into the CrampSense recording format.")
        {
            format,
            source,
            output,
            site,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                RecordingImporters.Find(parseResult.GetRequiredValue(format))!,
                parseResult.GetRequiredValue(source),
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(site),
                configuration.Output));
        });
        return command;
    }

    /// <summary>Runs one import; writes to a temporary file first so a failed import leaves no partial output.</summary>
    internal static int Run(RecordingImporter importer, string sourcePath, string outputPath, string? site, TextWriter console)
    {
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"{sourcePath}: file not found", sourcePath);
        }

        var request = new ImportRequest(sourcePath, site);
        var result = OutputFile.WriteText("--out", outputPath, writer => new FileInfo(sourcePath).Length < ProgressThresholdBytes
            ? importer.Import(request, writer, null)
            : ProgressReporter.Run($"importing {Path.GetFileName(sourcePath)}", progress => importer.Import(request, writer, progress)));

        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{Path.GetFileName(sourcePath)} -> {outputPath}: {result.Rows} rows, {result.Layout.Sites.Count} site(s) ({string.Join(", ", result.Layout.Sites)}), clock {result.Layout.SampleRateHz} Hz, effective {result.Layout.Metadata["effective_rate_hz"]} Hz");
        console.WriteLine(summary);
        var sidecar = GroundTruth.SidecarPathFor(outputPath);
        if (result.Truth is { Intervals.Count: > 0 } truth)
        {
            OutputFile.WriteText("--out", sidecar, truth.Write);

            console.WriteLine($"truth: {truth.Intervals.Count} intervals -> {sidecar}");
        }
        else if (File.Exists(sidecar))
        {
            // A sidecar left by an earlier run would describe another recording: remove it.
            File.Delete(sidecar);
            console.WriteLine($"truth: the source has no labels; removed the old {sidecar}");
        }

        console.WriteLine($"scaling: {result.Layout.Metadata["scaling"]}");
        foreach (var note in result.Notes)
        {
            console.WriteLine($"note: {note}");
        }

        return 0;
    }
}

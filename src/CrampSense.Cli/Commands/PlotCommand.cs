using System.CommandLine;
using System.Globalization;
using System.Text;
using CrampSense.Cli.Plotting;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense plot rec.csv --out rec.png [--events events.jsonl]</c>: one PNG with a panel per site (raw EMG,
/// its envelope, truth intervals shaded, detected events marked), skin temperature and motion underneath, and a
/// close-up of each cramp (onset − 30 s to end + 30 s). The recording streams through once, reduced to min/max
/// buckets, so a 10 h file plots in bounded memory.
/// </summary>
internal static class PlotCommand
{
    internal static Command Create()
    {
        var recording = new Argument<string>("recording") { Description = "The recording (CSV, docs/recording-format.md)." };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The PNG to write: one figure, a panel per site, then a close-up of each cramp (onset − 30 s to end + 30 s).",
            Required = true,
        };
        var events = new Option<string?>("--events") { Description = "Detector events as JSON lines (crampsense replay output) to mark." };
        var truth = new Option<string?>("--truth") { Description = "Ground-truth sidecar; default <name>.truth.json beside the recording when it exists." };
        var skipBadRows = new Option<bool>("--skip-bad-rows") { Description = "Skip and count malformed rows instead of stopping at the first." };

        var command = new Command("plot", "Plot a recording: raw EMG, envelope, truth, events, temperature and motion per site.")
        {
            recording,
            output,
            events,
            truth,
            skipBadRows,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                parseResult.GetRequiredValue(recording),
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(events),
                parseResult.GetValue(truth),
                parseResult.GetValue(skipBadRows),
                configuration.Output));
        });
        return command;
    }

    internal static int Run(string recordingPath, string outputPath, string? eventsPath, string? truthPath, bool skipBadRows, TextWriter console) =>
        Run(recordingPath, "--out", outputPath, eventsPath is null ? [] : ReadEvents(eventsPath), truthPath, skipBadRows, console);

    /// <summary>Plots <paramref name="recordingPath"/> with <paramref name="markers"/> to <paramref name="outputPath"/>, given with <paramref name="outputOption"/>.</summary>
    internal static int Run(string recordingPath, string outputOption, string outputPath, IReadOnlyList<EventMarker> markers, string? truthPath, bool skipBadRows, TextWriter console)
    {
        OutputFile.EnsureWritable(outputOption, outputPath);
        var truth = ReadTruth(recordingPath, truthPath);

        using var stream = OpenRead(recordingPath);
        using var reader = new RecordingReader(stream, recordingPath, new RecordingReaderOptions { SkipBadRows = skipBadRows });
        var layout = reader.Layout;
        var zooms = ZoomWindow.From(markers, truth);
        var data = new RecordingPlotData(layout, zooms);
        var channels = layout.Sites.Select(_ => new EmgChannelPipeline(layout.SampleRateHz)).ToArray();
        var envelopes = new float[channels.Length];
        var frame = layout.CreateFrame();

        ProgressReporter.Run($"reading {Path.GetFileName(recordingPath)}", progress =>
        {
            var length = stream.Length;
            while (reader.TryReadFrame(frame))
            {
                for (var i = 0; i < channels.Length; i++)
                {
                    envelopes[i] = channels[i].Process(frame.EmgMillivolts[i], out _);
                }

                data.Add(frame, envelopes);
                if (progress is not null && (reader.RowsRead & 0xFFFF) == 0 && length > 0)
                {
                    progress.Report((double)stream.Position / length);
                }
            }

            return 0;
        });

        if (reader.RowsRead == 0)
        {
            throw new CliInputException($"{recordingPath}: the recording has no rows to plot");
        }

        RecordingPlotter.Save(data, truth, markers, Path.GetFileName(recordingPath), outputOption, outputPath);
        var left = zooms.Count(z => layout.Sites.Contains(z.Site, StringComparer.Ordinal)) - data.Zooms.Count;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"plot -> {outputPath} ({layout.Sites.Count} site panel(s), {data.Zooms.Count} cramp close-up(s){(left > 0 ? $"; {left} more cramps not drawn" : "")})"));

        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{reader.RowsRead} rows, {data.EndSeconds:0.###} s, {truth.Count} truth intervals, {markers.Count} event markers"));
        if (reader.SkippedRows > 0)
        {
            console.WriteLine($"skipped {reader.SkippedRows} bad rows; first: {reader.SkipReasons[0]}");
        }

        return 0;
    }

    private static IReadOnlyList<TruthInterval> ReadTruth(string recordingPath, string? truthPath)
    {
        var path = truthPath ?? GroundTruth.SidecarPathFor(recordingPath);
        if (truthPath is null && !File.Exists(path))
        {
            return [];
        }

        using var reader = new StreamReader(OpenRead(path), Encoding.UTF8);
        return GroundTruth.Read(reader, path).Intervals;
    }

    private static List<EventMarker> ReadEvents(string path)
    {
        using var reader = new StreamReader(OpenRead(path), Encoding.UTF8);
        try
        {
            return EventMarker.ReadJsonLines(reader, path);
        }
        catch (FormatException e)
        {
            throw new CliInputException("--events: " + e.Message, e);
        }
    }

    private static FileStream OpenRead(string path) => File.Exists(path)
        ? RecordingReader.OpenFile(path)
        : throw new FileNotFoundException($"{path}: file not found", path);
}

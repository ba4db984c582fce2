using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Spectre.Console;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense clips list|plot|relabel|export</c>: the event clips a wearable wrote (docs/recording-format.md §8),
/// copied from the device's clip folder. <c>list DIR [--json]</c> shows each clip's span, sites, label and trigger;
/// <c>plot CLIP -o out.png</c> draws it as <c>crampsense plot</c> does (the labelled event gets a close-up);
/// <c>relabel CLIP --label cramp|voluntary|artifact [--site S]</c> rewrites its sidecar through the one atomic sidecar
/// writer (<see cref="ClipFiles.WriteLabel"/>); <c>export DIR -o OUT</c> writes the answered clips as recordings with
/// plain truth sidecars, the input <c>train --data</c> and <c>evaluate</c> read (a rejected clip's event becomes
/// <c>voluntary</c>: <see cref="ClipLabelling.TrainingIntervals"/>).
/// </summary>
internal static class ClipsCommand
{
    internal static Command Create()
    {
        var command = new Command("clips", "List, plot, relabel and export the event clips a wearable wrote (its clip folder, copied off the device).");
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(PlotCommand());
        command.Subcommands.Add(RelabelCommand());
        command.Subcommands.Add(ExportCommand());
        return command;
    }

    private static Command ListCommand()
    {
        var folder = new Argument<string>("folder") { Description = "A clip folder (<name>.csv beside <name>.truth.json)." };
        var json = new Option<bool>("--json") { Description = "Print the clips as a JSON array instead of a table." };
        var command = new Command("list", "List the clips in a folder: span, sites, label, status and trigger.") { folder, json };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => List(parseResult.GetRequiredValue(folder), parseResult.GetValue(json), configuration.Output, configuration.Error));
        });
        return command;
    }

    private static Command PlotCommand()
    {
        var clip = new Argument<string>("clip") { Description = "The clip's recording (.csv) or sidecar (.truth.json)." };
        var output = new Option<string>("--out", "-o") { Description = "The PNG to write (a panel per site and a close-up of the labelled event).", Required = true };
        var command = new Command("plot", "Plot a clip with its label, as crampsense plot does.") { clip, output };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () =>
            {
                var entry = ClipFiles.Read(parseResult.GetRequiredValue(clip));
                return Commands.PlotCommand.Run(entry.RecordingPath, "--out", parseResult.GetRequiredValue(output), [], entry.SidecarPath, skipBadRows: false, configuration.Output);
            });
        });
        return command;
    }

    private static Command RelabelCommand()
    {
        var clip = new Argument<string>("clip") { Description = "The clip's recording (.csv) or sidecar (.truth.json)." };
        var label = new Option<string>("--label") { Description = "What the event was: cramp, voluntary or artifact.", Required = true };
        var site = new Option<string?>("--site") { Description = "The site it was on (one of the clip's EMG sites); default the event's own site." };
        var command = new Command("relabel", "Set what a clip's event was (status relabelled); the sidecar is replaced atomically.") { clip, label, site };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Relabel(parseResult.GetRequiredValue(clip), parseResult.GetRequiredValue(label), parseResult.GetValue(site), configuration.Output));
        });
        return command;
    }

    private static Command ExportCommand()
    {
        var folder = new Argument<string>("folder") { Description = "A clip folder." };
        var output = new Option<string>("--out", "-o") { Description = "The folder to write (created if missing): <name>.csv and <name>.truth.json per clip.", Required = true };
        var unconfirmed = new Option<bool>("--include-unconfirmed") { Description = "Also export clips nobody answered, labelled as the detector guessed (by default they are left out: a guess is no truth)." };
        var command = new Command("export", "Export the answered clips as labelled recordings for crampsense train --data and crampsense evaluate.") { folder, output, unconfirmed };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Export(parseResult.GetRequiredValue(folder), parseResult.GetRequiredValue(output), parseResult.GetValue(unconfirmed), configuration.Output, configuration.Error));
        });
        return command;
    }

    /// <summary>One clip as listed: its entry, sites and length.</summary>
    internal sealed record Listed(ClipFiles.Entry Entry, IReadOnlyList<string> Sites, double DurationSeconds);

    internal static int List(string folder, bool json, TextWriter console, TextWriter error)
    {
        var (clips, problems) = ScanExisting(folder);
        var listed = clips.Select(Describe).ToArray();
        if (json)
        {
            console.WriteLine(ToJson(listed));
        }
        else
        {
            PrintTable(listed, console);
            console.WriteLine($"{listed.Length} clip(s) in {folder}");
        }

        WriteProblems(problems, error);
        return 0;
    }

    internal static int Relabel(string clip, string labelName, string? site, TextWriter console)
    {
        var kind = ParseLabel(labelName);
        var entry = ClipFiles.Read(clip);
        if (site is not null)
        {
            var sites = ReadLayout(entry.RecordingPath).Sites;
            if (!sites.Contains(site, StringComparer.Ordinal))
            {
                throw new CliInputException($"--site: '{site}' is not a site of {entry.RecordingPath} (its sites: {string.Join(", ", sites)})");
            }
        }

        ClipLabel relabelled;
        try
        {
            relabelled = ClipLabelling.Relabel(entry.Label, kind, site);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"{entry.SidecarPath} intervals: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }

        ClipFiles.WriteLabel(entry.SidecarPath, relabelled);
        console.WriteLine($"{entry.SidecarPath}: {Describe(relabelled)} ({ClipLabel.StatusName(relabelled.Status)})");
        return 0;
    }

    internal static int Export(string folder, string output, bool includeUnconfirmed, TextWriter console, TextWriter error)
    {
        var (clips, problems) = ScanExisting(folder);
        if (Path.GetFullPath(folder).TrimEnd('/') == Path.GetFullPath(output).TrimEnd('/'))
        {
            throw new CliInputException($"--out: '{output}' is the clip folder itself; give another folder");
        }

        if (File.Exists(output))
        {
            throw new CliInputException($"--out: '{output}' is a file, not a folder");
        }

        Directory.CreateDirectory(output);
        int exported = 0, skipped = 0;
        foreach (var clip in clips)
        {
            if (!includeUnconfirmed && !ClipLabelling.IsAnswered(clip.Label))
            {
                skipped++;
                continue;
            }

            var name = Path.GetFileName(clip.RecordingPath);
            var recording = Path.Combine(output, name);
            var truth = new GroundTruth(ClipLabelling.TrainingIntervals(clip.Label));

            // Sidecar first, recording last (as the device writes clips): a reader that finds the recording finds its truth.
            OutputFile.WriteText("--out", GroundTruth.SidecarPathFor(recording), truth.Write);
            OutputFile.WriteBytes("--out", recording, File.ReadAllBytes(clip.RecordingPath));
            exported++;
        }

        console.WriteLine($"exported {exported} clip(s) to {output}{(skipped > 0 ? $"; left out {skipped} unconfirmed (--include-unconfirmed to add them)" : string.Empty)}");
        WriteProblems(problems, error);
        return 0;
    }

    private static (IReadOnlyList<ClipFiles.Entry> Clips, IReadOnlyList<ClipFiles.Problem> Problems) ScanExisting(string folder) =>
        Directory.Exists(folder)
            ? ClipFiles.Scan(folder)
            : throw new CliInputException(File.Exists(folder) ? $"{folder}: is a file; give the clip folder" : $"{folder}: folder not found");

    private static void WriteProblems(IReadOnlyList<ClipFiles.Problem> problems, TextWriter error)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"warning: {problem.Path}: not a clip: {problem.Reason}");
        }
    }

    private static TruthKind ParseLabel(string name)
    {
        foreach (var kind in ClipLabelling.LabelKinds)
        {
            if (GroundTruth.KindName(kind) == name)
            {
                return kind;
            }
        }

        throw new CliInputException($"--label: '{name}' is not one of {string.Join(", ", ClipLabelling.LabelKinds.Select(GroundTruth.KindName))}");
    }

    private static Listed Describe(ClipFiles.Entry entry)
    {
        var layout = ReadLayout(entry.RecordingPath);
        return new Listed(entry, layout.Sites, LastRowSeconds(entry.RecordingPath));
    }

    private static RecordingLayout ReadLayout(string path)
    {
        using var stream = RecordingReader.OpenFile(path);
        using var reader = new RecordingReader(stream, path);
        return reader.Layout;
    }

    /// <summary>The t_s of the last whole row, from the file's tail (a clip has ~10^5 rows; reading them all to list a folder would be slow).</summary>
    private static double LastRowSeconds(string path)
    {
        using var stream = RecordingReader.OpenFile(path);
        var tail = (int)Math.Min(stream.Length, 4096);
        stream.Seek(-tail, SeekOrigin.End);
        var buffer = new byte[tail];
        stream.ReadExactly(buffer);
        var lines = Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var cell = lines[i].Split(',', 2)[0];
            if (lines[i].Contains(',', StringComparison.Ordinal) && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return 0;
    }

    private static string Describe(ClipLabel label) =>
        string.Join("; ", label.Intervals.Select(i => string.Create(CultureInfo.InvariantCulture, $"{GroundTruth.KindName(i.Kind)} {i.Site} {i.StartSeconds:0.###}–{i.EndSeconds:0.###} s")));

    private static void PrintTable(IReadOnlyList<Listed> clips, TextWriter console)
    {
        var ansi = PlainConsole.Create(console);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "clip", "recorded (UTC)", "span in session (s)", "length (s)", "sites", "label", "status", "trigger", "event" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        var c = CultureInfo.InvariantCulture;
        foreach (var clip in clips)
        {
            var label = clip.Entry.Label;
            table.AddRow(
                Markup.Escape(Path.GetFileNameWithoutExtension(clip.Entry.RecordingPath)),
                label.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c),
                string.Create(c, $"{label.SourceStartSeconds:0.###}–{label.SourceStartSeconds + clip.DurationSeconds:0.###}"),
                clip.DurationSeconds.ToString("0.###", c),
                Markup.Escape(string.Join(", ", clip.Sites)),
                Markup.Escape(Describe(label)),
                ClipLabel.StatusName(label.Status),
                Markup.Escape(label.Trigger),
                Markup.Escape(label.EventId));
        }

        ansi.Write(table);
    }

    private static string ToJson(IReadOnlyList<Listed> clips)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var clip in clips)
            {
                var label = clip.Entry.Label;
                json.WriteStartObject();
                json.WriteString("recording", clip.Entry.RecordingPath);
                json.WriteString("sidecar", clip.Entry.SidecarPath);
                json.WriteString("recorded_at", label.RecordedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                json.WriteNumber("source_start_s", label.SourceStartSeconds);
                json.WriteNumber("duration_s", clip.DurationSeconds);
                json.WriteStartArray("sites");
                foreach (var site in clip.Sites)
                {
                    json.WriteStringValue(site);
                }

                json.WriteEndArray();
                json.WriteStartArray("intervals");
                foreach (var interval in label.Intervals)
                {
                    GroundTruth.WriteInterval(json, interval);
                }

                json.WriteEndArray();
                json.WriteString("status", ClipLabel.StatusName(label.Status));
                json.WriteString("origin", label.Origin);
                json.WriteString("trigger", label.Trigger);
                json.WriteString("event_id", label.EventId);
                json.WriteString("device", label.Device);
                json.WriteNumber("bytes", clip.Entry.Bytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

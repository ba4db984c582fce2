using System.Text.RegularExpressions;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// UCI "EMG Dataset in Lower Limb" (Biometrics DataLOG, 1000 Hz): a 'File Name:' line, five 'Channel N:'
/// lines, a blank line, then tab-separated RF, BF, VM, ST in mV and the knee angle FX in degrees
/// (../shared/data/emg/uci-emg-lower-limb/README.md).
/// </summary>
/// <remarks>
/// The knee angle has no column in recording format v1, so it is dropped; its range is kept in the metadata.
/// The source has no labels (movement phase could be derived from the angle, which is not done here).
/// </remarks>
internal sealed partial class UciLowerLimbImporter : RecordingImporter
{
    /// <summary>Biometrics DataLOG MWX8 sample rate (README: "14-bit, 1000 Hz").</summary>
    public const double SampleRateHz = 1000;

    /// <summary>Column order of the source (README "Columns"), as site names.</summary>
    public static readonly IReadOnlyList<string> Sites = ["rectus_femoris", "biceps_femoris", "vastus_medialis", "semitendinosus"];

    private const string Columns = "RF BF VM ST FX";
    private static readonly string[] SourceColumns = ["RF", "BF", "VM", "ST", "FX"];

    public override string Format => "uci-lower-limb";

    public override string Description => "UCI 'EMG dataset in Lower Limb' *.txt (4 thigh muscles in mV plus knee angle, 1000 Hz)";

    public override ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        RejectSiteOption(request);

        // Two passes: the metadata (angle range, sample count check) must be complete before the header is
        // written, and the file is streamed rather than held.
        string fileName;
        string[] channelNames;
        long declaredSamples;
        long rows = 0, emptyRows = 0;
        double angleMin = double.PositiveInfinity, angleMax = double.NegativeInfinity;
        Span<float> emg = stackalloc float[4];
        using (var lines = new SourceLines(request.SourcePath, progress is null ? null : new ProgressSlice(progress, 0, 0.5)))
        {
            (fileName, channelNames, declaredSamples) = ReadHeader(lines);
            while (ReadRow(lines, emg, out var angle, ref emptyRows))
            {
                rows++;
                angleMin = Math.Min(angleMin, angle);
                angleMax = Math.Max(angleMax, angle);
            }

            if (rows == 0)
            {
                throw lines.ErrorWithoutLine("the file has a header but no data rows");
            }
        }

        var notes = new List<string>
        {
            "knee angle (FX, deg) dropped: recording format v1 has no angle column; its range is in knee_angle_deg",
            $"source channels {string.Join(", ", channelNames.Take(4).Select(n => $"'{n}'"))} mapped in column order to {string.Join(", ", Sites)}",
        };
        if (declaredSamples != rows)
        {
            notes.Add($"the header declares {declaredSamples} samples per channel, the file has {rows} rows (truncated copy?)");
        }

        if (emptyRows > 1)
        {
            notes.Add($"{emptyRows} empty rows skipped");
        }

        var metadata = CommonMetadata(
            request.SourcePath,
            SampleRateHz,
            "none: the source is in mV at the electrodes (Biometrics DataLOG, no filters)",
            "CC BY 4.0 (UCI Machine Learning Repository)",
            "EMG dataset in Lower Limb, UCI Machine Learning Repository (BASAN / Universidad Militar Nueva Granada; TecnoParque SENA), 2014");
        metadata["source_file_name"] = fileName["File Name:".Length..].Trim();
        metadata["knee_angle_deg"] = FormattableString.Invariant($"min {angleMin} max {angleMax} (dropped; sign and offset differ between subjects; the N files record it at 50 Hz, held to 1 kHz)");
        metadata["note"] = string.Join("; ", notes);
        var task = TaskFromFileName().Match(Path.GetFileNameWithoutExtension(request.SourcePath));
        if (task.Success)
        {
            metadata["group"] = task.Groups["group"].Value == "N" ? "normal" : "knee abnormality";
            metadata["task"] = task.Groups["task"].Value switch
            {
                "sen" => "sitting, repeated knee extension",
                "pie" => "standing, repeated knee flexion",
                _ => "gait",
            };
        }

        var layout = new RecordingLayout(SampleRateHz, Sites, hasSkinTemperature: false, hasAcceleration: false, metadata);
        var writer = new RecordingWriter(output, layout);
        var frame = layout.CreateFrame();
        using (var lines = new SourceLines(request.SourcePath, progress is null ? null : new ProgressSlice(progress, 0.5, 0.5)))
        {
            ReadHeader(lines);
            var n = 0L;
            var skipped = 0L;
            while (ReadRow(lines, frame.EmgMillivolts, out _, ref skipped))
            {
                frame.TimeSeconds = n++ / SampleRateHz;
                writer.Write(frame);
            }
        }

        return new ImportResult(layout, writer.RowsWritten, null, notes);
    }

    private static (string FileName, string[] ChannelNames, long DeclaredSamples) ReadHeader(SourceLines lines)
    {
        var fileName = lines.ReadLine() ?? throw lines.ErrorWithoutLine("the file is empty: expected a 'File Name:' line");
        if (!fileName.StartsWith("File Name:", StringComparison.Ordinal))
        {
            throw lines.Error(null, $"expected 'File Name: ...' (UCI lower-limb header), found '{SourceLines.Shorten(fileName)}' (is this the right format?)");
        }

        var channelNames = new string[5];
        long declaredSamples = 0;
        for (var i = 0; i < 5; i++)
        {
            var line = lines.ReadLine() ?? throw lines.ErrorWithoutLine($"the header ends after {lines.LineNumber} lines: expected 5 'Channel N:' lines");
            var match = ChannelLine().Match(line);
            var unit = i < 4 ? "mV" : "deg";
            if (!match.Success || match.Groups["unit"].Value != unit)
            {
                throw lines.Error(null, $"expected a header line \"Channel N: 'name', <count> values, engineering units: {unit}, ...\", found '{SourceLines.Shorten(line)}'");
            }

            channelNames[i] = match.Groups["name"].Value;
            if (i == 0)
            {
                declaredSamples = lines.ParseInteger(match.Groups["count"].Value, "Channel 1 values");
            }
        }

        var blank = lines.ReadLine();
        if (blank is null || !string.IsNullOrWhiteSpace(blank))
        {
            throw lines.Error(null, "expected a blank line after the channel lines");
        }

        return (fileName, channelNames, declaredSamples);
    }

    /// <summary>Reads the next data row; rows of empty cells (the source's last line is tabs only) are skipped and counted.</summary>
    private static bool ReadRow(SourceLines lines, Span<float> emg, out double angle, ref long emptyRows)
    {
        Span<Range> cells = stackalloc Range[5];
        while (lines.ReadLine() is { } line)
        {
            if (line.AsSpan().Trim().IsEmpty)
            {
                emptyRows++;
                continue;
            }

            lines.Split(line, '\t', cells, Columns);
            var span = line.AsSpan();
            for (var c = 0; c < 4; c++)
            {
                emg[c] = lines.ParseSingle(span[cells[c]], SourceColumns[c]);
            }

            angle = lines.ParseDouble(span[cells[4]], SourceColumns[4]);
            return true;
        }

        angle = 0;
        return false;
    }

    [GeneratedRegex(@"^Channel \d+: '(?<name>[^']*)', (?<count>\d+) values, engineering units: (?<unit>[A-Za-z]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelLine();

    [GeneratedRegex(@"^\d+(?<group>[NA])(?<task>sen|pie|mar)$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskFromFileName();
}

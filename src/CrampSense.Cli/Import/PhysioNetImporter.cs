using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// PhysioNet "Examples of Electromyograms" (emgdb) as CSV: <c>sample,time_s,emg_mV</c>, needle EMG from the
/// tibialis anterior at 4000 Hz (../shared/data/emg/physionet-emgdb/README.md). When the WFDB header
/// <c>&lt;name&gt;.hea</c> lies beside the CSV, its sample rate and subject comments are used.
/// </summary>
internal sealed class PhysioNetImporter : RecordingImporter
{
    /// <summary>emgdb sample rate (README; .hea line 1 field 3).</summary>
    public const double DefaultSampleRateHz = 4000;

    private static readonly string[] Header = ["sample", "time_s", "emg_mV"];
    private static readonly string HeaderText = string.Join(',', Header);

    public override string Format => "physionet";

    public override string Description => "PhysioNet emgdb emg_*.csv (sample,time_s,emg_mV; needle EMG, tibialis anterior, 4000 Hz; uses the .hea beside it)";

    public override ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var site = SiteOrDefault(request, "tibialis_anterior");
        var notes = new List<string> { "concentric NEEDLE EMG, not surface EMG: amplitudes and spectrum are not representative of sEMG" };
        var (sampleRate, subject) = ReadWfdbHeader(Path.ChangeExtension(request.SourcePath, ".hea"), notes);

        var metadata = CommonMetadata(
            request.SourcePath,
            sampleRate,
            "none: the source is in mV (WFDB gain 10000 ADU/mV, resolution 0.0001 mV)",
            "ODC-By 1.0 (PhysioNet); attribution required",
            "Goldberger AL et al., PhysioBank, PhysioToolkit, and PhysioNet, Circulation 101(23):e215-e220, 2000; 'Examples of Electromyograms' (emgdb), PhysioNet");
        metadata["electrode"] = "25 mm concentric needle, tibialis anterior; task: gentle dorsiflexion against resistance, then relax";
        if (subject is not null)
        {
            metadata["subject"] = subject;
        }

        metadata["note"] = string.Join("; ", notes);
        var layout = new RecordingLayout(sampleRate, [site], hasSkinTemperature: false, hasAcceleration: false, metadata);
        var writer = new RecordingWriter(output, layout);
        var frame = layout.CreateFrame();
        using var lines = new SourceLines(request.SourcePath, progress);
        lines.ExpectHeader(Header, "PhysioNet emgdb CSV");
        Span<Range> cells = stackalloc Range[Header.Length];
        long? previousSample = null;
        while (lines.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            lines.Split(line, ',', cells, HeaderText);
            WriteCountedRow(lines, line, cells, 2, sampleRate, frame, writer, ref previousSample);
        }

        if (previousSample is null)
        {
            throw lines.ErrorWithoutLine("the file has a header but no data rows");
        }

        return new ImportResult(layout, writer.RowsWritten, null, notes);
    }

    /// <summary>
    /// Reads the WFDB record line (<c>name nsig fs nsamp</c>) and the '#' comments from the header beside the
    /// CSV, if there is one (PhysioNet WFDB header format: https://physionet.org/physiotools/wag/header-5.htm).
    /// </summary>
    private static (double SampleRateHz, string? Subject) ReadWfdbHeader(string path, List<string> notes)
    {
        if (!File.Exists(path))
        {
            notes.Add($"no WFDB header {Path.GetFileName(path)} beside the CSV: assumed {DefaultSampleRateHz} Hz (README)");
            return (DefaultSampleRateHz, null);
        }

        using var lines = new SourceLines(path);
        var record = lines.ReadLine();
        var fields = record?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length < 3)
        {
            throw lines.Error(null, "expected the WFDB record line 'name nsig fs nsamp'");
        }

        var rate = lines.ParseSampleRate(fields[2].Split('/')[0], "fs");

        var comments = new List<string>();
        while (lines.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                var text = line.TrimStart('#').Trim();
                if (!text.StartsWith("EMG from", StringComparison.Ordinal) && !text.StartsWith("patient dorsiflexed", StringComparison.Ordinal))
                {
                    comments.Add(text);
                }
            }
        }

        notes.Add($"sample rate {rate.ToString(CultureInfo.InvariantCulture)} Hz from {Path.GetFileName(path)}");
        return (rate, comments.Count > 0 ? string.Join(' ', comments) : null);
    }
}

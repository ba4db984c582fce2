using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>What to import and how.</summary>
/// <param name="SourcePath">The source file, as given on the command line (used in messages).</param>
/// <param name="Site">Overrides the site name for single-channel sources; null = the importer's default.</param>
internal sealed record ImportRequest(string SourcePath, string? Site = null);

/// <summary>The outcome of an import: the layout written, the rows, the labels found and what was changed.</summary>
internal sealed record ImportResult(RecordingLayout Layout, long Rows, GroundTruth? Truth, IReadOnlyList<string> Notes);

/// <summary>
/// Converts one kind of real EMG file (../shared/data/emg/&lt;folder&gt;/README.md) into a v1 recording:
/// millivolts at the electrodes, named sites, a regular row clock, labels as truth intervals, and metadata that
/// states the source, licence, scaling and true effective rate (docs/recording-format.md §7).
/// </summary>
internal abstract class RecordingImporter
{
    /// <summary>The format name on the command line.</summary>
    public abstract string Format { get; }

    /// <summary>One line for --help.</summary>
    public abstract string Description { get; }

    /// <summary>Reads <see cref="ImportRequest.SourcePath"/> and writes the recording to <paramref name="output"/>.</summary>
    /// <exception cref="RecordingFormatException">The source is not in this format; the message names file, line and column.</exception>
    public abstract ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null);

    /// <summary>Metadata every importer writes.</summary>
    protected Dictionary<string, string> CommonMetadata(string sourcePath, double effectiveRateHz, string scaling, string licence, string citation) => new(StringComparer.Ordinal)
    {
        ["source"] = Path.GetFileName(sourcePath),
        ["source_format"] = Format,
        ["effective_rate_hz"] = effectiveRateHz.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        ["scaling"] = scaling,
        ["licence"] = licence,
        ["citation"] = citation,
    };

    /// <summary>Multi-channel sources name their sites from the source's channel list; --site does not apply.</summary>
    protected void RejectSiteOption(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Site is not null)
        {
            throw new CliInputException($"--site applies to single-channel sources (plux, physionet, biosppy); {Format} names its sites from the source channels");
        }
    }

    /// <summary>The site name from the request, validated, or <paramref name="fallback"/>.</summary>
    protected static string SiteOrDefault(ImportRequest request, string fallback)
    {
        var site = request.Site ?? fallback;
        if (!RecordingLayout.IsValidSite(site))
        {
            throw new CliInputException($"--site '{site}' is not a valid site name (lower-case letters, digits and '_', starting with a letter, at most 32 characters)");
        }

        return site;
    }

    /// <summary>
    /// Writes one row of a source with <c>sample</c> and <c>time_s</c> columns (PLUX, PhysioNet): the sample
    /// counter must run on without gaps and <c>time_s</c> must match it within half a sample, and the row time
    /// is taken from the counter so the rows sit exactly on the clock.
    /// </summary>
    protected static void WriteCountedRow(
        SourceLines lines,
        string line,
        ReadOnlySpan<Range> cells,
        int emgCell,
        double sampleRateHz,
        RecordingFrame frame,
        RecordingWriter writer,
        ref long? previousSample)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(writer);
        var span = line.AsSpan();
        var sample = lines.ParseInteger(span[cells[0]], "sample");
        lines.CheckConsecutive(sample, previousSample);
        var time = lines.ParseDouble(span[cells[1]], "time_s");
        if (Math.Abs(time - (sample / sampleRateHz)) > 0.5 / sampleRateHz)
        {
            throw lines.Error("time_s", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{time} s does not match sample {sample} at {sampleRateHz} Hz"));
        }

        frame.TimeSeconds = sample / sampleRateHz;
        frame.EmgMillivolts[0] = lines.ParseSingle(span[cells[emgCell]], "emg_mV");
        writer.Write(frame);
        previousSample = sample;
    }
}

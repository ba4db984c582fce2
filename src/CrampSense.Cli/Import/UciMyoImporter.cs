using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// UCI "EMG data for gestures" (MYO Thalmic armband, 8 forearm channels): tab-separated
/// <c>time, channel1..channel8, class</c>, time in ms, values = raw int8 counts × 1e-5, class = gesture label
/// (../shared/data/emg/uci-emg-gestures-myo/README.md).
/// </summary>
/// <remarks>
/// The source rows sit on an irregular 1 ms grid (gaps of 2–20 ms) and hold each 8-channel vector for about
/// 10 ms, so the file is read twice: the first pass validates and measures (gaps, how often the vector changes,
/// label runs), the second writes one row per millisecond from the first to the last source time, holding the
/// previous values across gaps. t_s keeps the source's time origin (t_s = time_ms / 1000), so labels can be
/// compared with the source by eye.
/// </remarks>
internal sealed class UciMyoImporter : RecordingImporter
{
    /// <summary>
    /// Nominal scale, mV per MYO count. The MYO's counts are not calibrated volts. At 0.01 mV/count the measured
    /// RMS (README: rest 2.2 counts, fist 18.5 counts) becomes 22 µV and 185 µV, which is within the range of
    /// surface forearm EMG (the PLUX adductor pollicis holds here are 0.08–0.19 mV RMS).
    /// </summary>
    public const double MillivoltsPerCount = 0.01;

    /// <summary>Source values are counts × 1e-5 (README "Units").</summary>
    public const double CountsPerSourceUnit = 1e5;

    public const double GridRateHz = 1000;

    private const int Channels = 8;
    private static readonly string[] Header = ["time", "channel1", "channel2", "channel3", "channel4", "channel5", "channel6", "channel7", "channel8", "class"];
    private static readonly string HeaderText = string.Join(' ', Header);

    public override string Format => "uci-myo";

    public override string Description => "UCI 'EMG data for gestures' MYO armband *_raw_data_*.txt (8 forearm channels, gesture labels)";

    public override ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        RejectSiteOption(request);
        var scan = ScanSource(request.SourcePath, progress is null ? null : new ProgressSlice(progress, 0, 0.5));

        var sites = Enumerable.Range(1, Channels).Select(i => $"forearm_{i}").ToArray();
        var duration = (scan.LastMs - scan.FirstMs) / 1000.0;
        var effectiveRate = duration > 0 ? Math.Round(scan.VectorChanges / duration, 1) : 0;
        var notes = new List<string>
        {
            $"rows are on the MYO's 1 ms grid, but the 8-channel vector changes only {effectiveRate.ToString(CultureInfo.InvariantCulture)} times/s (sample-and-hold; MYO native EMG rate 200 Hz): the information rate is about 100 Hz and content above about 50 Hz is aliased",
            $"{scan.GapCount} gaps of 2-{scan.LargestStepMs} ms in the source time axis were filled by holding the previous values ({scan.FilledRows} rows added)",
            "t_s keeps the source time origin (t_s = time_ms/1000)",
            "labels: class 1 (rest) -> rest, classes 2-7 (fist, wrist flexion/extension, radial/ulnar deviation, extended palm) -> voluntary, on every site; class 0 (unmarked) -> no interval; intervals run from the first to the last row of each label run",
        };
        var metadata = CommonMetadata(
            request.SourcePath,
            effectiveRate,
            $"NOMINAL: source value x 1e5 = MYO int8 counts; 1 count written as {MillivoltsPerCount.ToString(CultureInfo.InvariantCulture)} mV. The counts are not calibrated volts",
            "CC BY 4.0 (UCI Machine Learning Repository)",
            "Lobov S. et al., Latent Factors Limiting the Performance of sEMG-Interfaces, Sensors 18(4):1122, 2018; UCI dataset 'EMG data for gestures'");
        metadata["note"] = string.Join("; ", notes);
        metadata["labels"] = "0 unmarked, 1 rest, 2 fist, 3 wrist flexion, 4 wrist extension, 5 radial deviation, 6 ulnar deviation, 7 extended palm";
        var layout = new RecordingLayout(GridRateHz, sites, hasSkinTemperature: false, hasAcceleration: false, metadata);

        var writer = new RecordingWriter(output, layout);
        var frame = layout.CreateFrame();
        Span<double> counts = stackalloc double[Channels];
        using (var lines = new SourceLines(request.SourcePath, progress is null ? null : new ProgressSlice(progress, 0.5, 0.5)))
        {
            lines.ReadLine();
            long? previousMs = null;
            while (lines.ReadLine() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var timeMs = ParseRow(lines, line, counts, out _);
                if (previousMs is { } previous)
                {
                    // Hold the previous vector over the gap: the MYO stream is sample-and-hold anyway.
                    for (var ms = previous + 1; ms < timeMs; ms++)
                    {
                        frame.TimeSeconds = ms / GridRateHz;
                        writer.Write(frame);
                    }
                }

                for (var c = 0; c < Channels; c++)
                {
                    frame.EmgMillivolts[c] = (float)(counts[c] * MillivoltsPerCount);
                }

                frame.TimeSeconds = timeMs / GridRateHz;
                writer.Write(frame);
                previousMs = timeMs;
            }
        }

        var intervals = new List<TruthInterval>();
        foreach (var run in scan.LabelRuns)
        {
            var kind = run.Label == 1 ? TruthKind.Rest : TruthKind.Voluntary;
            intervals.AddRange(sites.Select(site => new TruthInterval(kind, site, run.FirstMs / GridRateHz, run.LastMs / GridRateHz)));
        }

        return new ImportResult(layout, writer.RowsWritten, new GroundTruth(intervals), notes);
    }

    private static MyoScan ScanSource(string path, IProgress<double>? progress)
    {
        using var lines = new SourceLines(path, progress);
        var header = lines.ReadLine();
        if (header is null)
        {
            throw lines.ErrorWithoutLine("the file is empty: expected the UCI MYO header 'time, channel1..channel8, class'");
        }

        var names = header.Split('\t').Select(n => n.Trim()).ToArray();
        if (!names.SequenceEqual(Header, StringComparer.Ordinal))
        {
            throw lines.Error(null, $"expected the tab-separated UCI MYO header '{HeaderText}', found '{SourceLines.Shorten(header)}' (is this the right format?)");
        }

        var scan = new MyoScan();
        Span<double> counts = stackalloc double[Channels];
        Span<double> previous = stackalloc double[Channels];
        long? previousMs = null;
        var runLabel = 0;
        long runFirst = 0, runLast = 0;
        while (lines.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var timeMs = ParseRow(lines, line, counts, out var label);
            if (previousMs is { } last)
            {
                if (timeMs <= last)
                {
                    throw lines.Error("time", $"time {timeMs} ms is not after the previous row's {last} ms");
                }

                var step = timeMs - last;
                if (step > 1)
                {
                    scan.GapCount++;
                    scan.FilledRows += step - 1;
                    scan.LargestStepMs = Math.Max(scan.LargestStepMs, step);
                }

                if (!counts.SequenceEqual(previous))
                {
                    scan.VectorChanges++;
                }

                if (label != runLabel)
                {
                    if (runLabel != 0)
                    {
                        scan.LabelRuns.Add((runLabel, runFirst, runLast));
                    }

                    runFirst = timeMs;
                }
            }
            else
            {
                scan.FirstMs = timeMs;
                runFirst = timeMs;
            }

            runLabel = label;
            runLast = timeMs;
            counts.CopyTo(previous);
            previousMs = timeMs;
            scan.LastMs = timeMs;
        }

        if (previousMs is null)
        {
            throw lines.ErrorWithoutLine("the file has a header but no data rows");
        }

        if (runLabel != 0)
        {
            scan.LabelRuns.Add((runLabel, runFirst, runLast));
        }

        return scan;
    }

    /// <summary>Parses one row into counts; returns the time in ms.</summary>
    private static long ParseRow(SourceLines lines, string line, Span<double> counts, out int label)
    {
        Span<Range> cells = stackalloc Range[Header.Length];
        lines.Split(line, '\t', cells, HeaderText);
        var span = line.AsSpan();
        var timeMs = lines.ParseInteger(span[cells[0]], "time");
        if (timeMs < 0)
        {
            throw lines.Error("time", $"time {timeMs} ms is negative");
        }

        for (var c = 0; c < Channels; c++)
        {
            var column = Header[c + 1];
            var value = lines.ParseDouble(span[cells[c + 1]], column) * CountsPerSourceUnit;
            var count = Math.Round(value);
            if (Math.Abs(value - count) > 1e-6 || count is < sbyte.MinValue or > sbyte.MaxValue)
            {
                throw lines.Error(column, $"'{span[cells[c + 1]].Trim()}' is not a MYO int8 count x 1e-5 (expected a multiple of 1e-05 between -0.00128 and 0.00127)");
            }

            counts[c] = count;
        }

        var labelValue = lines.ParseInteger(span[cells[9]], "class");
        if (labelValue is < 0 or > 7)
        {
            throw lines.Error("class", $"gesture class {labelValue} is not 0-7");
        }

        label = (int)labelValue;
        return timeMs;
    }
}

/// <summary>What the first pass over a MYO file found.</summary>
internal sealed class MyoScan
{
    public long FirstMs { get; set; }

    public long LastMs { get; set; }

    public long VectorChanges { get; set; }

    public long GapCount { get; set; }

    public long FilledRows { get; set; }

    public long LargestStepMs { get; set; }

    public List<(int Label, long FirstMs, long LastMs)> LabelRuns { get; } = [];
}

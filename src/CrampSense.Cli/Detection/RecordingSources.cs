using System.Runtime.CompilerServices;
using CrampSense.Cli.Import;
using CrampSense.Signals;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Cli.Detection;

/// <summary>A recording to run through the detector or the training collector: its layout, truth and rows.</summary>
internal sealed class RecordingSource
{
    private readonly Func<RecordingFrame, bool> _read;
    private readonly RecordingReader? _reader;

    public RecordingSource(string name, RecordingLayout layout, IReadOnlyList<TruthInterval> truth, Func<RecordingFrame, bool> read, long? totalRows = null, RecordingReader? reader = null)
    {
        _reader = reader;
        Name = name;
        Layout = layout;
        Truth = truth;
        _read = read;
        TotalRows = totalRows;
    }

    public string Name { get; }

    public RecordingLayout Layout { get; }

    public IReadOnlyList<TruthInterval> Truth { get; }

    public long? TotalRows { get; }

    /// <summary>Rows the file's reader skipped (bad rows with --skip-bad-rows, an incomplete last row), each naming its line.</summary>
    public IReadOnlyList<string> SkipReasons => _reader?.SkipReasons ?? [];

    /// <summary>How many rows the file's reader skipped.</summary>
    public long SkippedRows => _reader?.SkippedRows ?? 0;

    /// <summary>Reads the next row into <paramref name="frame"/>; false at the end.</summary>
    public bool TryReadFrame(RecordingFrame frame) => _read(frame);

    /// <summary>The simulated recording of <paramref name="spec"/> (streamed; the accelerometer dropped when the spec says so).</summary>
    public static RecordingSource Simulate(SimulatedRecordingSpec spec)
    {
        var recording = Simulator.Start(spec.ToRequest());
        var layout = recording.Layout;
        if (!spec.WithAccelerometer)
        {
            layout = new RecordingLayout(layout.SampleRateHz, layout.Sites, layout.HasSkinTemperature, hasAcceleration: false, layout.Metadata);
            return new RecordingSource(spec.FileName, layout, recording.Truth, frame =>
            {
                if (!recording.TryReadFrame(frame))
                {
                    return false;
                }

                frame.HasAcceleration = false;
                return true;
            }, recording.TotalFrames);
        }

        return new RecordingSource(spec.FileName, layout, recording.Truth, recording.TryReadFrame, recording.TotalFrames);
    }

    /// <summary>A recording already in memory as CSV text (an import), with its truth.</summary>
    public static RecordingSource FromText(string name, string csv, IReadOnlyList<TruthInterval> truth)
    {
        var reader = new RecordingReader(new StringReader(csv), name);
        return new RecordingSource(name, reader.Layout, truth, reader.TryReadFrame);
    }

    /// <summary>Opens a recording file and its truth sidecar (empty truth when there is none).</summary>
    public static RecordingSource Open(string path, bool skipBadRows = false)
    {
        var stream = RecordingReader.OpenFile(path);
        RecordingReader reader;
        try
        {
            reader = new RecordingReader(stream, path, new RecordingReaderOptions { SkipBadRows = skipBadRows });
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        var truth = ReadTruth(path);
        return new RecordingSource(path, reader.Layout, truth, [MethodImpl(HotPath.Compiled)] (frame) => ReadOrClose(reader, stream, frame), reader: reader);
    }

    /// <summary>
    /// Opens a recording that another process is still writing (a clip, a capture) and reads it as it grows
    /// (<c>replay --follow</c>): at the current end it waits (<paramref name="createWait"/>, given the open file) and
    /// reads on while the file grows; it ends when the wait says the file is gone, idle or the user stopped. Rows
    /// come out whole and in order however the writer's appends are cut (<see cref="RecordingReaderOptions.StillBeingWritten"/>).
    /// A header not yet written whole is read again after the file grows; a header still unreadable when the file
    /// stops growing is the error.
    /// </summary>
    public static RecordingSource Follow(string path, bool skipBadRows, Func<FileStream, Func<RecordingGrowth>> createWait)
    {
        var stream = RecordingReader.OpenFile(path);
        RecordingReader reader;
        Func<RecordingGrowth> wait;
        try
        {
            wait = createWait(stream);
            var options = new RecordingReaderOptions { SkipBadRows = skipBadRows, StillBeingWritten = true };
            while (true)
            {
                try
                {
                    stream.Position = 0;
                    reader = new RecordingReader(stream, path, options);
                    break;
                }
                catch (RecordingFormatException)
                {
                    // With fewer lines than the header needs, the writer may still be inside them: read again once it grew.
                    if (HasLines(stream, HeaderAndInferenceLines) || wait() != RecordingGrowth.Grew)
                    {
                        throw;
                    }
                }
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        var truth = ReadTruth(path);
        var ended = false;
        return new RecordingSource(path, reader.Layout, truth, frame =>
        {
            while (!ended)
            {
                if (reader.TryReadFrame(frame))
                {
                    return true;
                }

                // Gone, idle or stopped: one more read takes what was appended before the writer finished.
                ended = wait() != RecordingGrowth.Grew;
            }

            return ReadOrClose(reader, stream, frame);
        }, reader: reader);
    }

    /// <summary>Reads the next row; at the end closes the reader and its file, so a folder of recordings does not hold them all open.</summary>
    [MethodImpl(HotPath.Compiled)]
    private static bool ReadOrClose(RecordingReader reader, FileStream stream, RecordingFrame frame)
    {
        if (reader.TryReadFrame(frame))
        {
            return true;
        }

        reader.Dispose();
        stream.Dispose();
        return false;
    }

    /// <summary>The comment line, the header and the rows the reader infers a sample rate from: with these whole, a header error is the file's, not the writer's progress.</summary>
    private const int HeaderAndInferenceLines = 2 + RecordingReader.SampleRateInferenceRows;

    /// <summary>True when the file's first 64 KiB hold at least <paramref name="count"/> line ends.</summary>
    private static bool HasLines(FileStream stream, int count)
    {
        var start = new byte[1 << 16]; // once per attempt at a header, not per row
        stream.Position = 0;
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return start.AsSpan(0, read).Count((byte)'\n') >= count;
    }

    /// <summary>The truth intervals of the sidecar beside <paramref name="recordingPath"/>, or none.</summary>
    public static IReadOnlyList<TruthInterval> ReadTruth(string recordingPath)
    {
        var sidecar = GroundTruth.SidecarPathFor(recordingPath);
        if (!File.Exists(sidecar))
        {
            return [];
        }

        using var text = File.OpenText(sidecar);
        return GroundTruth.Read(text, sidecar).Intervals;
    }
}

/// <summary>
/// The real EMG recordings of healthy people (no cramps), imported: the full files of the shared collection when
/// present (<c>../shared/data/emg</c> from the repository, or a folder given), else the small slices kept in the
/// repository (<c>tests/data/emg</c>), so a clean clone still works.
/// </summary>
internal static class RealRecordings
{
    /// <summary>(format, path relative to the collection root) of every real recording the importers know.</summary>
    private static readonly (string Format, string Path)[] Known =
    [
        ("physionet", "physionet-emgdb/emg_healthy.csv"),
        ("plux", "plux-biosignalsnotebooks/emg_adductor_pollicis.csv"),
        ("plux", "plux-biosignalsnotebooks/emg_bursts_biceps.csv"),
        ("plux", "plux-biosignalsnotebooks/emg_fatigue_biceps.csv"),
        ("biosppy", "biosppy-examples/emg.txt"),
        ("biosppy", "biosppy-examples/emg_1.txt"),
        ("uci-lower-limb", "uci-emg-lower-limb/N_TXT/1Nsen.txt"),
        ("uci-lower-limb", "uci-emg-lower-limb/A_TXT/5Apie.txt"),
        ("uci-myo", "uci-emg-gestures-myo/01/1_raw_data_13-12_22.03.16.txt"),
    ];

    /// <summary>The first of the candidate roots that exists: <paramref name="explicitRoot"/>, then ../shared/data/emg and tests/data/emg above the working directory.</summary>
    public static string? FindRoot(string? explicitRoot)
    {
        if (explicitRoot is not null)
        {
            return Directory.Exists(explicitRoot) ? explicitRoot : throw new CliInputException($"--real: folder '{explicitRoot}' not found");
        }

        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "..", "shared", "data", "emg"), Path.Combine(directory.FullName, "tests", "data", "emg") })
            {
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "physionet-emgdb", "emg_healthy.csv")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }

    /// <summary>Imports every known real recording under <paramref name="root"/> (missing ones are skipped; also those in the other myo subject folder).</summary>
    public static IReadOnlyList<(string Name, string Csv, IReadOnlyList<TruthInterval> Truth)> Import(string root)
    {
        var result = new List<(string, string, IReadOnlyList<TruthInterval>)>();
        var paths = Known.ToList();
        foreach (var (format, folder) in new[] { ("uci-myo", "uci-emg-gestures-myo"), ("uci-lower-limb", "uci-emg-lower-limb") })
        {
            var directory = Path.Combine(root, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (!relative.EndsWith("README.txt", StringComparison.OrdinalIgnoreCase) && !paths.Contains((format, relative)))
                {
                    paths.Add((format, relative));
                }
            }
        }

        foreach (var (format, relativePath) in paths)
        {
            var path = Path.Combine(root, relativePath);
            if (!File.Exists(path))
            {
                continue;
            }

            var importer = RecordingImporters.Find(format)!;
            var text = new StringWriter();
            var imported = importer.Import(new ImportRequest(path), text);
            result.Add((relativePath, text.ToString(), imported.Truth?.Intervals ?? []));
        }

        return result;
    }
}

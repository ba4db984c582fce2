using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// Reads a source file line by line, counting lines (for error messages) and reporting progress as the
/// fraction of bytes consumed. Parse helpers throw <see cref="RecordingFormatException"/> naming file, line and column.
/// </summary>
internal sealed class SourceLines : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamReader _reader;
    private readonly IProgress<double>? _progress;

    public SourceLines(string path, IProgress<double>? progress = null)
    {
        Name = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        _reader = new StreamReader(_stream);
        _progress = progress;
    }

    /// <summary>The path as given, used in messages.</summary>
    public string Name { get; }

    /// <summary>1-based number of the line returned last.</summary>
    public long LineNumber { get; private set; }

    public string? ReadLine()
    {
        var line = _reader.ReadLine();
        if (line is not null)
        {
            LineNumber++;
            if (_progress is not null && (LineNumber & 0xFFF) == 0 && _stream.Length > 0)
            {
                _progress.Report((double)_stream.Position / _stream.Length);
            }
        }

        return line;
    }

    public RecordingFormatException Error(string? column, string reason) => new(Name, LineNumber, column, reason);

    public RecordingFormatException ErrorWithoutLine(string reason) => new(Name, null, null, reason);

    public double ParseDouble(ReadOnlySpan<char> cell, string column)
    {
        cell = cell.Trim();
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(column, $"'{Shorten(cell)}' is not a number");
        }

        if (!double.IsFinite(value))
        {
            throw Error(column, $"'{Shorten(cell)}' is not a finite number");
        }

        return value;
    }

    /// <summary>A value stored as a 32-bit float (EMG in mV): finite, and within float's range (1e39 is not).</summary>
    public float ParseSingle(ReadOnlySpan<char> cell, string column)
    {
        var value = ParseDouble(cell, column);
        if (Math.Abs(value) > float.MaxValue)
        {
            throw Error(column, $"'{Shorten(cell.Trim())}' is outside the range of a 32-bit float (±3.4e38)");
        }

        return (float)value;
    }

    /// <summary>A source's declared sample rate, within the range a recording may have (<see cref="RecordingReader.SampleRateProblem"/>).</summary>
    public double ParseSampleRate(ReadOnlySpan<char> cell, string column)
    {
        var rate = ParseDouble(cell, column);
        return RecordingReader.SampleRateProblem(rate) is { } problem ? throw Error(column, problem) : rate;
    }

    public long ParseInteger(ReadOnlySpan<char> cell, string column)
    {
        cell = cell.Trim();
        if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(column, $"'{Shorten(cell)}' is not an integer");
        }

        return value;
    }

    /// <summary>Splits <paramref name="line"/> on <paramref name="separator"/> into exactly <paramref name="cells"/>.Length ranges.</summary>
    public void Split(string line, char separator, Span<Range> cells, string expected)
    {
        var count = line.AsSpan().Split(cells, separator);
        if (count != cells.Length || line.AsSpan()[cells[^1]].Contains(separator))
        {
            throw Error(null, $"expected {cells.Length} {(separator == '\t' ? "tab" : "comma")}-separated columns ({expected}), found {line.AsSpan().Count(separator) + 1}");
        }
    }

    /// <summary>Reads the header row and checks it is exactly <paramref name="expected"/> (comma-separated).</summary>
    public void ExpectHeader(string[] expected, string formatName)
    {
        var header = ReadLine() ?? throw ErrorWithoutLine($"the file is empty: expected the {formatName} header '{string.Join(',', expected)}'");
        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        if (!names.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw Error(null, $"expected the {formatName} header '{string.Join(',', expected)}', found '{SourceLines.Shorten(header)}' (is this the right format?)");
        }
    }

    /// <summary>Sample indices must run 0, 1, 2, … (a gap or a repeat would break the row clock).</summary>
    public void CheckConsecutive(long sample, long? previous)
    {
        var expected = previous + 1 ?? 0;
        if (sample != expected)
        {
            throw Error("sample", $"sample index {sample}, expected {expected} (samples must be consecutive from 0)");
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    internal static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..37], "...");
}

/// <summary>Maps a pass's progress (0–1) onto a slice of the overall progress.</summary>
internal sealed class ProgressSlice(IProgress<double> overall, double offset, double share) : IProgress<double>
{
    public void Report(double value) => overall.Report(offset + (share * value));
}

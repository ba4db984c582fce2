using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// Streams a recording (docs/recording-format.md) row by row from a <see cref="Stream"/> of UTF-8 (or a
/// <see cref="TextReader"/>): only the current line is held, and each row is parsed in place from its UTF-8 bytes
/// into a frame the caller reuses, so a 10 h file never sits in memory and a row allocates nothing. The reader
/// does not own or dispose the stream or text reader it reads; disposing the reader returns its pooled buffer.
/// </summary>
/// <remarks>
/// A file that is still being written (a clip) can be read: its last line may lack a line end and be cut
/// mid-row; such a line is a row when it parses whole, and otherwise is skipped and counted, never an error.
/// Open the file with <see cref="FileShare.ReadWrite"/> so the writer keeps writing.
/// </remarks>
/// <example>
/// <code>
/// var reader = new RecordingReader(textReader, "rec.csv");
/// var frame = reader.Layout.CreateFrame();
/// while (reader.TryReadFrame(frame)) { ... }
/// </code>
/// </example>
public sealed class RecordingReader : IDisposable
{
    /// <summary>How many data rows are used to infer the sample rate when the comment line is missing.</summary>
    public const int SampleRateInferenceRows = 11;

    /// <summary>
    /// Lowest sample rate a recording may have (docs/recording-format.md §2): the detector's 20 Hz high-pass and
    /// 6 Hz envelope need a Nyquist frequency well above them, and a 250 ms window at least 8 samples.
    /// </summary>
    public const double MinimumSampleRateHz = 100;

    /// <summary>
    /// Highest sample rate a recording may have: surface EMG has no content above ~500 Hz (SENIAM), research
    /// amplifiers sample at up to 10–20 kHz, and beyond that a rate is a typo that would make the detector's
    /// buffers (sized from the rate) huge.
    /// </summary>
    public const double MaximumSampleRateHz = 20_000;

    private const string ExpectedColumns = "t_s, emg.<site>, temp.skin, acc.x, acc.y, acc.z";

    private readonly Utf8LineSource _lines;
    private readonly RecordingReaderOptions _options;
    private readonly Queue<(byte[] Line, long Number, bool Unterminated)> _peeked = new();
    private readonly List<string> _skipReasons = [];

    // Per file column i (i >= 1): what it holds. Non-negative = index of an EMG site; negative = slow signal.
    private readonly int[] _columnSlots;
    private readonly string[] _columnNames;
    private readonly int _accXColumn = -1;
    private readonly double _minimumSpacingSeconds;
    private readonly int _siteCount; // Layout.Sites.Count, read per row without the interface call
    private long _lineNumber;
    private double _previousTime = double.NegativeInfinity;

    /// <summary>
    /// Rows may come late (dropped samples leave gaps) and with jitter, but not far closer together than one
    /// sample period: a file whose times are 1e-7 s apart at 1 kHz is not that recording.
    /// </summary>
    private const double MinimumSpacingFraction = 0.5;

    private const int SlotTemperature = -1;
    private const int SlotAccX = -2;
    private const int SlotAccY = -3;
    private const int SlotAccZ = -4;

    /// <summary>Reads the comment line (if any) and the header from UTF-8 bytes, and infers the sample rate if needed.</summary>
    /// <param name="stream">The recording's bytes (a leading UTF-8 byte-order mark is skipped); left open.</param>
    /// <param name="sourceName">Name used in error messages, usually the file name.</param>
    /// <param name="options">Bad-row handling; <see cref="RecordingReaderOptions.Default"/> when null.</param>
    /// <exception cref="RecordingFormatException">The comment line or header is malformed, or the file is empty.</exception>
    public RecordingReader(Stream stream, string sourceName, RecordingReaderOptions? options = null)
        : this(new Utf8LineSource(stream ?? throw new ArgumentNullException(nameof(stream)), options?.StillBeingWritten == true), sourceName, options)
    {
    }

    /// <summary>Reads the comment line (if any) and the header from text, and infers the sample rate if needed.</summary>
    /// <param name="reader">The text to read; left open. Slower than the <see cref="Stream"/> constructor (a string per line).</param>
    /// <param name="sourceName">Name used in error messages, usually the file name.</param>
    /// <param name="options">Bad-row handling; <see cref="RecordingReaderOptions.Default"/> when null.</param>
    /// <exception cref="RecordingFormatException">The comment line or header is malformed, or the file is empty.</exception>
    public RecordingReader(TextReader reader, string sourceName, RecordingReaderOptions? options = null)
        : this(new Utf8LineSource(reader ?? throw new ArgumentNullException(nameof(reader))), sourceName, options)
    {
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading while another process may still be writing it
    /// (<see cref="FileShare.ReadWrite"/>); the caller disposes the stream after the reader.
    /// </summary>
    public static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);

    private RecordingReader(Utf8LineSource lines, string sourceName, RecordingReaderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        _lines = lines;
        SourceName = sourceName;
        _options = options ?? RecordingReaderOptions.Default;

        double? sampleRate = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var header = NextNonBlankTextLine();
        var hadComment = header is not null && header.StartsWith('#');
        if (hadComment)
        {
            (sampleRate, metadata) = RecordingCommentLine.Parse(header!, SourceName, _lineNumber);
            if (sampleRate is { } declared && SampleRateProblem(declared) is { } problem)
            {
                throw new RecordingFormatException(SourceName, _lineNumber, RecordingCommentLine.SampleRateKey, problem);
            }

            header = NextNonBlankTextLine();
        }

        if (header is null)
        {
            throw new RecordingFormatException(SourceName, null, null, hadComment
                ? "there is no header row after the comment line: expected a header row starting with t_s"
                : "the file is empty: expected a header row starting with t_s");
        }

        var headerLine = _lineNumber;
        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        if (names[0] != RecordingLayout.TimeColumn)
        {
            throw new RecordingFormatException(SourceName, headerLine, null, $"the first column must be {RecordingLayout.TimeColumn}, found '{RecordingCommentLine.Shorten(names[0])}'");
        }

        _columnNames = names;
        _columnSlots = new int[names.Length];
        var sites = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { RecordingLayout.TimeColumn };
        var hasTemperature = false;
        var accColumns = 0;
        for (var i = 1; i < names.Length; i++)
        {
            var name = names[i];
            if (!seen.Add(name))
            {
                throw new RecordingFormatException(SourceName, headerLine, Shorten(name), "the column appears twice");
            }

            if (name.StartsWith(RecordingLayout.EmgColumnPrefix, StringComparison.Ordinal))
            {
                var site = name[RecordingLayout.EmgColumnPrefix.Length..];
                if (!RecordingLayout.IsValidSite(site))
                {
                    throw new RecordingFormatException(SourceName, headerLine, Shorten(name), $"'{Shorten(site)}' is not a valid site name (lower-case letters, digits and '_', starting with a letter, at most 32 characters)");
                }

                _columnSlots[i] = sites.Count;
                sites.Add(site);
            }
            else if (name == RecordingLayout.SkinTemperatureColumn)
            {
                _columnSlots[i] = SlotTemperature;
                hasTemperature = true;
            }
            else if (RecordingLayout.AccelerationColumns.Contains(name))
            {
                var axis = name[^1];
                _columnSlots[i] = axis switch { 'x' => SlotAccX, 'y' => SlotAccY, _ => SlotAccZ };
                if (axis == 'x')
                {
                    _accXColumn = i;
                }

                accColumns++;
            }
            else
            {
                throw new RecordingFormatException(SourceName, headerLine, string.IsNullOrEmpty(name) ? $"#{i + 1}" : Shorten(name), $"unknown column (expected {ExpectedColumns})");
            }
        }

        if (sites.Count == 0)
        {
            throw new RecordingFormatException(SourceName, headerLine, null, "the header has no emg.<site> column");
        }

        if (accColumns is not 0 and not 3)
        {
            throw new RecordingFormatException(SourceName, headerLine, null, "acc.x, acc.y and acc.z must all be present or all be absent");
        }

        SampleRateInferred = sampleRate is null;
        sampleRate ??= InferSampleRate(headerLine);
        _minimumSpacingSeconds = MinimumSpacingFraction / sampleRate.Value;
        Layout = new RecordingLayout(sampleRate.Value, sites, hasTemperature, accColumns == 3, metadata);
        _siteCount = Layout.Sites.Count;
    }

    /// <summary>The name used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>
    /// Why <paramref name="sampleRateHz"/> cannot be a recording's rate (outside
    /// <see cref="MinimumSampleRateHz"/>–<see cref="MaximumSampleRateHz"/>, or not a finite number), or null
    /// when it can. Importers check a source's declared rate with the same rule.
    /// </summary>
    public static string? SampleRateProblem(double sampleRateHz) =>
        double.IsFinite(sampleRateHz) && sampleRateHz >= MinimumSampleRateHz && sampleRateHz <= MaximumSampleRateHz
            ? null
            : $"{sampleRateHz.ToString("G6", CultureInfo.InvariantCulture)} Hz is outside the supported {MinimumSampleRateHz.ToString(CultureInfo.InvariantCulture)}–{MaximumSampleRateHz.ToString(CultureInfo.InvariantCulture)} Hz (docs/recording-format.md)";

    /// <summary>Sites, slow signals, sample rate and metadata of the recording.</summary>
    public RecordingLayout Layout { get; }

    /// <summary>True when the file had no <c>sample_rate_hz</c> and the rate was inferred from the first rows.</summary>
    public bool SampleRateInferred { get; }

    /// <summary>Data rows returned so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Data rows skipped as malformed (only with <see cref="RecordingReaderOptions.SkipBadRows"/>).</summary>
    public long SkippedRows { get; private set; }

    /// <summary>The first skip reasons (up to <see cref="RecordingReaderOptions.MaxKeptSkipReasons"/>), each naming its line.</summary>
    public IReadOnlyList<string> SkipReasons => _skipReasons;

    /// <summary>1-based number of the line read last.</summary>
    public long LineNumber => _lineNumber;

    /// <summary>
    /// True when the recording ended inside a row (no line end, not parseable): the file is still being written
    /// or was cut short. That row is counted in <see cref="SkippedRows"/>, and its reason is in <see cref="SkipReasons"/>.
    /// </summary>
    public bool IncompleteLastRow { get; private set; }

    /// <summary>Returns the pooled line buffer; the stream or text reader given is left open.</summary>
    public void Dispose() => _lines.Dispose();

    /// <summary>
    /// Reads the next data row into <paramref name="frame"/> (created by <see cref="RecordingLayout.CreateFrame"/>).
    /// Returns false at the end of the recording; the frame's content is then unspecified.
    /// </summary>
    /// <exception cref="RecordingFormatException">A malformed row, unless <see cref="RecordingReaderOptions.SkipBadRows"/>.</exception>
    [MethodImpl(HotPath.Compiled)]
    public bool TryReadFrame(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.EmgMillivolts.Length != _siteCount)
        {
            throw new ArgumentException($"The frame has {frame.EmgMillivolts.Length} EMG sites, the recording {Layout.Sites.Count}.", nameof(frame));
        }

        while (true)
        {
            ReadOnlySpan<byte> line;
            long lineNumber;
            bool cut, unterminated;
            if (_peeked.Count > 0)
            {
                (var peeked, lineNumber, unterminated) = _peeked.Dequeue();
                line = peeked;
                cut = false;
            }
            else
            {
                if (!NextNonBlankLine(out line))
                {
                    return false;
                }

                lineNumber = _lineNumber;
                cut = _lines.LastLineWasCut;
                unterminated = _lines.LastLineWasUnterminated;
            }

            (string? Column, string Reason)? error = cut
                ? (null, LineTooLong("recording row"))
                : TryParsePlainRow(line, frame) ? null : ParseRow(line, frame, out _);
            if (error is null)
            {
                _previousTime = frame.TimeSeconds;
                RowsRead++;
                return true;
            }

            var (column, reason) = error.Value;
            if (unterminated)
            {
                // The file ends inside a row: it is still being written or was cut short. The rows before it
                // are good; losing a partial last row is what reading a growing file means.
                SkippedRows++;
                IncompleteLastRow = true;
                if (_skipReasons.Count < _options.MaxKeptSkipReasons)
                {
                    _skipReasons.Add(RecordingFormatException.Compose(SourceName, lineNumber, column, $"the last row has no line end and is incomplete ({reason}); the file may still be being written"));
                }

                return false;
            }

            if (!_options.SkipBadRows)
            {
                throw new RecordingFormatException(SourceName, lineNumber, column, reason);
            }

            SkippedRows++;
            if (_skipReasons.Count < _options.MaxKeptSkipReasons)
            {
                _skipReasons.Add(RecordingFormatException.Compose(SourceName, lineNumber, column, reason));
            }
        }
    }

    /// <summary>
    /// The one-pass parse of a plain row, as recorders write them: every cell a plain decimal (or an empty slow-signal
    /// cell), no spaces, times in order. Each cell is parsed where it starts and its end is the byte the number
    /// stops at, so the row is read once (separate comma search, trim and parse per cell read it three times).
    /// False for anything else, which then goes through <see cref="ParseRow"/>: that parse gives the same frame for
    /// every row this one accepts (the same fast number path) and is the only one that words errors.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private bool TryParsePlainRow(ReadOnlySpan<byte> line, RecordingFrame frame)
    {
        var position = 0;
        if (!RecordingNumber.TryParsePrefix(line, ref position, out var time)
            || time < 0 || time <= _previousTime || time - _previousTime < _minimumSpacingSeconds)
        {
            return false;
        }

        var slots = _columnSlots;
        frame.HasSkinTemperature = false; // a false return leaves the frame to ParseRow, which starts it afresh
        var accCells = 0;
        for (var i = 1; i < slots.Length; i++)
        {
            if (position >= line.Length || line[position] != (byte)',')
            {
                return false;
            }

            position++;
            var slot = slots[i];
            if (position == line.Length || line[position] == (byte)',')
            {
                if (slot >= 0)
                {
                    return false; // an empty EMG cell: ParseRow words the error
                }

                continue;
            }

            if (!RecordingNumber.TryParsePrefix(line, ref position, out var wide) || !RecordingNumber.IsSafelyNarrowed(wide))
            {
                return false;
            }

            StoreCell(frame, slot, (float)wide, ref accCells);
        }

        if (position != line.Length || accCells is not 0 and not 3)
        {
            return false;
        }

        frame.HasAcceleration = accCells == 3;
        frame.TimeSeconds = time;
        return true;
    }

    /// <summary>Stores one parsed cell in the frame slot its column maps to (both row parsers); counts acceleration cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreCell(RecordingFrame frame, int slot, float value, ref int accelerationCells)
    {
        switch (slot)
        {
            case >= 0:
                frame.EmgMillivolts[slot] = value;
                break;
            case SlotTemperature:
                frame.SkinTemperatureCelsius = value;
                frame.HasSkinTemperature = true;
                break;
            case SlotAccX:
                frame.AccelerationXG = value;
                accelerationCells++;
                break;
            case SlotAccY:
                frame.AccelerationYG = value;
                accelerationCells++;
                break;
            default:
                frame.AccelerationZG = value;
                accelerationCells++;
                break;
        }
    }

    /// <summary>Parses one data row; returns null on success, or the column and reason of the first problem.</summary>
    private (string? Column, string Reason)? ParseRow(ReadOnlySpan<byte> line, RecordingFrame frame, out double time)
    {
        time = 0;
        var rest = line;
        frame.HasSkinTemperature = false;
        frame.HasAcceleration = false;
        var accCells = 0;
        for (var i = 0; i < _columnNames.Length; i++)
        {
            var comma = rest.IndexOf((byte)',');
            var last = i == _columnNames.Length - 1;
            if ((comma < 0) != last)
            {
                return (null, $"expected {_columnNames.Length} columns ({RecordingCommentLine.Shorten(string.Join(',', _columnNames), 200)}), found {line.Count((byte)',') + 1}");
            }

            var cell = last ? rest : rest[..comma];
            cell = cell[Ascii.Trim(cell)];
            rest = last ? default : rest[(comma + 1)..];
            if (i == 0)
            {
                if (!RecordingNumber.TryParse(cell, out time))
                {
                    return (_columnNames[0], NotANumber(cell));
                }

                if (!double.IsFinite(time))
                {
                    return (_columnNames[0], NotFinite(cell));
                }

                if (time < 0)
                {
                    return (_columnNames[0], $"time {Shorten(cell)} s is negative");
                }

                if (time <= _previousTime)
                {
                    return (_columnNames[0], $"time {Shorten(cell)} s is not after the previous row's {_previousTime.ToString("R", CultureInfo.InvariantCulture)} s (time must increase strictly)");
                }

                if (time - _previousTime < _minimumSpacingSeconds)
                {
                    return (_columnNames[0], string.Create(CultureInfo.InvariantCulture, $"time {Shorten(cell)} s is only {time - _previousTime:G3} s after the previous row's {_previousTime:R} s: at {Layout.SampleRateHz:R} Hz rows are {1 / Layout.SampleRateHz:G3} s apart"));
                }

                continue;
            }

            var slot = _columnSlots[i];
            if (cell.IsEmpty)
            {
                if (slot >= 0)
                {
                    return (_columnNames[i], "the cell is empty, but EMG needs a value on every row");
                }

                continue;
            }

            if (!RecordingNumber.TryParse(cell, out float value))
            {
                return (_columnNames[i], NotANumber(cell));
            }

            if (!float.IsFinite(value))
            {
                return (_columnNames[i], NotFinite(cell));
            }

            StoreCell(frame, slot, value, ref accCells);
        }

        if (accCells is not 0 and not 3)
        {
            return (_columnNames[_accXColumn], "acc.x, acc.y and acc.z must all have a value or all be empty on a row");
        }

        frame.HasAcceleration = accCells == 3;
        frame.TimeSeconds = time;
        return null;
    }

    private static string LineTooLong(string what) => $"the line is longer than {Utf8LineSource.MaximumLineBytes / (1 << 20)} MiB, which no {what} is";

    private static string NotANumber(ReadOnlySpan<byte> cell) => $"'{Shorten(cell)}' is not a number";

    private static string NotFinite(ReadOnlySpan<byte> cell) => $"'{Shorten(cell)}' is not a finite number (NaN and infinities are not allowed)";

    /// <summary>Echoed text is capped: a 50 MB line must not become a 50 MB message.</summary>
    private static string Shorten(ReadOnlySpan<char> text) => RecordingCommentLine.Shorten(text);

    /// <summary>A cell echoed in a message: decoded (invalid UTF-8 shows as U+FFFD) and capped.</summary>
    private static string Shorten(ReadOnlySpan<byte> utf8) =>
        RecordingCommentLine.Shorten(Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 4 * 200)]));

    /// <summary>
    /// Without a comment line the rate is 1 / the median spacing of t_s over the first
    /// <see cref="SampleRateInferenceRows"/> data rows, rounded to 6 significant digits (so that decimal time
    /// stamps such as 0.001 give exactly 1000 Hz). The rows are kept and returned by <see cref="TryReadFrame"/>.
    /// </summary>
    private double InferSampleRate(long headerLine)
    {
        var times = new List<double>(SampleRateInferenceRows);
        while (_peeked.Count < SampleRateInferenceRows)
        {
            if (!NextNonBlankLine(out var line))
            {
                break;
            }

            if (_lines.LastLineWasCut)
            {
                // Kept out of the queue; TryReadFrame would not know it was cut. A line over 1 MiB is no row.
                throw new RecordingFormatException(SourceName, _lineNumber, null, LineTooLong("recording row"));
            }

            _peeked.Enqueue((line.ToArray(), _lineNumber, _lines.LastLineWasUnterminated));
            var comma = line.IndexOf((byte)',');
            var cell = comma < 0 ? line : line[..comma];
            cell = cell[Ascii.Trim(cell)];
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t))
            {
                times.Add(t);
            }
        }

        var spacings = times.Zip(times.Skip(1), (a, b) => b - a).Where(d => d > 0).Order().ToList();
        if (spacings.Count == 0)
        {
            throw new RecordingFormatException(SourceName, headerLine, null, $"cannot infer the sample rate: there is no '# {RecordingCommentLine.Magic} {RecordingCommentLine.Version} {RecordingCommentLine.SampleRateKey}=…' line and fewer than two rows with increasing t_s");
        }

        var median = spacings[spacings.Count / 2];
        var rate = RoundToSixDigits(1.0 / median);
        if (SampleRateProblem(rate) is { } problem)
        {
            var rows = _peeked.Count == 0 ? headerLine + 1 : _peeked.Peek().Number;
            throw new RecordingFormatException(SourceName, rows, RecordingLayout.TimeColumn, $"the sample rate inferred from the t_s spacing of the first rows (no '{RecordingCommentLine.SampleRateKey}=' line): {problem}");
        }

        return rate;
    }

    private static double RoundToSixDigits(double rate)
    {
        var digits = 5 - (int)Math.Floor(Math.Log10(rate));
        if (digits is >= 0 and <= 15)
        {
            return Math.Round(rate, digits);
        }

        var scale = Math.Pow(10, -digits);
        return digits < 0 ? Math.Round(rate / scale) * scale : rate;
    }

    [MethodImpl(HotPath.Compiled)]
    private bool NextNonBlankLine(out ReadOnlySpan<byte> line)
    {
        while (_lines.TryReadLine(out line))
        {
            _lineNumber++;
            // A first byte above the space is no ASCII white space, so the line is not blank (every data row):
            // the trim is left for the lines that start with white space.
            if (!line.IsEmpty && (line[0] > (byte)' ' || !line[Ascii.Trim(line)].IsEmpty))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The comment line and header, decoded: read once per file, so a string is fine here.</summary>
    private string? NextNonBlankTextLine()
    {
        if (!NextNonBlankLine(out var line))
        {
            return null;
        }

        if (_lines.LastLineWasCut)
        {
            throw new RecordingFormatException(SourceName, _lineNumber, null, LineTooLong("comment line or header"));
        }

        return Encoding.UTF8.GetString(line);
    }
}

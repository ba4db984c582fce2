using System.Globalization;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// Writes a recording (docs/recording-format.md): the comment line with the sample rate and metadata, the
/// header, then one row per <see cref="Write"/>. Numbers are formatted into a reused buffer, so a row
/// allocates nothing. The writer does not own or dispose the <see cref="TextWriter"/>.
/// </summary>
public sealed class RecordingWriter
{
    private readonly TextWriter _writer;
    private readonly string _timeFormat;
    private readonly string _newLine;
    private readonly int _siteCount;
    private char[] _row = new char[256];
    private double _previousTime = double.NegativeInfinity;

    /// <summary>Writes the comment line and the header for <paramref name="layout"/>.</summary>
    /// <exception cref="ArgumentException">A metadata key is invalid or is the reserved <c>sample_rate_hz</c>, or a value has a control character.</exception>
    public RecordingWriter(TextWriter writer, RecordingLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var (key, value) in layout.Metadata)
        {
            if (!RecordingCommentLine.IsValidKey(key) || key == RecordingCommentLine.SampleRateKey)
            {
                throw new ArgumentException($"Metadata key '{key}' is not allowed (letters, digits, '_', '.', '-', starting with a letter; not {RecordingCommentLine.SampleRateKey}).", nameof(layout));
            }

            if (!RecordingCommentLine.IsValidValue(value))
            {
                throw new ArgumentException($"Metadata '{key}' contains a line break or another control character.", nameof(layout));
            }
        }

        _writer = writer;
        _newLine = writer.NewLine;
        Layout = layout;
        _siteCount = layout.Sites.Count;
        TimeDecimals = DecimalsForClock(layout.SampleRateHz);
        _timeFormat = "F" + TimeDecimals.ToString(CultureInfo.InvariantCulture);
        _writer.WriteLine(RecordingCommentLine.Format(layout));
        _writer.WriteLine(string.Join(',', layout.Columns));
    }

    /// <summary>The layout being written.</summary>
    public RecordingLayout Layout { get; }

    /// <summary>
    /// Decimals written for t_s: the fewest (at most 9) that represent every multiple of the sample period
    /// exactly, e.g. 3 at 1000 Hz, 5 at 4000 Hz, 9 (nanoseconds) when the period has no short decimal form.
    /// </summary>
    public int TimeDecimals { get; }

    /// <summary>Rows written so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>
    /// Writes one row. EMG, temperature and acceleration are written in the shortest form that reads back as
    /// the same <see cref="float"/>; slow signals the frame does not carry leave their cells empty.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite, time does not increase, or the frame has the wrong site count.</exception>
    public void Write(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.EmgMillivolts.Length != _siteCount)
        {
            throw new ArgumentException($"The frame has {frame.EmgMillivolts.Length} EMG sites, the layout {_siteCount}.", nameof(frame));
        }

        if (!double.IsFinite(frame.TimeSeconds) || frame.TimeSeconds < 0 || frame.TimeSeconds <= _previousTime)
        {
            throw new ArgumentException($"Row time {frame.TimeSeconds} s must be finite, non-negative and after the previous row's {_previousTime} s.", nameof(frame));
        }

        int length;
        while (!TryFormatRow(frame, _row, out length))
        {
            Array.Resize(ref _row, _row.Length * 2);
        }

        _writer.Write(_row.AsSpan(0, length));

        _previousTime = frame.TimeSeconds;
        RowsWritten++;
    }

    /// <summary>Flushes the underlying writer.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Returns false when the buffer is too small; throws on non-finite values.</summary>
    private bool TryFormatRow(RecordingFrame frame, Span<char> row, out int length)
    {
        length = 0;
        var at = 0;
        if (!frame.TimeSeconds.TryFormat(row, out var written, _timeFormat, CultureInfo.InvariantCulture))
        {
            return false;
        }

        at += written;
        for (var i = 0; i < _siteCount; i++)
        {
            if (!TryAppend(row, ref at, frame.EmgMillivolts[i], Layout.Sites[i]))
            {
                return false;
            }
        }

        if (Layout.HasSkinTemperature)
        {
            if (!(frame.HasSkinTemperature
                ? TryAppend(row, ref at, frame.SkinTemperatureCelsius, RecordingLayout.SkinTemperatureColumn)
                : TryAppendEmpty(row, ref at, 1)))
            {
                return false;
            }
        }

        if (Layout.HasAcceleration)
        {
            if (!(frame.HasAcceleration
                ? TryAppend(row, ref at, frame.AccelerationXG, "acc.x") && TryAppend(row, ref at, frame.AccelerationYG, "acc.y") && TryAppend(row, ref at, frame.AccelerationZG, "acc.z")
                : TryAppendEmpty(row, ref at, 3)))
            {
                return false;
            }
        }

        if (at + _newLine.Length > row.Length)
        {
            return false;
        }

        _newLine.AsSpan().CopyTo(row[at..]);
        length = at + _newLine.Length;
        return true;
    }

    private static bool TryAppend(Span<char> row, ref int at, float value, string column)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentException($"Column {column}: {value} is not a finite number.", nameof(value));
        }

        if (at >= row.Length)
        {
            return false;
        }

        row[at] = ',';
        if (!value.TryFormat(row[(at + 1)..], out var written, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        at += 1 + written;
        return true;
    }

    private static bool TryAppendEmpty(Span<char> row, ref int at, int cells)
    {
        if (at + cells > row.Length)
        {
            return false;
        }

        row.Slice(at, cells).Fill(',');
        at += cells;
        return true;
    }

    private static int DecimalsForClock(double sampleRateHz)
    {
        for (var decimals = 0; decimals <= 9; decimals++)
        {
            var periodsPerUnit = Math.Pow(10, decimals) / sampleRateHz;
            if (Math.Abs(periodsPerUnit - Math.Round(periodsPerUnit)) < 1e-9 * Math.Max(1, periodsPerUnit))
            {
                return decimals;
            }
        }

        return 9;
    }
}

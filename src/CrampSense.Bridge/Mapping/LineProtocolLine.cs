using System.Globalization;
using System.Text;

namespace CrampSense.Bridge.Mapping;

/// <summary>
/// One line of InfluxDB line protocol, written straight into a reused buffer: measurement, tags, fields and a
/// millisecond timestamp, escaped as InfluxDB.Client's <c>PointData</c> escapes them and with the same number formats
/// (doubles shortest round-trip, integers with <c>i</c>), so the lines are the ones the client would write.
/// </summary>
/// <remarks>
/// Why not <c>PointData</c>: it is immutable, so each <c>Tag</c> and <c>Field</c> call copies a sorted dictionary
/// and boxes the value; for a cramp event's 3 tags and 13 fields that was 7–9 µs of thread CPU per message (up to 18
/// on the loaded machine; BridgeMessageBenchmarks), about as much as the whole JSON and schema check; this is 4 µs.
/// The caller adds tags and fields in key order (ordinal), as <c>PointData</c> sorts them. Not thread-safe; one per thread (<see cref="Start"/>).
/// </remarks>
internal sealed class LineProtocolLine
{
    [ThreadStatic]
    private static LineProtocolLine? _perThread;

    private readonly StringBuilder _text = new(512);
    private bool _hasField;

    private LineProtocolLine()
    {
    }

    /// <summary>This thread's line, emptied, starting with <paramref name="measurement"/>.</summary>
    public static LineProtocolLine Start(string measurement)
    {
        var line = _perThread ??= new LineProtocolLine();
        line._text.Clear();
        line._hasField = false;
        line.Escape(measurement, escapeEquals: false);
        return line;
    }

    /// <summary>A tag (left out when the value is empty, as <c>PointData</c> does).</summary>
    public LineProtocolLine Tag(string key, string value)
    {
        if (value.Length > 0)
        {
            _text.Append(',');
            Escape(key, escapeEquals: true);
            _text.Append('=');
            Escape(value, escapeEquals: true);
        }

        return this;
    }

    /// <summary>A float field; NaN and infinities are left out (line protocol has no notation for them).</summary>
    public LineProtocolLine Field(string key, double value)
    {
        if (double.IsFinite(value))
        {
            Key(key);
            Span<char> digits = stackalloc char[32];
            value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            _text.Append(digits[..written]);
        }

        return this;
    }

    /// <summary>A float field when there is a value.</summary>
    public LineProtocolLine Field(string key, double? value) => value is { } number ? Field(key, number) : this;

    /// <summary>An integer field (<c>7i</c>).</summary>
    public LineProtocolLine Field(string key, long value)
    {
        Key(key);
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        _text.Append(digits[..written]).Append('i');
        return this;
    }

    /// <summary>A string field, quoted, with quotes and backslashes escaped; left out when null.</summary>
    public LineProtocolLine Field(string key, string? value)
    {
        if (value is not null)
        {
            Key(key);
            _text.Append('"');
            foreach (var c in value)
            {
                if (c is '\\' or '"')
                {
                    _text.Append('\\');
                }

                _text.Append(c);
            }

            _text.Append('"');
        }

        return this;
    }

    /// <summary>The whole line with its timestamp (Unix milliseconds).</summary>
    public string End(long unixMilliseconds)
    {
        _text.Append(' ');
        Span<char> digits = stackalloc char[24];
        unixMilliseconds.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return _text.Append(digits[..written]).ToString();
    }

    private void Key(string key)
    {
        _text.Append(_hasField ? ',' : ' ');
        _hasField = true;
        Escape(key, escapeEquals: true);
        _text.Append('=');
    }

    private void Escape(string text, bool escapeEquals)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    _text.Append("\\n");
                    continue;
                case '\r':
                    _text.Append("\\r");
                    continue;
                case '\t':
                    _text.Append("\\t");
                    continue;
                case ' ' or ',':
                case '=' when escapeEquals:
                    _text.Append('\\');
                    break;
            }

            _text.Append(c);
        }
    }
}

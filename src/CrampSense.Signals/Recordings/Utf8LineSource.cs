using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// The lines of a recording as UTF-8 byte spans over one pooled buffer, so that reading a row allocates nothing
/// (issue 17: a string per row made CSV parsing about half of a replay's time and filled the GC's budget).
/// </summary>
/// <remarks>
/// Why not <see cref="TextReader.ReadLine"/> or <c>System.IO.Pipelines</c>: the first allocates a string per line;
/// the second gives segmented sequences and an async API, while the reader is synchronous and needs a line as one
/// contiguous span. A line's span is valid until the next call. From a <see cref="TextReader"/> (in-memory text,
/// tests) each line is encoded into the same buffer, so both sources go through one row parser.
/// </remarks>
internal sealed class Utf8LineSource : IDisposable
{
    /// <summary>
    /// Longest line kept whole. A recording row is under 200 bytes; a longer line is a broken file, and keeping it
    /// would let one line take the memory of a whole night's recording. The rest of such a line is skipped.
    /// </summary>
    public const int MaximumLineBytes = 1 << 20;

    private const int InitialBufferBytes = 1 << 16;

    /// <summary>How much of a cut line is kept: enough for any message, which echoes at most 200 characters.</summary>
    private const int CutLinePrefixBytes = 1024;

    private readonly byte[] _cutPrefix = new byte[CutLinePrefixBytes];

    private readonly Stream? _stream;
    private readonly TextReader? _text;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private readonly bool _holdUnterminatedLine;
    private bool _endOfStream;
    private bool _atFileStart = true;

    /// <param name="stream">The bytes to read.</param>
    /// <param name="holdUnterminatedLine">
    /// The stream is a file still being written: at its current end, a line without a line end is not returned but
    /// kept, and the next call reads on from it (the writer may have finished it since), so no partial line is ever
    /// returned and none is lost. <see cref="LastLineWasUnterminated"/> is then never true.
    /// </param>
    public Utf8LineSource(Stream stream, bool holdUnterminatedLine = false)
    {
        _stream = stream;
        _holdUnterminatedLine = holdUnterminatedLine;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    public Utf8LineSource(TextReader text)
    {
        _text = text;
        _buffer = ArrayPool<byte>.Shared.Rent(1024);
    }

    /// <summary>True when the line returned last was longer than <see cref="MaximumLineBytes"/> and was cut there.</summary>
    public bool LastLineWasCut { get; private set; }

    /// <summary>
    /// True when the line returned last ended the stream without a line end: a file still being written (or cut
    /// short) ends in such a line, which may be incomplete. Always false for a <see cref="TextReader"/>, which
    /// cannot tell.
    /// </summary>
    public bool LastLineWasUnterminated { get; private set; }

    /// <summary>Reads the next line without its line end (LF or CRLF); false at the end.</summary>
    [MethodImpl(HotPath.Compiled)]
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        LastLineWasCut = false;
        LastLineWasUnterminated = false;
        return _stream is not null ? TryReadStreamLine(out line) : TryReadTextLine(out line);
    }

    private bool TryReadTextLine(out ReadOnlySpan<byte> line)
    {
        var text = _text!.ReadLine();
        if (text is null)
        {
            line = default;
            return false;
        }

        var chars = text.AsSpan();
        if (chars.Length > MaximumLineBytes)
        {
            chars = chars[..MaximumLineBytes];
            LastLineWasCut = true;
        }

        var needed = Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (needed > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(needed);
        }

        line = _buffer.AsSpan(0, Encoding.UTF8.GetBytes(chars, _buffer));
        return true;
    }

    [MethodImpl(HotPath.Compiled)]
    private bool TryReadStreamLine(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = searched + newline;
                line = TakeLine(length, consumed: length + 1);
                return true;
            }

            searched = _end - _start;
            if (searched >= MaximumLineBytes)
            {
                // Keep a prefix for the error message: skipping the rest refills the buffer under the line.
                var prefix = TakeLine(CutLinePrefixBytes, consumed: MaximumLineBytes);
                prefix.CopyTo(_cutPrefix);
                line = _cutPrefix.AsSpan(0, prefix.Length);
                LastLineWasCut = true;
                SkipToNextLine();
                return true;
            }

            if (_endOfStream || !Fill())
            {
                if (_holdUnterminatedLine)
                {
                    // Not the end, only as far as the writer has got: the next call reads again.
                    _endOfStream = false;
                    line = default;
                    return false;
                }

                if (_end == _start)
                {
                    line = default;
                    return false;
                }

                line = TakeLine(_end - _start, consumed: _end - _start);
                LastLineWasUnterminated = true;
                return true;
            }
        }
    }

    [MethodImpl(HotPath.Compiled)]
    private ReadOnlySpan<byte> TakeLine(int length, int consumed)
    {
        var line = _buffer.AsSpan(_start, length);
        _start += consumed;
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (_atFileStart)
        {
            _atFileStart = false;
            if (line.StartsWith(Encoding.UTF8.Preamble))
            {
                line = line[Encoding.UTF8.Preamble.Length..];
            }
        }

        return line;
    }

    /// <summary>Reads more bytes behind the unconsumed ones, moving or growing the buffer as needed; false at the end.</summary>
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaximumLineBytes + InitialBufferBytes));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        _end += read;
        return true;
    }

    /// <summary>Drops the rest of an over-long line, up to and including its line end.</summary>
    private void SkipToNextLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return;
            }

            _start = _end;
            if (_endOfStream || !Fill())
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}

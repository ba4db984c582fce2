namespace CrampSense.Signals.Recordings;

/// <summary>How a <see cref="RecordingReader"/> treats bad rows.</summary>
public sealed record RecordingReaderOptions
{
    /// <summary>The defaults: a bad row is an error.</summary>
    public static RecordingReaderOptions Default { get; } = new();

    /// <summary>
    /// When true, a malformed data row is skipped and counted in <see cref="RecordingReader.SkippedRows"/>
    /// instead of throwing. Header and comment-line errors always throw: without them nothing can be read.
    /// </summary>
    public bool SkipBadRows { get; init; }

    /// <summary>
    /// When true, the stream is a file that is still being written (a clip, a growing CSV; open it with
    /// <see cref="RecordingReader.OpenFile"/>): <see cref="RecordingReader.TryReadFrame"/> returns false at the rows
    /// written so far, never reads a last line that has no line end yet (a partial row, even one that would parse),
    /// and, called again after the writer has added more, reads on from there. A finished file must then end its
    /// last row with a line end, as <see cref="RecordingWriter"/> does. Ignored for a <see cref="TextReader"/>.
    /// </summary>
    public bool StillBeingWritten { get; init; }

    /// <summary>How many skip reasons <see cref="RecordingReader.SkipReasons"/> keeps (the first ones).</summary>
    public int MaxKeptSkipReasons { get; init; } = 10;
}

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

    /// <summary>How many skip reasons <see cref="RecordingReader.SkipReasons"/> keeps (the first ones).</summary>
    public int MaxKeptSkipReasons { get; init; } = 10;
}

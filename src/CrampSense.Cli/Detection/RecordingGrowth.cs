namespace CrampSense.Cli.Detection;

/// <summary>What a followed recording did while the reader waited at its current end (<c>replay --follow</c>).</summary>
internal enum RecordingGrowth
{
    /// <summary>The file is longer than when the wait began: read on.</summary>
    Grew,

    /// <summary>The file no longer exists under its name (the writer renamed a finished <c>.partial</c>, or deleted it): what was written before is still read through the open handle, then the replay ends.</summary>
    Gone,

    /// <summary>Nothing was appended for the idle time: the writer has stopped, the replay ends.</summary>
    Idle,

    /// <summary>The user stopped the command (Ctrl-C): the replay ends with what was read.</summary>
    Cancelled,
}

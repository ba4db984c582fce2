using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>A clip ready to be written: its name (no extension), its layout, frames from t = 0 and its label.</summary>
public sealed record Clip(string Name, RecordingLayout Layout, IReadOnlyList<RecordingFrame> Frames, ClipLabel Label);

/// <summary>The port where clips are kept (a folder on the device): implemented at the edge.</summary>
public interface IClipStore
{
    /// <summary>Writes <paramref name="clip"/> so that a reader sees all of it or nothing; returns the bytes written.</summary>
    /// <exception cref="IOException">The disk is full or failing.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    long Save(Clip clip, CancellationToken cancellationToken);
}

/// <summary>What happened to clips, for logs and fault reports; called from the detection or the writer thread.</summary>
public interface IClipObserver
{
    /// <summary>A clip is on disk.</summary>
    void OnClipSaved(Clip clip, long bytes);

    /// <summary>A clip was dropped (queue full) or could not be written (disk full, folder gone).</summary>
    void OnClipFailed(string name, ClipFailure failure, string reason);
}

/// <summary>Why a clip is not on disk.</summary>
public enum ClipFailure
{
    /// <summary>The writer's queue was full: the clip was dropped, the disk is fine.</summary>
    Dropped,

    /// <summary>The disk (or the user's disk quota) is full.</summary>
    DiskFull,

    /// <summary>Another write error: the folder is gone, not writable, the medium fails.</summary>
    WriteFailed,
}

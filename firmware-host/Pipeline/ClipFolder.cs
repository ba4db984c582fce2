using CrampSense.Signals.Recordings;
using CrampSense.Wearable;
using CrampSense.Wearable.Clips;
using CrampSense.Wearable.Feedback;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The clips on the device (<c>Clips:Folder</c>): <c>&lt;name&gt;.csv</c> in the recording format beside its
/// <c>&lt;name&gt;.truth.json</c> (<see cref="ClipLabel"/>). A clip is written atomically: both files go to hidden
/// <c>.&lt;file&gt;.partial</c> names, are flushed to the disk (fsync), and are renamed sidecar first, recording last, so a
/// reader (which takes only <c>*.csv</c> with a sidecar) sees a whole clip or none, even after a kill -9 or a power
/// cut mid-write. What a killed writer left is deleted when the service starts (<see cref="RemoveUnfinished"/>), and
/// partial files are deleted by a later write once they are 10 minutes old. After each write, clips older than
/// <c>Clips:RetentionDays</c> are deleted, then the oldest until the folder is under <c>Clips:QuotaMegabytes</c>.
/// Feedback relabels clips (<see cref="IClipLabels"/>) from the dispatcher's thread while the writer saves from its
/// own, so both take one lock (they share the sidecar's partial name); a label decided before its clip is written
/// goes into the clip as it is saved.
/// </summary>
internal sealed class ClipFolder(string folder, ClipOptions options, TimeProvider time) : IClipStore, IClipLabels
{
    /// <summary>Suffix of a file still being written.</summary>
    public const string PartialSuffix = ClipFiles.PartialSuffix;

    private const string RecordingExtension = ClipFiles.RecordingExtension;
    private const int CancellationCheckRows = 4096;
    private static readonly TimeSpan StalePartialAge = TimeSpan.FromMinutes(10);

    private const int MaxWaitingLabels = 512;
    private readonly Lock _gate = new();
    private readonly BoundedMap<Func<ClipLabel, ClipLabel>> _waitingLabels = new(MaxWaitingLabels);

    public string Path { get; } = folder ?? throw new ArgumentNullException(nameof(folder));

    /// <summary>A clip on disk: its recording, its sidecar and its label.</summary>
    public sealed record Entry(string RecordingPath, string SidecarPath, ClipLabel Label, long Bytes);

    /// <inheritdoc />
    public long Save(Clip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        lock (_gate)
        {
            if (_waitingLabels.TryRemove(clip.Label.EventId, out var change))
            {
                clip = clip with { Label = change(clip.Label) };
            }

            return SaveLocked(clip, cancellationToken);
        }
    }

    /// <inheritdoc />
    public bool RelabelSaved(string eventId, Func<ClipLabel, ClipLabel> change)
    {
        lock (_gate)
        {
            return Relabel(eventId, change);
        }
    }

    /// <inheritdoc />
    public void RelabelWhenSaved(string eventId, Func<ClipLabel, ClipLabel> change)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _waitingLabels.Set(eventId, change);
        }
    }

    private long SaveLocked(Clip clip, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path);
        DeletePartials();
        var recording = System.IO.Path.Combine(Path, clip.Name + RecordingExtension);
        var sidecar = GroundTruth.SidecarPathFor(recording);
        var recordingTemp = ClipFiles.PartialPath(recording);
        var sidecarTemp = ClipFiles.PartialPath(sidecar);
        try
        {
            ClipFiles.WriteDurably(recordingTemp, text =>
            {
                var writer = new RecordingWriter(text, clip.Layout);
                for (var i = 0; i < clip.Frames.Count; i++)
                {
                    if (i % CancellationCheckRows == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    writer.Write(clip.Frames[i]);
                }
            });
            ClipFiles.WriteDurably(sidecarTemp, text => text.Write(clip.Label.ToJson()));
            File.Move(sidecarTemp, sidecar, overwrite: true);
            File.Move(recordingTemp, recording, overwrite: false);
        }
        catch
        {
            ClipFiles.TryDelete(recordingTemp);
            ClipFiles.TryDelete(sidecarTemp);
            throw;
        }

        var bytes = new FileInfo(recording).Length + new FileInfo(sidecar).Length;
        Enforce(keep: recording);
        return bytes;
    }

    /// <summary>
    /// The whole clips, oldest first; a file without its partner or with an unreadable sidecar is not a clip (not one
    /// this service wrote, or damaged): left alone, and not counted as one.
    /// </summary>
    public IReadOnlyList<Entry> List() =>
        [.. ClipFiles.Scan(Path).Clips.Select(e => new Entry(e.RecordingPath, e.SidecarPath, e.Label, e.Bytes))];

    /// <summary>Rewrites the sidecar of the clip of <paramref name="eventId"/> (atomically); false when there is none.</summary>
    public bool Relabel(string eventId, Func<ClipLabel, ClipLabel> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var found = false;
        foreach (var entry in List())
        {
            if (entry.Label.EventId != eventId)
            {
                continue;
            }

            ClipFiles.WriteLabel(entry.SidecarPath, change(entry.Label));
            found = true;
        }

        return found;
    }

    private void Enforce(string keep)
    {
        var entries = List();
        var total = entries.Sum(e => e.Bytes);
        var expiry = time.GetUtcNow() - options.Retention;
        foreach (var entry in entries)
        {
            var expired = entry.Label.RecordedAt < expiry;
            if (entry.RecordingPath == keep || (!expired && total <= options.QuotaBytes))
            {
                continue;
            }

            // Recording first: without it the sidecar is an orphan that List ignores.
            File.Delete(entry.RecordingPath);
            File.Delete(entry.SidecarPath);
            total -= entry.Bytes;
        }
    }

    /// <summary>
    /// Deletes what a writer killed mid-clip left (kill -9, power cut): every recording's partial file, and the partial
    /// sidecars of clips whose recording is not on disk. Called once when the service starts, before its writer runs:
    /// one service writes a folder's recordings, so none of them can still be at work. A partial sidecar beside a
    /// whole recording may be a relabelling at work (<c>crampsense clips relabel</c>); it is left to the stale rule.
    /// </summary>
    /// <returns>The files deleted.</returns>
    public IReadOnlyList<string> RemoveUnfinished()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        var removed = new List<string>();
        lock (_gate)
        {
            foreach (var partial in Directory.EnumerateFiles(Path, ".*" + PartialSuffix))
            {
                var name = System.IO.Path.GetFileName(partial)[1..^PartialSuffix.Length];
                var isRecording = name.EndsWith(RecordingExtension, StringComparison.Ordinal);
                var recordingOfSidecar = name.EndsWith(GroundTruth.SidecarSuffix, StringComparison.Ordinal)
                    ? System.IO.Path.Combine(Path, name[..^GroundTruth.SidecarSuffix.Length] + RecordingExtension)
                    : null;
                if (isRecording || (recordingOfSidecar is not null && !File.Exists(recordingOfSidecar)))
                {
                    File.Delete(partial);
                    removed.Add(partial);
                }
            }
        }

        return removed;
    }

    /// <summary>The default folder: beside the outbox, named after it (<c>outbox-pi.db</c> → <c>outbox-pi.clips</c>), like the cramp history.</summary>
    public static string PathBeside(string outboxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outboxPath);
        var full = System.IO.Path.GetFullPath(outboxPath);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileNameWithoutExtension(full) + ".clips");
    }

    // Partial files of a writer that was killed. Only old ones: a clip takes well under a second to write, and a
    // young partial file may belong to another writer on the same folder that is still at work.
    private void DeletePartials()
    {
        var before = time.GetUtcNow().UtcDateTime - StalePartialAge;
        foreach (var partial in Directory.EnumerateFiles(Path, "*" + PartialSuffix))
        {
            if (File.GetLastWriteTimeUtc(partial) < before)
            {
                ClipFiles.TryDelete(partial);
            }
        }
    }
}

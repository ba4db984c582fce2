using System.Text;
using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// The files of clips in a folder, for the service (<c>ClipFolder</c> in firmware-host) and the desktop tool
/// (<c>crampsense clips</c>): a clip is <c>&lt;name&gt;.csv</c> beside its <c>&lt;name&gt;.truth.json</c> (a
/// <see cref="ClipLabel"/>). One writer of files (<see cref="WriteDurably"/>: a hidden <c>.&lt;file&gt;.partial</c>,
/// fsync, rename) and one sidecar writer (<see cref="WriteLabel"/>), so a reader sees a whole clip and a whole label
/// or none, whoever wrote it.
/// </summary>
public static class ClipFiles
{
    /// <summary>Suffix of a file still being written.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Extension of a clip's recording.</summary>
    public const string RecordingExtension = ".csv";

    /// <summary>A clip on disk: its recording, its sidecar and its label.</summary>
    public sealed record Entry(string RecordingPath, string SidecarPath, ClipLabel Label, long Bytes);

    /// <summary>A file in a clip folder that looks like a clip but is not one, and why.</summary>
    public sealed record Problem(string Path, string Reason);

    /// <summary>
    /// The whole clips in <paramref name="folder"/>, oldest first (names start with the UTC time written), and the
    /// recordings that are not clips (no sidecar, an unreadable sidecar) with the reason; hidden and partial files are
    /// neither. A missing folder has no clips.
    /// </summary>
    public static (IReadOnlyList<Entry> Clips, IReadOnlyList<Problem> Problems) Scan(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var entries = new List<Entry>();
        var problems = new List<Problem>();
        if (!Directory.Exists(folder))
        {
            return (entries, problems);
        }

        foreach (var recording in Directory.EnumerateFiles(folder, "*" + RecordingExtension).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(recording).StartsWith('.'))
            {
                continue;
            }

            try
            {
                entries.Add(Read(recording));
            }
            catch (Exception e) when (e is RecordingFormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new Problem(recording, e.Message));
            }
        }

        return (entries, problems);
    }

    /// <summary>The clip whose recording or sidecar is <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The recording or its sidecar is missing.</exception>
    /// <exception cref="RecordingFormatException">The sidecar is not a clip's; the message names the file and the key.</exception>
    public static Entry Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var recording = path.EndsWith(GroundTruth.SidecarSuffix, StringComparison.Ordinal)
            ? path[..^GroundTruth.SidecarSuffix.Length] + RecordingExtension
            : path;
        var sidecar = GroundTruth.SidecarPathFor(recording);
        if (!File.Exists(recording))
        {
            throw new FileNotFoundException($"{recording}: the clip's recording is missing", recording);
        }

        if (!File.Exists(sidecar))
        {
            throw new FileNotFoundException($"{sidecar}: the clip's sidecar is missing (a recording without one is not a clip)", sidecar);
        }

        var label = ClipLabel.Parse(File.ReadAllText(sidecar), sidecar);
        return new Entry(recording, sidecar, label, new FileInfo(recording).Length + new FileInfo(sidecar).Length);
    }

    /// <summary>Replaces the sidecar at <paramref name="sidecarPath"/> with <paramref name="label"/>, atomically.</summary>
    public static void WriteLabel(string sidecarPath, ClipLabel label)
    {
        ArgumentException.ThrowIfNullOrEmpty(sidecarPath);
        ArgumentNullException.ThrowIfNull(label);
        var temp = PartialPath(sidecarPath);
        try
        {
            WriteDurably(temp, text => text.Write(label.ToJson()));
            File.Move(temp, sidecarPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The hidden name a file is written under before it is renamed: <c>dir/.&lt;file&gt;.partial</c>.</summary>
    public static string PartialPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + PartialSuffix);

    /// <summary>Writes <paramref name="path"/> as UTF-8 (no byte-order mark, LF) and flushes it to the disk.</summary>
    public static void WriteDurably(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
        {
            write(text);
        }

        // fsync before the rename: otherwise a power cut can leave the new name on an empty or short file.
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// True when <paramref name="error"/> says the disk or the disk quota is full: .NET gives an I/O error on Unix
    /// the errno as its HResult (ENOSPC 28, Linux's EDQUOT 122), on Windows ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL
    /// as an HRESULT.
    /// </summary>
    public static bool IsDiskFull(IOException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        const int NoSpace = 28, QuotaExceeded = 122;
        const int DiskFull = unchecked((int)0x80070070), HandleDiskFull = unchecked((int)0x80070027);
        return error.HResult is NoSpace or QuotaExceeded or DiskFull or HandleDiskFull;
    }

    /// <summary>Deletes <paramref name="path"/> if it can; a file that cannot be deleted now is left for later.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted at the next write.
        }
    }
}

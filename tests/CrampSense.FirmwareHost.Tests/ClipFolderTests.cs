using System.Diagnostics;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>The clip folder on a real file system.</summary>
public sealed class ClipFolderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Save_AClip_WritesARecordingAndSidecarThatReadBackExactly()
    {
        var folder = Folder(new ClipOptions());
        var clip = Clip("20261202T030000000Z-cramp-calf-1000", "pi-01:calf:cramp:1000", Now, frames: 500);

        var bytes = folder.Save(clip, TestContext.Current.CancellationToken);

        var entry = Assert.Single(folder.List());
        Assert.Equal(bytes, entry.Bytes);
        Assert.Equal(clip.Label, entry.Label with { Intervals = clip.Label.Intervals });
        using var reader = new RecordingReader(File.OpenRead(entry.RecordingPath), entry.RecordingPath);
        var frame = reader.Layout.CreateFrame();
        var n = 0;
        while (reader.TryReadFrame(frame))
        {
            Assert.Equal(clip.Frames[n].EmgMillivolts, frame.EmgMillivolts);
            n++;
        }

        Assert.Equal(500, n);
        Assert.Equal("pi-01:calf:cramp:1000", reader.Layout.Metadata["clip.event_id"]);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*" + ClipFolder.PartialSuffix));
    }

    [Fact]
    public void List_PartialFilesOfAKilledWriter_AreNoClipAndALaterSaveDeletesTheStaleOnes()
    {
        var folder = Folder(new ClipOptions());
        Directory.CreateDirectory(folder.Path);
        // What a kill -9 mid-write leaves: both hidden partial files, the recording cut mid-row.
        var killedName = "20261202T020000000Z-cramp-calf-5";
        File.WriteAllText(Path.Combine(folder.Path, "." + killedName + ".truth.json" + ClipFolder.PartialSuffix), Clip(killedName, "x", Now, 3).Label.ToJson());
        File.WriteAllText(Path.Combine(folder.Path, "." + killedName + ".csv" + ClipFolder.PartialSuffix), "# crampsense-recording v1 sample_rate_hz=1000\nt_s,emg.calf\n0.000,0.1\n0.00");
        // ... or, killed between the renames, a sidecar without its recording.
        File.WriteAllText(Path.Combine(folder.Path, killedName + ".truth.json"), Clip(killedName, "y", Now, 3).Label.ToJson());

        Assert.Empty(folder.List());
        var young = Path.Combine(folder.Path, ".20261202T025959000Z-cramp-calf-7.csv" + ClipFolder.PartialSuffix);
        File.WriteAllText(young, "t_s,emg.calf\n"); // another writer's, still at work
        foreach (var partial in Directory.EnumerateFiles(folder.Path, "." + killedName + "*"))
        {
            File.SetLastWriteTimeUtc(partial, Now.UtcDateTime.AddHours(-1));
        }

        folder.Save(Clip("20261202T030000000Z-cramp-calf-9", "z", Now, 10), TestContext.Current.CancellationToken);
        Assert.Equal(["z"], folder.List().Select(e => e.Label.EventId));
        Assert.Equal([young], Directory.EnumerateFiles(folder.Path, "*" + ClipFolder.PartialSuffix));
    }

    [Fact]
    public void Save_InterruptedMidWrite_LeavesNoClipAndNoPartialFile()
    {
        var folder = Folder(new ClipOptions());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "a", Now, 10_000), cancelled.Token));

        Assert.Empty(folder.List());
        Assert.Empty(Directory.EnumerateFiles(folder.Path));
    }

    [Fact]
    public void Save_OverTheQuota_DeletesTheOldestClipsFirst()
    {
        var folder = Folder(new ClipOptions { QuotaMegabytes = 1 });
        var sizes = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            // About 240 kB each: the fifth passes 1 MiB.
            sizes.Add(folder.Save(Clip($"20261202T03000{i}000Z-cramp-calf-{i}", $"id-{i}", Now.AddSeconds(i), 12_000), TestContext.Current.CancellationToken));
        }

        var kept = folder.List();
        Assert.True(kept.Sum(e => e.Bytes) <= 1024 * 1024, $"{kept.Sum(e => e.Bytes)} bytes kept");
        Assert.Equal("id-5", kept[^1].Label.EventId);
        var first = int.Parse(kept[0].Label.EventId[3..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, 6 - first).Select(i => $"id-{i}"), kept.Select(e => e.Label.EventId));
        Assert.True(first > 0);
    }

    [Fact]
    public void Save_AfterTheRetention_DeletesExpiredClips()
    {
        var time = new FakeTimeProvider(Now);
        var folder = Folder(new ClipOptions { RetentionDays = 1 }, time);
        folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "old", Now, 10), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromDays(2));

        folder.Save(Clip("20261204T030000000Z-cramp-calf-2", "new", Now.AddDays(2), 10), TestContext.Current.CancellationToken);

        Assert.Equal(["new"], folder.List().Select(e => e.Label.EventId));
    }

    [Fact]
    public void Relabel_AKnownEvent_RewritesItsSidecarOnly()
    {
        var folder = Folder(new ClipOptions());
        folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "a", Now, 10), TestContext.Current.CancellationToken);
        folder.Save(Clip("20261202T030001000Z-cramp-calf-2", "b", Now, 10), TestContext.Current.CancellationToken);

        Assert.True(folder.Relabel("a", l => l.With(ClipStatus.Rejected)));
        Assert.False(folder.Relabel("unknown", l => l.With(ClipStatus.Rejected)));

        Assert.Equal([("a", ClipStatus.Rejected), ("b", ClipStatus.Unconfirmed)], folder.List().Select(e => (e.Label.EventId, e.Label.Status)));
    }

    [Fact]
    public void RelabelWhenSaved_BeforeTheClipIsWritten_TheClipIsSavedWithTheNewLabelAndNothingIsOnDiskToChangeBefore()
    {
        var folder = Folder(new ClipOptions());

        Assert.False(folder.RelabelSaved("a", l => l.With(ClipStatus.Rejected)));
        folder.RelabelWhenSaved("a", l => l.With(ClipStatus.Rejected));
        folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "a", Now, 10), TestContext.Current.CancellationToken);
        folder.Save(Clip("20261202T030001000Z-cramp-calf-2", "b", Now, 10), TestContext.Current.CancellationToken);

        Assert.Equal([("a", ClipStatus.Rejected), ("b", ClipStatus.Unconfirmed)], folder.List().Select(c => (c.Label.EventId, c.Label.Status)));
        Assert.True(folder.RelabelSaved("b", l => l.With(ClipStatus.Confirmed)));
        Assert.Equal(ClipStatus.Confirmed, folder.List()[1].Label.Status);
    }

    [Fact]
    public async Task Save_KilledWithSigkillMidWrite_LeavesNoClipAReaderAcceptsAndRemoveUnfinishedDeletesWhatItLeft()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestHosts.TempPath("clips");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "clip-writer-child.dll"), path, "200000", "20000"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using (var child = Process.Start(info) ?? throw new InvalidOperationException("clip-writer-child did not start."))
        {
            try
            {
                Assert.Equal("whole clip saved", await child.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct));
                Assert.Equal("stalled mid-write", await child.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct));
                var partial = Path.Combine(path, ".20261202T030100000Z-cramp-calf-2.csv" + ClipFolder.PartialSuffix);
                Assert.True(new FileInfo(partial).Length > 0, "the child stalled before any of the clip reached the disk");
            }
            finally
            {
                child.Kill(); // SIGKILL
                await child.WaitForExitAsync(ct);
            }
        }

        var (clips, problems) = ClipFiles.Scan(path);
        Assert.Equal(["whole"], clips.Select(c => c.Label.EventId));
        Assert.Empty(problems);
        var left = Directory.GetFiles(path, "*" + ClipFolder.PartialSuffix);
        Assert.NotEmpty(left);
        Assert.All(left, file => Assert.Throws<FileNotFoundException>(() => ClipFiles.Read(file)));

        var removed = Folder(path, new ClipOptions()).RemoveUnfinished();

        Assert.Equal(left.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(path, "*" + ClipFolder.PartialSuffix));
        Assert.Equal(["whole"], ClipFiles.Scan(path).Clips.Select(c => c.Label.EventId));
    }

    [Fact]
    public void RemoveUnfinished_APartialSidecarBesideAWholeRecording_IsARelabellingAtWorkAndIsKept()
    {
        var folder = Folder(new ClipOptions());
        folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "a", Now, 10), TestContext.Current.CancellationToken);
        var relabelling = ClipFiles.PartialPath(Path.Combine(folder.Path, "20261202T030000000Z-cramp-calf-1.truth.json"));
        var orphan = ClipFiles.PartialPath(Path.Combine(folder.Path, "20261202T030001000Z-cramp-calf-2.truth.json"));
        var recording = ClipFiles.PartialPath(Path.Combine(folder.Path, "20261202T030001000Z-cramp-calf-2.csv"));
        File.WriteAllText(relabelling, "{");
        File.WriteAllText(orphan, "{");
        File.WriteAllText(recording, "t_s,emg.calf\n");

        var removed = folder.RemoveUnfinished();

        Assert.Equal([recording, orphan], removed.Order(StringComparer.Ordinal));
        Assert.Equal([relabelling], Directory.GetFiles(folder.Path, "*" + ClipFolder.PartialSuffix));
        Assert.Equal(["a"], folder.List().Select(e => e.Label.EventId));
    }

    private static ClipFolder Folder(string path, ClipOptions options) => new(path, options, new FakeTimeProvider(Now));

    private static ClipFolder Folder(ClipOptions options, TimeProvider? time = null) =>
        new(TestHosts.TempPath("clips"), options, time ?? new FakeTimeProvider(Now));

    private static Clip Clip(string name, string eventId, DateTimeOffset at, int frames)
    {
        var layout = new RecordingLayout(1000, ["calf", "foot"], hasSkinTemperature: false, hasAcceleration: true);
        var list = new List<RecordingFrame>(frames);
        for (var n = 0; n < frames; n++)
        {
            var frame = layout.CreateFrame();
            frame.TimeSeconds = n / 1000.0;
            frame.EmgMillivolts[0] = (float)Math.Sin(n * 0.37) * 0.4f;
            frame.EmgMillivolts[1] = (float)Math.Cos(n * 0.11) * 0.2f;
            frame.HasAcceleration = n % 10 == 0;
            frame.AccelerationZG = 0.98f;
            list.Add(frame);
        }

        var metadata = new Dictionary<string, string> { ["clip.event_id"] = eventId };
        var label = new ClipLabel
        {
            Intervals = [new TruthInterval(TruthKind.Cramp, "calf", 0.1, 0.2)],
            Origin = ClipLabel.Detected,
            Trigger = ClipRecorder.CrampTrigger,
            EventId = eventId,
            Device = "pi-01",
            RecordedAt = at,
        };
        return new Clip(name, new RecordingLayout(1000, layout.Sites, false, true, metadata), list, label);
    }
}

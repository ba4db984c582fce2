using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipWriterTests
{
    [Fact]
    public void TryEnqueue_AFullQueue_DropsTheClipAndReportsIt()
    {
        var observer = new Observer();
        var writer = new ClipWriter(1, observer);

        Assert.True(writer.TryEnqueue(Clip("first")));
        Assert.False(writer.TryEnqueue(Clip("second")));

        var (name, failure, reason) = Assert.Single(observer.Failed);
        Assert.Equal(("second", ClipFailure.Dropped), (name, failure));
        Assert.Contains("queue is full", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AFailingDisk_ReportsEachClipAndGoesOn()
    {
        var observer = new Observer();
        var writer = new ClipWriter(4, observer);
        var store = new Store { FailFirst = true };
        writer.TryEnqueue(Clip("full"));
        writer.TryEnqueue(Clip("next"));
        writer.Complete();

        await writer.RunAsync(store, TestContext.Current.CancellationToken);

        Assert.Equal([("full", ClipFailure.DiskFull, "No space left on device")], observer.Failed);
        Assert.Equal(["next"], observer.Saved);
    }

    [Fact]
    public async Task RunAsync_AFolderThatIsGone_ReportsAWriteFailureNotAFullDisk()
    {
        var observer = new Observer();
        var writer = new ClipWriter(4, observer);
        var store = new Store { FailFirst = true, Failure = new DirectoryNotFoundException("Could not find a part of the path '/media/clips'.") };
        writer.TryEnqueue(Clip("gone"));
        writer.Complete();

        await writer.RunAsync(store, TestContext.Current.CancellationToken);

        Assert.Equal([("gone", ClipFailure.WriteFailed, "Could not find a part of the path '/media/clips'.")], observer.Failed);
    }

    [Fact]
    public async Task RunAsync_AClipOfTheRing_GivesItsChunksBackOnceWrittenOrFailed()
    {
        var ring = new ClipHistory(1, 100, chunkFrames: 10);
        var frame = new RecordingFrame(1);
        for (var n = 0; n < 100; n++)
        {
            frame.TimeSeconds = n * 0.001;
            ring.Add(frame);
        }

        var writer = new ClipWriter(4, new Observer());
        var written = Clip("written") with { Frames = ring.Snapshot(0, 1, out _) };
        var failed = Clip("failed") with { Frames = ring.Snapshot(0, 1, out _) };
        writer.TryEnqueue(failed);
        writer.TryEnqueue(written);
        writer.Complete();

        await writer.RunAsync(new Store { FailFirst = true }, TestContext.Current.CancellationToken);

        Assert.Throws<ObjectDisposedException>(() => written.Frames[0]);
        Assert.Throws<ObjectDisposedException>(() => failed.Frames[0]);
        for (var n = 100; n < 300; n++)
        {
            frame.TimeSeconds = n * 0.001;
            ring.Add(frame);
        }

        Assert.Equal(0, ring.ChunksAddedWhileLeased);
    }

    private static Clip Clip(string name)
    {
        var layout = new RecordingLayout(1000, ["calf"], false, false);
        var label = new ClipLabel { Intervals = [], Origin = ClipLabel.Detected, Trigger = ClipRecorder.CrampTrigger, EventId = name, Device = "pi-01" };
        return new Clip(name, layout, [layout.CreateFrame()], label);
    }

    private sealed class Store : IClipStore
    {
        public bool FailFirst { get; set; }

        public IOException Failure { get; set; } = new("No space left on device", 28); // ENOSPC, as .NET gives it on Linux

        public long Save(Clip clip, CancellationToken cancellationToken)
        {
            if (FailFirst)
            {
                FailFirst = false;
                throw Failure;
            }

            return 1;
        }
    }

    private sealed class Observer : IClipObserver
    {
        public List<(string, ClipFailure, string)> Failed { get; } = [];

        public List<string> Saved { get; } = [];

        public void OnClipFailed(string name, ClipFailure failure, string reason) => Failed.Add((name, failure, reason));

        public void OnClipSaved(Clip clip, long bytes) => Saved.Add(clip.Name);
    }
}

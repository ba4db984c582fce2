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

        var (name, reason) = Assert.Single(observer.Failed);
        Assert.Equal("second", name);
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

        Assert.Equal([("full", "No space left on device")], observer.Failed);
        Assert.Equal(["next"], observer.Saved);
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

        public long Save(Clip clip, CancellationToken cancellationToken)
        {
            if (FailFirst)
            {
                FailFirst = false;
                throw new IOException("No space left on device");
            }

            return 1;
        }
    }

    private sealed class Observer : IClipObserver
    {
        public List<(string, string)> Failed { get; } = [];

        public List<string> Saved { get; } = [];

        public void OnClipFailed(string name, string reason) => Failed.Add((name, reason));

        public void OnClipSaved(Clip clip, long bytes) => Saved.Add(clip.Name);
    }
}

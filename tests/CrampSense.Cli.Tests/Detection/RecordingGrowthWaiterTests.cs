using CrampSense.Cli.Detection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Cli.Tests.Detection;

public sealed class RecordingGrowthWaiterTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250), Idle = TimeSpan.FromSeconds(10);

    private readonly TestFiles _files = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _path;
    private readonly FileStream _writer;
    private readonly FileStream _reader;

    public RecordingGrowthWaiterTests()
    {
        _path = Path.Combine(_files.Directory, "clip.csv");
        _writer = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        Append("t_s,emg.calf\n");
        _reader = Signals.Recordings.RecordingReader.OpenFile(_path);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _files.Dispose();
    }

    private void Append(string text)
    {
        _writer.Write(System.Text.Encoding.UTF8.GetBytes(text));
        _writer.Flush();
    }

    private RecordingGrowthWaiter UncancelledWaiter() => Waiter(TestContext.Current.CancellationToken);

    private RecordingGrowthWaiter Waiter(CancellationToken cancellation) => new(_path, _reader, Poll, Idle, _time, cancellation);

    [Fact]
    public async Task WaitAsync_RowsAppendedDuringTheWait_ReturnsGrewAtTheNextLook()
    {
        var waiter = UncancelledWaiter();
        var wait = waiter.WaitAsync();
        Assert.False(wait.IsCompleted);

        Append("0.000,0.01\n");
        _time.Advance(Poll);

        Assert.Equal(RecordingGrowth.Grew, await wait);
    }

    [Fact]
    public async Task WaitAsync_RowsAppendedBeforeTheWait_ReturnsGrewWithoutWaiting()
    {
        var waiter = UncancelledWaiter();
        Append("0.000,0.01\n");

        Assert.Equal(RecordingGrowth.Grew, await waiter.WaitAsync());
    }

    [Fact]
    public async Task WaitAsync_AfterGrowing_WaitsForMoreThanWhatItAlreadySaw()
    {
        var waiter = UncancelledWaiter();
        Append("0.000,0.01\n");
        Assert.Equal(RecordingGrowth.Grew, await waiter.WaitAsync());

        var again = waiter.WaitAsync();

        Assert.False(again.IsCompleted);
        Append("0.001,0.02\n");
        _time.Advance(Poll);
        Assert.Equal(RecordingGrowth.Grew, await again);
    }

    [Fact]
    public async Task WaitAsync_NothingAppendedForTheIdleTime_ReturnsIdleThenAndNotBefore()
    {
        var waiter = UncancelledWaiter();
        var wait = waiter.WaitAsync();

        _time.Advance(Idle - Poll);
        Assert.False(wait.IsCompleted, "9.75 s without a new row is not yet idle");
        _time.Advance(Poll);

        Assert.Equal(RecordingGrowth.Idle, await wait);
    }

    [Fact]
    public async Task WaitAsync_FileRenamedAway_ReturnsGone()
    {
        var waiter = UncancelledWaiter();
        var wait = waiter.WaitAsync();

        File.Move(_path, Path.Combine(_files.Directory, "clip-done.csv"));
        _time.Advance(Poll);

        Assert.Equal(RecordingGrowth.Gone, await wait);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ReturnsCancelled()
    {
        using var stop = new CancellationTokenSource();
        var wait = Waiter(stop.Token).WaitAsync();
        Assert.False(wait.IsCompleted);

        await stop.CancelAsync();

        Assert.Equal(RecordingGrowth.Cancelled, await wait);
    }
}

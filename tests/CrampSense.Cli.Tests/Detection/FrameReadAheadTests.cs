using CrampSense.Cli.Detection;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Detection;

public sealed class FrameReadAheadTests
{
    private static readonly RecordingLayout Layout = new(1000, ["calf", "shin"], hasSkinTemperature: false, hasAcceleration: false, new Dictionary<string, string>());

    /// <summary>A source of <paramref name="total"/> frames numbered by their time; throws at <paramref name="failAt"/> when given.</summary>
    private static Func<RecordingFrame, bool> Numbered(int total, Func<int>? readCount = null, int failAt = -1)
    {
        var next = 0;
        return frame =>
        {
            if (next == failAt)
            {
                throw new RecordingFormatException("rec.csv", next + 3, "emg.calf", "'x' is not a number");
            }

            if (next == total)
            {
                return false;
            }

            frame.TimeSeconds = next / 1000.0;
            frame.EmgMillivolts[0] = next;
            frame.EmgMillivolts[1] = -next;
            next++;
            return true;
        };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FrameReadAhead.FirstBlockFrames)]
    [InlineData(FrameReadAhead.FirstBlockFrames + FrameReadAhead.BlockFrames)]
    [InlineData(FrameReadAhead.BlockFrames)]
    [InlineData((FrameReadAhead.BlockFrames * 9) + 17)]
    public void TryRead_GivesEveryFrameOfTheSourceInOrderThenFalse(int total)
    {
        using var ahead = new FrameReadAhead(Layout, Numbered(total));
        var seen = 0;
        while (ahead.TryRead(out var frame))
        {
            Assert.Equal(seen, (int)frame.EmgMillivolts[0]);
            Assert.Equal(-seen, (int)frame.EmgMillivolts[1]);
            seen++;
        }

        Assert.Equal(total, seen);
        Assert.False(ahead.TryRead(out _));
    }

    [Fact]
    public void TryRead_ReaderError_IsRethrownAfterTheFramesReadBeforeIt()
    {
        const int failAt = (FrameReadAhead.BlockFrames * 2) + 5;
        using var ahead = new FrameReadAhead(Layout, Numbered(10 * FrameReadAhead.BlockFrames, failAt: failAt));
        var seen = 0;
        var error = Assert.Throws<RecordingFormatException>(() =>
        {
            while (ahead.TryRead(out _))
            {
                seen++;
            }
        });

        Assert.Equal(failAt, seen);
        Assert.Equal(failAt + 3, error.LineNumber);
        Assert.StartsWith($"rec.csv line {failAt + 3}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_BeforeTheEnd_StopsTheReaderAFewBlocksAhead()
    {
        var read = 0;
        var source = Numbered(1_000_000);
        var ahead = new FrameReadAhead(Layout, frame =>
        {
            read++;
            return source(frame);
        });
        Assert.True(ahead.TryRead(out _));

        ahead.Dispose(); // joins the read-ahead thread, which waits for a free block

        Assert.InRange(read, 1, 5 * FrameReadAhead.BlockFrames);
        Assert.Throws<ObjectDisposedException>(() => ahead.TryRead(out _));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CrampSense.Signals;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Detection;

/// <summary>
/// Reads a source's frames on a second thread, a block of frames ahead of the caller, so that parsing a recording
/// and running the detector over it use two cores (issue 17: of a 1-site replay the reader is about 40 % of the
/// loop; the two together are sequential work a 2-core machine can overlap).
/// </summary>
/// <remarks>
/// Why not a <c>Channel</c> or <c>BlockingCollection</c> of frames: a hand-off per frame costs more than parsing
/// one; blocks of <see cref="BlockFrames"/> frames pass between the threads, and the frames are allocated once, so
/// steady state allocates nothing. Why two counters and two events rather than two <see cref="SemaphoreSlim"/>s
/// (session 8): a semaphore's Release takes a lock that the other thread holds while it spins in Wait, and its
/// Wait spins before it blocks; a session-10 trace of a 1-site replay on the loaded 2-core machine had the
/// detector thread 0.12 s in that lock and both threads spinning. Here each side publishes its count with one
/// interlocked increment and blocks (no spinning) only when the other side is a whole ring behind or ahead.
/// The reader's error (a malformed row, an I/O error) is rethrown to the caller after the frames read before it,
/// so the caller sees exactly what a direct read would have given: the same frames, then the same exception. A frame from <see cref="TryRead"/> is valid
/// until the next call.
/// </remarks>
internal sealed class FrameReadAhead : IDisposable
{
    /// <summary>
    /// Frames per block: a hand-off per 4 096 frames is negligible, and 4 blocks hold 16 s at 1 kHz, so the reader
    /// can be kept off its core for a long scheduling delay on a loaded machine without the detector waiting
    /// (1 024 in session 8: the detector thread waited for the reader 0.6 s of a 2.5 s replay at load 30).
    /// </summary>
    internal const int BlockFrames = 4096;

    /// <summary>
    /// Frames in the first block: the caller waits for it while the reader thread is still being compiled, so it is
    /// handed over early (at 1 kHz a quarter of a second of recording).
    /// </summary>
    internal const int FirstBlockFrames = 256;

    private const int Blocks = 4;

    /// <summary>
    /// The most frames the reader can have read beyond the caller's current frame: it fills a block only while fewer than
    /// <see cref="Blocks"/> are taken and not yet freed, and the caller's block is one of them.
    /// </summary>
    internal const int MostFramesAhead = Blocks * BlockFrames;

    private readonly Func<RecordingFrame, bool> _read;
    private readonly Block[] _blocks;
    private readonly ManualResetEventSlim _blockFreed = new(false, spinCount: 0);
    private readonly ManualResetEventSlim _blockFilled = new(false, spinCount: 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _filledCount; // blocks the reader has filled (written by the reader thread only)
    private long _freedCount; // blocks the caller has finished with (written by the caller only)
    private Block? _current;
    private int _currentIndex = -1;
    private int _next;
    private bool _finished;
    private bool _disposed;

    /// <param name="layout">What the frames hold (the frames are created from it).</param>
    /// <param name="read">Fills the next frame; false at the end. Called on the read-ahead thread only.</param>
    public FrameReadAhead(RecordingLayout layout, Func<RecordingFrame, bool> read)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _read = read ?? throw new ArgumentNullException(nameof(read));
        _blocks = new Block[Blocks];
        for (var b = 0; b < Blocks; b++)
        {
            var frames = new RecordingFrame[BlockFrames];
            for (var i = 0; i < frames.Length; i++)
            {
                frames[i] = layout.CreateFrame();
            }

            _blocks[b] = new Block(frames);
        }

        _thread = new Thread(Produce) { IsBackground = true, Name = "crampsense-read-ahead" };
        _thread.Start();
    }

    /// <summary>The next frame, valid until the next call; false at the end. Rethrows the reader's error in its place.</summary>
    [MethodImpl(HotPath.Compiled)]
    public bool TryRead(out RecordingFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (_current is { } block)
            {
                if (_next < block.Count)
                {
                    frame = block.Frames[_next++];
                    return true;
                }

                if (block.Last)
                {
                    _finished = true;
                    block.Failure?.Throw();
                    frame = null!;
                    return false;
                }

                _current = null;
                Interlocked.Increment(ref _freedCount); // the caller is done with the frame returned last: the block can be refilled
                _blockFreed.Set();
            }

            if (_finished)
            {
                frame = null!;
                return false;
            }

            // Every block taken so far has been freed, so the next one is ready once the reader has filled more.
            while (Volatile.Read(ref _filledCount) == _freedCount)
            {
                _blockFilled.Reset();
                if (Volatile.Read(ref _filledCount) == _freedCount)
                {
                    _blockFilled.Wait(); // Reset before the second check: a block filled in between has Set it again
                }
            }

            _currentIndex = (_currentIndex + 1) % Blocks;
            _current = _blocks[_currentIndex];
            _next = 0;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _blockFreed.Dispose();
        _blockFilled.Dispose();
    }

    [MethodImpl(HotPath.Compiled)]
    private void Produce()
    {
        var stopping = _stop.Token;
        try
        {
            for (long filled = 0; ; filled++)
            {
                while (filled - Volatile.Read(ref _freedCount) == Blocks)
                {
                    _blockFreed.Reset();
                    if (filled - Volatile.Read(ref _freedCount) == Blocks)
                    {
                        _blockFreed.Wait(stopping); // Reset before the second check, as in TryRead
                    }
                }

                var block = _blocks[filled % Blocks];
                block.Count = 0;
                var wanted = filled == 0 ? FirstBlockFrames : block.Frames.Length;
                try
                {
                    while (block.Count < wanted && _read(block.Frames[block.Count]))
                    {
                        block.Count++;
                    }

                    block.Last = block.Count < wanted;
                }
                catch (Exception e)
                {
                    // Every error of the reader goes to the caller, in order; this thread only moves it there.
                    block.Failure = ExceptionDispatchInfo.Capture(e);
                    block.Last = true;
                }

                Interlocked.Increment(ref _filledCount); // publishes the block's frames to the caller
                _blockFilled.Set();
                if (block.Last)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed before the end: the caller stopped reading.
        }
    }

    private sealed class Block(RecordingFrame[] frames)
    {
        public RecordingFrame[] Frames { get; } = frames;

        public int Count { get; set; }

        public bool Last { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }
    }
}

using System.Runtime.ExceptionServices;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Detection;

/// <summary>
/// Reads a source's frames on a second thread, a block of frames ahead of the caller, so that parsing a recording
/// and running the detector over it use two cores (issue 17: of a 1-site replay the reader is about 40 % of the
/// loop; the two together are sequential work a 2-core machine can overlap).
/// </summary>
/// <remarks>
/// Why not a <c>Channel</c> or <c>BlockingCollection</c> of frames: a hand-off per frame costs more than parsing
/// one; blocks of <see cref="BlockFrames"/> frames pass between the threads through two semaphores, and the
/// frames are allocated once, so steady state allocates nothing. The reader's error (a malformed row, an I/O
/// error) is rethrown to the caller after the frames read before it, so the caller sees exactly what a direct
/// read would have given: the same frames, then the same exception. A frame from <see cref="TryRead"/> is valid
/// until the next call.
/// </remarks>
internal sealed class FrameReadAhead : IDisposable
{
    /// <summary>Frames per block: a hand-off per 1 024 frames is negligible, and 4 blocks hold 4 s at 1 kHz.</summary>
    internal const int BlockFrames = 1024;

    private const int Blocks = 4;

    private readonly Func<RecordingFrame, bool> _read;
    private readonly Block[] _blocks;
    private readonly SemaphoreSlim _free = new(Blocks, Blocks);
    private readonly SemaphoreSlim _filled = new(0, Blocks);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
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
                _free.Release(); // the caller is done with the frame returned last: the block can be refilled
            }

            if (_finished)
            {
                frame = null!;
                return false;
            }

            _filled.Wait();
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
        _free.Dispose();
        _filled.Dispose();
    }

    private void Produce()
    {
        var stopping = _stop.Token;
        try
        {
            for (var b = 0; ; b = (b + 1) % Blocks)
            {
                _free.Wait(stopping);
                var block = _blocks[b];
                block.Count = 0;
                try
                {
                    while (block.Count < block.Frames.Length && _read(block.Frames[block.Count]))
                    {
                        block.Count++;
                    }

                    block.Last = block.Count < block.Frames.Length;
                }
                catch (Exception e)
                {
                    // Every error of the reader goes to the caller, in order; this thread only moves it there.
                    block.Failure = ExceptionDispatchInfo.Capture(e);
                    block.Last = true;
                }

                _filled.Release();
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

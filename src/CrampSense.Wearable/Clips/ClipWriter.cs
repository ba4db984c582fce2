using System.Threading.Channels;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// The bounded hand-off from the detection thread to the clip writer: <see cref="TryEnqueue"/> never blocks (a full
/// queue drops the clip and reports it), <see cref="RunAsync"/> writes clips one by one on its own task and reports
/// a failing disk instead of throwing, so neither sampling nor detection ever waits for a disk.
/// </summary>
public sealed class ClipWriter
{
    private readonly Channel<Clip> _channel;
    private readonly IClipObserver _observer;

    public ClipWriter(int capacity, IClipObserver observer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _observer = observer ?? throw new ArgumentNullException(nameof(observer));
        _channel = Channel.CreateBounded<Clip>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Queues a clip, which the writer then owns (it disposes disposable frames once written); false (and a report) when the queue is full or completed.</summary>
    public bool TryEnqueue(Clip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (_channel.Writer.TryWrite(clip))
        {
            return true;
        }

        _observer.OnClipFailed(clip.Name, ClipFailure.Dropped, "the clip queue is full (the writer is behind); the clip was dropped");
        return false;
    }

    /// <summary>No more clips; <see cref="RunAsync"/> ends once the queued ones are written.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Writes queued clips into <paramref name="store"/> until <see cref="Complete"/> or cancellation.</summary>
    public async Task RunAsync(IClipStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_channel.Reader.TryRead(out var clip))
                {
                    try
                    {
                        var bytes = store.Save(clip, cancellationToken);
                        _observer.OnClipSaved(clip, bytes);
                    }
                    catch (IOException ex)
                    {
                        _observer.OnClipFailed(clip.Name, ClipFiles.IsDiskFull(ex) ? ClipFailure.DiskFull : ClipFailure.WriteFailed, ex.Message);
                    }
                    catch (UnauthorizedAccessException ex)
                    {
                        _observer.OnClipFailed(clip.Name, ClipFailure.WriteFailed, ex.Message);
                    }
                    finally
                    {
                        // Frames read out of the ring (a RingSnapshot): its chunks can be reused.
                        (clip.Frames as IDisposable)?.Dispose();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: queued clips that were not written are lost with the buffer they came from.
        }
    }
}

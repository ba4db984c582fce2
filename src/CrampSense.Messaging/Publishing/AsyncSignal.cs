namespace CrampSense.Messaging.Publishing;

/// <summary>
/// An auto-reset wake-up for a loop: <see cref="Reset"/> at the top, check for work, then <see cref="WaitAsync"/>.
/// A <see cref="Set"/> between the reset and the wait is not lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _source).TrySetResult();

    public void Reset()
    {
        var current = Volatile.Read(ref _source);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _source, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>True when set, false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _source).Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

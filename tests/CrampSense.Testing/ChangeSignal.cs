namespace CrampSense.Testing;

/// <summary>
/// Wakes a test whenever a fake records something, so it can wait for a condition instead of sleeping. The fakes call
/// <see cref="Changed"/> after each change; <see cref="UntilAsync"/> reads the wake-up before checking, so none is lost.
/// </summary>
public sealed class ChangeSignal
{
    /// <summary>A hang guard only: a condition that does not come true means a bug, never a slow machine.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Changed() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns once <paramref name="condition"/> holds; throws naming <paramref name="what"/> if it never does.</summary>
    public async Task UntilAsync(Func<bool> condition, Func<string> what, CancellationToken cancellationToken)
    {
        try
        {
            await WaitAsync(condition, cancellationToken).WaitAsync(HangGuard, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Never came true: {what()}.");
        }
    }

    private async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = Volatile.Read(ref _next).Task;
            if (condition())
            {
                return;
            }

            await next.WaitAsync(cancellationToken);
        }
    }
}

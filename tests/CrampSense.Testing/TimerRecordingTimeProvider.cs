using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace CrampSense.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of every timer made (each <c>Task.Delay</c> over it),
/// so a test knows a loop is waiting before it advances the clock.
/// </summary>
public sealed class TimerRecordingTimeProvider(ChangeSignal changes) : FakeTimeProvider
{
    public ConcurrentQueue<TimeSpan> Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Timers.Enqueue(dueTime);
        changes.Changed();
        return timer;
    }
}

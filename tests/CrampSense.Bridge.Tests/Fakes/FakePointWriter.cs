using System.Collections.Concurrent;
using CrampSense.Bridge.Pipeline;

namespace CrampSense.Bridge.Tests.Fakes;

/// <summary>
/// A database without a server: records every write attempt, stores the lines of those that succeed, fails an attempt
/// when <see cref="Failure"/> says so, and holds each attempt until <see cref="Gate"/> opens when one is set.
/// </summary>
internal sealed class FakePointWriter(ChangeSignal changes) : IInfluxPointWriter
{
    /// <summary>Every attempt's lines, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> Attempts { get; } = new();

    /// <summary>The lines of the successful writes.</summary>
    public ConcurrentQueue<string> Stored { get; } = new();

    /// <summary>The exception an attempt with these lines throws (null: it succeeds).</summary>
    public Func<IReadOnlyList<string>, Exception?> Failure { get; set; } = _ => null;

    /// <summary>When set, each attempt waits for it before it succeeds or fails.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> copy = [.. lines];
        Attempts.Enqueue(copy);
        changes.Changed();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure(copy) is { } failure)
        {
            throw failure;
        }

        foreach (var line in copy)
        {
            Stored.Enqueue(line);
        }

        changes.Changed();
    }

    public void Dispose()
    {
    }
}

using System.Threading.Channels;

namespace CrampSense.Wearable;

/// <summary>
/// The service's hand-off from the detection thread to the dispatcher's: an unbounded single-reader channel, so the
/// detection thread never waits for the outbox's disk. Items leave in the order they came, so the dispatcher sees
/// what a replay's list would give it.
/// </summary>
public sealed class SessionHandOff : ISessionOutput
{
    private readonly Channel<SessionItem> _items = Channel.CreateUnbounded<SessionItem>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues an item (never blocks; after <see cref="Complete"/> the item is dropped).</summary>
    public void Write(SessionItem item) => _items.Writer.TryWrite(item);

    /// <summary>No more items: <see cref="RunAsync"/> ends once the queue is empty.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Hands every item to <paramref name="dispatcher"/> until the queue is completed and empty.</summary>
    public async Task RunAsync(OutgoingDispatcher dispatcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        await foreach (var item in _items.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await dispatcher.DispatchAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }
}

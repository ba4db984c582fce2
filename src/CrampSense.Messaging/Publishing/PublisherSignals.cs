namespace CrampSense.Messaging.Publishing;

/// <summary>The publisher's wake-ups, shared by its loops.</summary>
internal sealed class PublisherSignals
{
    /// <summary>Something to send (a message queued, or connected).</summary>
    public AsyncSignal Work { get; } = new();

    /// <summary>The supervisor has something to do (status due, discovery asked for, connection lost).</summary>
    public AsyncSignal Supervisor { get; } = new();

    /// <summary>The connection or the outbox changed (for the waits of callers).</summary>
    public AsyncSignal Progress { get; } = new();
}

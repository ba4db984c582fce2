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

    private volatile bool _sessionReady;

    /// <summary>
    /// The session is connected and has set itself up on the connection (online status, discovery, subscriptions).
    /// The send loop sends the backlog only then: a send that breaks the connection must not race the session's own
    /// set-up, which would take the broken set-up for a failed connect and wait out a back-off.
    /// </summary>
    public bool SessionReady
    {
        get => _sessionReady;
        set => _sessionReady = value;
    }
}

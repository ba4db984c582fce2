namespace CrampSense.Bridge.Pipeline;

/// <summary>Counters of one bridge since it started; read from any thread.</summary>
public sealed class BridgeStatistics
{
    private long _received;
    private long _written;
    private long _acknowledged;
    private long _deadLettered;
    private long _writeFailures;
    private long _inFlight;
    private long _connects;
    private long _batches;
    private long _staleAcknowledgements;
    private long _unacknowledged;
    private long _peakUnacknowledged;
    private long _shed;

    /// <summary>Messages received from the broker (valid or not, redeliveries included).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Points InfluxDB accepted.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Messages released after their point was written: PUBACK sent (QoS 1) or nothing to send (QoS 0).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Invalid messages published to the dead-letter topic (and acknowledged).</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Failed write attempts (each one is retried after a backoff).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Valid messages received and not yet acknowledged or given up (waiting, in a batch or being written).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Successful connections to the broker.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Written messages not acknowledged because the connection they came on had dropped (the broker sends them again).</summary>
    public long StaleAcknowledgements => Interlocked.Read(ref _staleAcknowledgements);

    /// <summary>
    /// QoS 1 messages the broker has sent on the current connection that the bridge has not acknowledged: what the broker
    /// counts against the bridge's MQTT 5 receive maximum. Starts again from 0 on each connection.
    /// </summary>
    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    /// <summary>
    /// The highest <see cref="Unacknowledged"/> seen. Above <c>Bridge:ReceiveMaximum</c> means the broker does not honour
    /// the receive maximum (mosquitto before 2.0.13 when it refills from a backlog), so that bound on memory is gone.
    /// </summary>
    public long PeakUnacknowledged => Interlocked.Read(ref _peakUnacknowledged);

    /// <summary>
    /// QoS 0 messages dropped on arrival because the bridge's intake was full (the bridge behind the broker): QoS 0
    /// promises no delivery, and holding them would grow the bridge's memory without bound. QoS 1 is never dropped.
    /// </summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Batches written.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Why the last write failed, null after a success. Never holds the token (the client's messages do not).</summary>
    public string? LastWriteError { get; internal set; }

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnQueued() => Interlocked.Increment(ref _inFlight);

    internal void OnWritten(int points)
    {
        Interlocked.Add(ref _written, points);
        Interlocked.Increment(ref _batches);
    }

    internal void OnAcknowledged() => Interlocked.Increment(ref _acknowledged);

    internal void OnStaleAcknowledgement() => Interlocked.Increment(ref _staleAcknowledgements);

    internal void OnLeftQueue(int count) => Interlocked.Add(ref _inFlight, -count);

    internal void OnShed() => Interlocked.Increment(ref _shed);

    internal void OnDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void OnWriteFailed() => Interlocked.Increment(ref _writeFailures);

    internal void OnConnected() => Interlocked.Increment(ref _connects);

    /// <summary>A QoS 1 message arrived; returns how many are now unacknowledged on this connection.</summary>
    internal long OnUnacknowledgedReceived()
    {
        var now = Interlocked.Increment(ref _unacknowledged);
        var peak = Interlocked.Read(ref _peakUnacknowledged);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakUnacknowledged, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }

        return now;
    }

    /// <summary>A QoS 1 message of the current connection was acknowledged.</summary>
    internal void OnUnacknowledgedReleased() => Interlocked.Decrement(ref _unacknowledged);

    /// <summary>A new connection: the broker's count starts again (it resends the unacknowledged ones from the session).</summary>
    internal void OnNewConnection() => Interlocked.Exchange(ref _unacknowledged, 0);
}

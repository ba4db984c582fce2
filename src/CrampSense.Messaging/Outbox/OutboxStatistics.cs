namespace CrampSense.Messaging.Outbox;

/// <summary>A snapshot of the outbox: what waits, and how many messages were dropped or refused (totals kept in the file).</summary>
public sealed record OutboxStatistics(
    long Pending,
    long PendingBytes,
    long DroppedTelemetry,
    long DroppedFault,
    long DroppedEvent,
    long DroppedPrompt,
    long Rejected)
{
    /// <summary>All drops of all classes.</summary>
    public long DroppedTotal => DroppedTelemetry + DroppedFault + DroppedEvent + DroppedPrompt;
}

using System.Diagnostics.Metrics;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The publisher's and outbox's counters as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <see cref="MeterName"/>, readable on the Pi with <c>dotnet-counters monitor -n crampsense-host --counters CrampSense.Messaging</c>.
/// </summary>
/// <remarks>
/// Observable instruments, read only when a listener collects: the publisher keeps its counts where the MQTT status and
/// the live view read them (<see cref="MqttPublisher.ConnectCount"/>, <see cref="Outbox.SqliteOutbox.Statistics"/>), and
/// nothing is added to the send path. The names follow OpenTelemetry's conventions (dotted, lower case, unit apart).
/// </remarks>
public sealed class PublisherMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CrampSense.Messaging";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's, so it is disposed with it).</summary>
    public PublisherMetrics(IMeterFactory meterFactory, MqttPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(publisher);
        _meter = meterFactory.Create(MeterName);
        var outbox = publisher.Outbox;
        _meter.CreateObservableCounter("crampsense.mqtt.connections", () => publisher.ConnectCount, "{connection}", "Connections made to the broker.");
        _meter.CreateObservableUpDownCounter("crampsense.mqtt.connected", () => publisher.IsConnected ? 1L : 0L, "{connection}", "1 while connected to the broker.");
        _meter.CreateObservableUpDownCounter("crampsense.outbox.pending", () => outbox.Statistics.Pending, "{message}", "Messages in the outbox not yet acknowledged by the broker.");
        _meter.CreateObservableUpDownCounter("crampsense.outbox.pending.size", () => outbox.Statistics.PendingBytes, "By", "Payload bytes in the outbox not yet acknowledged.");
        _meter.CreateObservableCounter("crampsense.outbox.dropped", Dropped, "{message}", "Messages dropped by the outbox's bounds, by class.");
        _meter.CreateObservableCounter("crampsense.outbox.rejected", () => outbox.Statistics.Rejected, "{message}", "Messages refused by the outbox (larger than its payload limit).");

        IEnumerable<Measurement<long>> Dropped()
        {
            var s = outbox.Statistics;
            return
            [
                new(s.DroppedTelemetry, new KeyValuePair<string, object?>("class", "telemetry")),
                new(s.DroppedFault, new KeyValuePair<string, object?>("class", "fault")),
                new(s.DroppedEvent, new KeyValuePair<string, object?>("class", "event")),
                new(s.DroppedPrompt, new KeyValuePair<string, object?>("class", "prompt")),
            ];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

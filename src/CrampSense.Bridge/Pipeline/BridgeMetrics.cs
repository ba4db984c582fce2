using System.Diagnostics.Metrics;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The bridge's counters (<see cref="BridgeStatistics"/>) as <see cref="System.Diagnostics.Metrics"/> instruments on the
/// meter <see cref="MeterName"/>: <c>dotnet-counters monitor -n crampsense-bridge --counters CrampSense.Bridge</c>.
/// </summary>
/// <remarks>
/// Observable instruments over the same atomics the retained status message reports, so both always agree and the
/// payload workers pay nothing for a listener that is not there. Names follow OpenTelemetry's conventions.
/// </remarks>
public sealed class BridgeMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CrampSense.Bridge";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's, so it is disposed with it).</summary>
    public BridgeMetrics(IMeterFactory meterFactory, BridgeStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(statistics);
        var s = statistics;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("crampsense.bridge.messages.received", () => s.Received, "{message}", "Messages received from the broker (valid or not, redeliveries included).");
        _meter.CreateObservableCounter("crampsense.bridge.points.written", () => s.Written, "{point}", "Points InfluxDB accepted.");
        _meter.CreateObservableCounter("crampsense.bridge.batches.written", () => s.Batches, "{batch}", "Batches written to InfluxDB.");
        _meter.CreateObservableCounter("crampsense.bridge.messages.acknowledged", () => s.Acknowledged, "{message}", "Messages released after their point was written.");
        _meter.CreateObservableCounter("crampsense.bridge.messages.dead_lettered", () => s.DeadLettered, "{message}", "Invalid messages published to the dead-letter topic.");
        _meter.CreateObservableCounter("crampsense.bridge.messages.shed", () => s.Shed, "{message}", "QoS 0 messages dropped on arrival because the bridge's intake was full (never QoS 1).");
        _meter.CreateObservableCounter("crampsense.bridge.write.failures", () => s.WriteFailures, "{failure}", "Failed write attempts (each retried after a back-off).");
        _meter.CreateObservableCounter("crampsense.bridge.acknowledgements.stale", () => s.StaleAcknowledgements, "{message}", "Written messages not acknowledged because their connection had dropped.");
        _meter.CreateObservableCounter("crampsense.bridge.connections", () => s.Connects, "{connection}", "Successful connections to the broker.");
        _meter.CreateObservableUpDownCounter("crampsense.bridge.messages.in_flight", () => s.InFlight, "{message}", "Valid messages received and not yet acknowledged or given up.");
        _meter.CreateObservableUpDownCounter("crampsense.bridge.messages.unacknowledged", () => s.Unacknowledged, "{message}", "QoS 1 messages of the current connection not yet acknowledged (counted against the receive maximum).");
        _meter.CreateObservableGauge("crampsense.bridge.messages.unacknowledged.peak", () => s.PeakUnacknowledged, "{message}", "The highest unacknowledged count seen.");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The service's own counters (<see cref="PipelineState"/>) as <see cref="System.Diagnostics.Metrics"/> instruments on the
/// meter <see cref="MeterName"/>: <c>dotnet-counters monitor -n crampsense-host --counters CrampSense.Host,CrampSense.Messaging</c>
/// on the Pi.
/// </summary>
/// <remarks>
/// Observable instruments over the state the live view and the watchdog read, so the detection loop pays nothing for
/// them when no listener is attached and the three views never disagree.
/// </remarks>
public sealed class HostMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CrampSense.Host";

    private readonly Meter _meter;
    private readonly PipelineState _state;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's, so it is disposed with it).</summary>
    public HostMetrics(IMeterFactory meterFactory, PipelineState state)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("crampsense.host.frames", () => state.Frames, "{frame}", "Frames (one sample of every channel) taken into detection.");
        _meter.CreateObservableCounter("crampsense.host.windows", () => state.Windows, "{window}", "Detector windows scored.");
        _meter.CreateObservableCounter("crampsense.host.events", () => state.EventCount, "{event}", "Cramp and sensor-fault events dispatched.");
        _meter.CreateObservableCounter("crampsense.host.prompts", () => state.PromptCount, "{prompt}", "Coach prompts dispatched.");
        _meter.CreateObservableCounter("crampsense.sampling.slots.lost", LostSlots, "{slot}", "Sampling slots lost since start, by reason: dropped (woke too late), faulted (ADC read failed), handoff (the detector's ring was full).");
        _meter.CreateObservableGauge("crampsense.host.session.time", () => state.SessionSeconds, "s", "Session time of the last frame.");
    }

    private IEnumerable<Measurement<long>> LostSlots()
    {
        var (dropped, faulted, handOff) = _state.LostSamples;
        return
        [
            new(dropped, new KeyValuePair<string, object?>("reason", "dropped")),
            new(faulted, new KeyValuePair<string, object?>("reason", "faulted")),
            new(handOff, new KeyValuePair<string, object?>("reason", "handoff")),
        ];
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

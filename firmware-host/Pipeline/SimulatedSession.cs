using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// An endless simulated session for <c>--simulate</c>: the scenario's first segment is planned at its minimum
/// length (night-cramp: 90 s, so its cramp falls within the first minute), later segments at the scenario's
/// default length with the next seeds, chained on one continuous clock so the detector sees one session.
/// </summary>
internal sealed class SimulatedSession
{
    private readonly string _scenario;
    private readonly TimeSpan _firstDuration;
    private readonly TimeSpan? _segmentDuration;
    private SimulatedRecording _segment;
    private int _seed;
    private double _offsetSeconds;

    public SimulatedSession(string scenario, int seed, IReadOnlyList<string>? sites = null)
    {
        if (!ScenarioCatalog.TryGet(scenario, out var description))
        {
            throw new ArgumentException($"Source:Scenario: unknown scenario '{scenario}'.", nameof(scenario));
        }

        _scenario = description.Name;
        _firstDuration = description.MinimumDuration;
        _segmentDuration = null;
        _seed = seed;
        Sites = sites;
        _segment = Start(_firstDuration);
        Layout = _segment.Layout;
        FirstSegmentTruth = _segment.Truth;
    }

    public IReadOnlyList<string>? Sites { get; }

    /// <summary>Sites, rate and slow signals of every segment.</summary>
    public RecordingLayout Layout { get; }

    /// <summary>What the first segment holds (the demo's early cramp).</summary>
    public IReadOnlyList<TruthInterval> FirstSegmentTruth { get; }

    /// <summary>Fills the next frame; the session never ends.</summary>
    public bool TryReadFrame(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        while (!_segment.TryReadFrame(frame))
        {
            _offsetSeconds += _segment.Duration.TotalSeconds;
            _seed++;
            _segment = Start(_segmentDuration);
        }

        frame.TimeSeconds += _offsetSeconds;
        return true;
    }

    private SimulatedRecording Start(TimeSpan? duration)
    {
        return Simulator.Start(new SimulationRequest { Scenario = _scenario, Seed = _seed, Duration = duration, Sites = Sites });
    }
}

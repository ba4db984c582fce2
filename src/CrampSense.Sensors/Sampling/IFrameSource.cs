using CrampSense.Sensors.Faults;
using CrampSense.Signals.Recordings;

namespace CrampSense.Sensors.Sampling;

/// <summary>
/// Where the pipeline gets its frames — the sensors (<see cref="AcquisitionEngine"/>) or a replayed
/// recording (<see cref="ReplaySource"/>) — so that the service runs the same way with and without hardware.
/// The consumer reads <see cref="Frames"/> (single consumer) and watches <see cref="Status"/> and
/// <see cref="Statistics"/>.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Rate, sites, and whether temperature/acceleration appear in the frames.</summary>
    RecordingLayout Layout { get; }

    /// <summary>The hand-off ring; each frame carries its sample index.</summary>
    FrameRing Frames { get; }

    SamplingStatistics Statistics { get; }

    SensorStatusLog Status { get; }

    /// <summary>True once a finite source has published its last frame (never for live sensors).</summary>
    bool Completed { get; }

    /// <summary>Starts producing frames on the source's own thread.</summary>
    void Start();

    /// <summary>Stops the source's thread.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "Stop is only a keyword in VB; this C# service pairs Start/Stop like its Thread-based sources.")]
    void Stop();
}

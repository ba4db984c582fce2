using CrampSense.Coaching;
using CrampSense.Detection;

namespace CrampSense.Wearable;

/// <summary>
/// What a <see cref="DetectionSession"/> hands to the <see cref="OutgoingDispatcher"/>, stamped with session seconds
/// (from the session start, continuing across re-opened sources); the dispatcher puts them on the wall clock.
/// </summary>
public abstract record SessionItem(double Seconds);

/// <summary>A detector event, at the time the detector emitted it (<see cref="DetectionSession.EmittedSeconds"/>).</summary>
public sealed record DetectorEventItem(CrampEvent Event, double Seconds) : SessionItem(Seconds);

/// <summary>One telemetry period of every site.</summary>
public sealed record TelemetryItem(IReadOnlyList<SiteTelemetry> Sites, double Seconds) : SessionItem(Seconds);

/// <summary>The wearer's activity changed, or its periodic report is due (for the coach).</summary>
public sealed record ActivityItem(ActivityContext Context, double Seconds) : SessionItem(Seconds);

/// <summary>The coach's periodic look at the clock (hydration, bedtime).</summary>
public sealed record CoachTickItem(double Seconds) : SessionItem(Seconds);

/// <summary>A sensor or its bus failed; <paramref name="Code"/> is one of the contract's <c>FaultCodes.Sensor</c>.</summary>
/// <param name="Site">The site the sensor serves, or null for the whole device.</param>
/// <param name="Chip">The chip, for logs and the live view.</param>
/// <param name="Code">The contract fault code.</param>
/// <param name="Detail">A sentence for people.</param>
/// <param name="Seconds">Session seconds.</param>
public sealed record SensorFaultItem(string? Site, string Chip, string Code, string Detail, double Seconds) : SessionItem(Seconds);

/// <summary>
/// The device's storage failed (a clip not written: <paramref name="Code"/> is one of the contract's
/// <c>FaultCodes.Storage</c>); published as a fault of the device. Detection is not touched, so no haptic cue.
/// </summary>
public sealed record StorageFaultItem(string Code, string Detail, double Seconds) : SessionItem(Seconds);

/// <summary>Where a session's items go: a queue to the dispatcher's thread (the service) or a list (a replay).</summary>
public interface ISessionOutput
{
    /// <summary>Takes one item; called on the detection thread, must not block.</summary>
    void Write(SessionItem item);
}

using CrampSense.Coaching;
using CrampSense.Detection;

namespace CrampSense.Wearable;

/// <summary>The vibration cues the wearable gives; the host plays them on its motor (or nowhere).</summary>
public enum HapticCue
{
    /// <summary>A short buzz: a pre-cramp warning, a sensor fault, a prompt that asks for attention.</summary>
    Warning,

    /// <summary>The long pattern for a running cramp.</summary>
    CrampAlert,

    /// <summary>A gentle cue for an ordinary prompt.</summary>
    Prompt,
}

/// <summary>The wearable's vibration motor.</summary>
public interface IHapticAlert
{
    /// <summary>Plays <paramref name="cue"/> (made at <paramref name="at"/>); throws <see cref="IOException"/> or <see cref="InvalidOperationException"/> when the motor fails.</summary>
    void Play(HapticCue cue, DateTimeOffset at);
}

/// <summary>The durable cramp history the coach's "see a doctor" rule counts across restarts.</summary>
public interface ICrampHistory
{
    /// <summary>Records a cramp start or end (other events are ignored); throws <see cref="IOException"/> when storage fails.</summary>
    void Record(CrampEvent cramp, DateTimeOffset at);

    /// <summary>Records a cramp the wearer reported (or confirmed after rejecting it), started at <paramref name="startedAt"/>; throws <see cref="IOException"/> when storage fails.</summary>
    void RecordReported(string eventId, string site, DateTimeOffset startedAt);

    /// <summary>Takes out the cramp <paramref name="eventId"/> (the wearer rejected it); nothing when it is not there; throws <see cref="IOException"/> when storage fails.</summary>
    void Forget(string eventId);
}

/// <summary>What the dispatcher did, for logs and the live view; every call comes from the dispatcher's one thread.</summary>
public interface IDispatchObserver
{
    /// <summary>An event is in the outbox (durable): announce it.</summary>
    void OnEvent(CrampEvent cramp, DateTimeOffset at);

    /// <summary>The coach gave a prompt (about to be published).</summary>
    void OnPrompt(CoachPrompt prompt);

    /// <summary>A sensor fault is about to be published.</summary>
    void OnSensorFault(SensorFaultItem fault, DateTimeOffset at);

    /// <summary>A part failed (outbox, coach, motor, history); detection goes on.</summary>
    void OnPartFailed(string part, string reason);
}

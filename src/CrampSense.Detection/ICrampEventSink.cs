namespace CrampSense.Detection;

/// <summary>Receives the events of a <see cref="CrampEventTracker"/>, synchronously, in the order they happen.</summary>
public interface ICrampEventSink
{
    /// <summary>Called once per event, on the thread that processed the window.</summary>
    void OnEvent(CrampEvent cramp);
}

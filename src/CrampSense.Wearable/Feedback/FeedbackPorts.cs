using CrampSense.Wearable.Clips;

namespace CrampSense.Wearable.Feedback;

/// <summary>
/// A feedback command as it arrived on <c>…/feedback</c> (the raw payload: it is read on the dispatcher's thread, so
/// a bad one costs the subscriber nothing), stamped with the session seconds reached when it came.
/// </summary>
public sealed record FeedbackItem(byte[] Payload, double Seconds) : SessionItem(Seconds);

/// <summary>The detection session running now, as feedback reaches it; implemented by the host over its current session. Thread-safe.</summary>
public interface ILiveSession
{
    /// <summary>The sites worn (layout order).</summary>
    IReadOnlyList<string> Sites { get; }

    /// <summary>
    /// Writes a clip of a user report from the buffer around session second <paramref name="sessionSeconds"/> (null:
    /// now), labelled <paramref name="reportId"/>; false when that instant is no longer in the buffer.
    /// </summary>
    bool ReportCramp(string reportId, string site, double? sessionSeconds);

    /// <summary>Holds and stretches until session second <paramref name="untilSessionSeconds"/> are intended (not cramps).</summary>
    void DeclareExercise(double untilSessionSeconds);
}

/// <summary>The labels of the clips on the device, as feedback changes them; implemented at the edge. Thread-safe.</summary>
public interface IClipLabels
{
    /// <summary>Changes the sidecar of the clip of <paramref name="eventId"/> on disk; false when there is none.</summary>
    /// <exception cref="IOException">The disk failed.</exception>
    bool RelabelSaved(string eventId, Func<ClipLabel, ClipLabel> change);

    /// <summary>Changes the label of the clip of <paramref name="eventId"/> when it is written (it waits for the end of its span).</summary>
    void RelabelWhenSaved(string eventId, Func<ClipLabel, ClipLabel> change);
}

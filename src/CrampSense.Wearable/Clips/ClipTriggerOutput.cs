namespace CrampSense.Wearable.Clips;

/// <summary>
/// Passes a session's items on and shows its detector events to a <see cref="ClipRecorder"/>, on the detection
/// thread, so the recorder sees a cramp's start and end the moment the detector emits them.
/// </summary>
public sealed class ClipTriggerOutput(ISessionOutput inner, ClipRecorder recorder) : ISessionOutput
{
    private readonly ISessionOutput _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly ClipRecorder _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));

    public void Write(SessionItem item)
    {
        if (item is DetectorEventItem detected)
        {
            _recorder.OnEvent(detected.Event);
        }

        _inner.Write(item);
    }
}

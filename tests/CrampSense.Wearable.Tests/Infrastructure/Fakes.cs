using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;

namespace CrampSense.Wearable.Tests.Infrastructure;

/// <summary>Keeps every message in the order it was queued; throws <see cref="Failure"/> instead when set.</summary>
internal sealed class RecordingPublisher(string device = "pi-01") : IContractPublisher
{
    public List<ContractMessage> Messages { get; } = [];

    public Exception? Failure { get; set; }

    public string Device { get; } = device;

    public ValueTask PublishEventAsync(EventMessage message, CancellationToken cancellationToken) => Keep(message);

    public ValueTask PublishPromptAsync(PromptMessage message, CancellationToken cancellationToken) => Keep(message);

    public ValueTask PublishFaultAsync(FaultMessage message, CancellationToken cancellationToken) => Keep(message);

    public ValueTask PublishTelemetryAsync(TelemetryMessage message, CancellationToken cancellationToken) => Keep(message);

    public ValueTask PublishFeedbackResultAsync(FeedbackResultMessage message, CancellationToken cancellationToken) => Keep(message);

    private ValueTask Keep(ContractMessage message)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        Messages.Add(message);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingHaptics : IHapticAlert
{
    public List<HapticCue> Cues { get; } = [];

    public void Play(HapticCue cue, DateTimeOffset at) => Cues.Add(cue);
}

internal sealed class RecordingHistory : ICrampHistory
{
    public List<CrampEvent> Recorded { get; } = [];

    public List<string> Reported { get; } = [];

    public List<string> Forgotten { get; } = [];

    public void Record(CrampEvent cramp, DateTimeOffset at) => Recorded.Add(cramp);

    public void RecordReported(string eventId, string site, DateTimeOffset startedAt) => Reported.Add(eventId);

    public void Forget(string eventId) => Forgotten.Add(eventId);
}

internal sealed class RecordingObserver : IDispatchObserver
{
    public List<string> Log { get; } = [];

    public void OnEvent(CrampEvent cramp, DateTimeOffset at) => Log.Add($"event {cramp.Type}");

    public void OnPrompt(CoachPrompt prompt) => Log.Add($"prompt {CoachPrompt.KindName(prompt.Kind)}");

    public void OnSensorFault(SensorFaultItem fault, DateTimeOffset at) => Log.Add($"sensor {fault.Code}");

    public void OnPartFailed(string part, string reason) => Log.Add($"failed {part}");
}

/// <summary>Keeps a session's items, as <c>crampsense replay</c> does.</summary>
internal sealed class ItemList : ISessionOutput
{
    public List<SessionItem> Items { get; } = [];

    public void Write(SessionItem item) => Items.Add(item);
}

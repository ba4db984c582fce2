using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;
using CrampSense.Wearable.Feedback;

namespace CrampSense.Wearable;

/// <summary>
/// Takes a session's items one at a time, on one thread: puts them on the wall clock (<see cref="SessionClock"/>,
/// which the coach reads), maps them to the contract, queues them in the outbox, asks the coach, records cramps in
/// the history, plays the haptic cues and applies the wearer's feedback commands (<see cref="FeedbackApplier"/>), in
/// order with the events they answer. Each part is fenced off: a failing outbox, coach, history or motor is
/// reported to the observer and the next item goes on.
/// </summary>
/// <remarks>
/// The coach's clock advances to each item's time before the coach is asked, so its prompts carry the session's
/// time and the same items give the same prompts whether they come live through a queue or from a replay's list.
/// An event is durable before it is announced: the outbox first, then the observer, the history, the motor and the coach.
/// </remarks>
public sealed class OutgoingDispatcher(
    CrampCoach coach,
    SessionClock clock,
    IContractPublisher publisher,
    IHapticAlert? haptics = null,
    ICrampHistory? history = null,
    IDispatchObserver? observer = null,
    FeedbackApplier? feedback = null)
{
    private readonly CrampCoach _coach = coach ?? throw new ArgumentNullException(nameof(coach));
    private readonly SessionClock _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    private readonly IContractPublisher _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));

    /// <summary>Handles one item.</summary>
    public async ValueTask DispatchAsync(SessionItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        _clock.AdvanceTo(item.Seconds);
        var at = _clock.At(item.Seconds);
        switch (item)
        {
            case DetectorEventItem e:
                await EventAsync(e.Event, at, cancellationToken).ConfigureAwait(false);
                break;
            case TelemetryItem t:
                foreach (var site in t.Sites)
                {
                    var message = ContractMapping.ToTelemetryMessage(site, _publisher.Device, at);
                    await Guarded("telemetry", () => _publisher.PublishTelemetryAsync(message, cancellationToken)).ConfigureAwait(false);
                }

                break;
            case SensorFaultItem f:
                observer?.OnSensorFault(f, at);
                var fault = ContractMapping.ToSensorFaultMessage(_publisher.Device, f.Site, f.Code, f.Detail, at);
                await Guarded("fault", () => _publisher.PublishFaultAsync(fault, cancellationToken)).ConfigureAwait(false);
                Play(HapticCue.Warning, at);
                break;
            case StorageFaultItem s:
                var storage = ContractMapping.ToSensorFaultMessage(_publisher.Device, null, s.Code, s.Detail, at);
                await Guarded("fault", () => _publisher.PublishFaultAsync(storage, cancellationToken)).ConfigureAwait(false);
                break;
            case ActivityItem a:
                await PromptAsync(() => _coach.OnActivity(a.Context), at, cancellationToken).ConfigureAwait(false);
                break;
            case CoachTickItem:
                await PromptAsync(_coach.Tick, null, cancellationToken).ConfigureAwait(false);
                break;
            case FeedbackItem f when feedback is not null:
                FeedbackOutcome outcome;
                try
                {
                    outcome = feedback.Apply(f, at);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
                {
                    // A command the checks let through but a part refused: this command is lost, the queue goes on.
                    observer?.OnPartFailed("feedback", ex.Message);
                    break;
                }

                await FeedbackAsync(outcome, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask FeedbackAsync(FeedbackOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Applied is { } applied)
        {
            await Guarded("event", () => _publisher.PublishEventAsync(applied, cancellationToken)).ConfigureAwait(false);
        }

        await Guarded("feedback result", () => _publisher.PublishFeedbackResultAsync(outcome.Result, cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask EventAsync(CrampEvent cramp, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (cramp.Type == CrampEventKind.SignalFault)
        {
            var fault = ContractMapping.ToFaultMessage(cramp, at);
            await Guarded("event", () => _publisher.PublishFaultAsync(fault, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            var message = ContractMapping.ToEventMessage(cramp, at);
            await Guarded("event", () => _publisher.PublishEventAsync(message, cancellationToken)).ConfigureAwait(false);
        }

        observer?.OnEvent(cramp, at);
        feedback?.OnEvent(cramp, at);
        if (feedback?.IsRejected(cramp.Id) == true)
        {
            // The wearer said it was no cramp before it ended: its end is not counted either.
            return;
        }

        try
        {
            history?.Record(cramp, at);
        }
        catch (IOException ex)
        {
            // A full or broken disk costs the history of this cramp, never the detection or the outbox.
            observer?.OnPartFailed("cramp history", ex.Message);
        }

        if (cramp.Type == CrampEventKind.CrampWarning)
        {
            Play(HapticCue.Warning, at);
        }

        await PromptAsync(() => _coach.OnEvent(cramp), at, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PromptAsync(Func<IReadOnlyList<CoachPrompt>> ask, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        IReadOnlyList<CoachPrompt> prompts;
        try
        {
            prompts = ask();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            observer?.OnPartFailed("coach", ex.Message);
            return;
        }

        foreach (var prompt in prompts)
        {
            observer?.OnPrompt(prompt);
            var message = ContractMapping.ToPromptMessage(prompt, _publisher.Device);
            await Guarded("prompt", () => _publisher.PublishPromptAsync(message, cancellationToken)).ConfigureAwait(false);
            Play(prompt.HapticPattern switch
            {
                HapticPattern.CrampAlert => HapticCue.CrampAlert,
                HapticPattern.Attention => HapticCue.Warning,
                _ => HapticCue.Prompt,
            }, at ?? prompt.CreatedAt);
        }
    }

    private void Play(HapticCue cue, DateTimeOffset at)
    {
        try
        {
            haptics?.Play(cue, at);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException)
        {
            observer?.OnPartFailed("haptic motor", ex.Message);
        }
    }

    private async ValueTask Guarded(string what, Func<ValueTask> publish)
    {
        try
        {
            await publish().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            observer?.OnPartFailed("outbox (" + what + ")", ex.Message);
        }
    }
}

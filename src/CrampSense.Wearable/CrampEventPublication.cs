using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;

namespace CrampSense.Wearable;

/// <summary>
/// The one way a detector event goes out, shared by the service and <c>crampsense replay --mqtt</c>: a
/// <c>signal_fault</c> to the fault topic, every other event to the event topic, all through the publisher's
/// outbox; when a coach is given (the replay), its prompts for the event follow on the prompt topic. The service
/// passes none: it asks its coach itself, after the event is durable, to play the motor too.
/// </summary>
public static class CrampEventPublication
{
    /// <summary>When the detector emitted the event, in seconds from the session start (confirmation for a start, end for an end).</summary>
    public static double EmittedSeconds(CrampEvent cramp)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        return cramp.Type switch
        {
            CrampEventKind.CrampStarted => cramp.ConfirmedSeconds ?? cramp.OnsetSeconds,
            CrampEventKind.CrampEnded => cramp.EndSeconds ?? cramp.OnsetSeconds,
            _ => cramp.EndSeconds ?? cramp.OnsetSeconds,
        };
    }

    /// <summary>
    /// Queues <paramref name="cramp"/> (made at <paramref name="at"/>) and, when a coach is given, the prompts the
    /// coach answers it with; returns those prompts (the caller plays their haptic patterns).
    /// </summary>
    /// <exception cref="ArgumentException">The message does not fit the contract (another device, too large).</exception>
    public static async ValueTask<IReadOnlyList<CoachPrompt>> PublishAsync(IContractPublisher publisher, CrampEvent cramp, DateTimeOffset at, CrampCoach? coach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(cramp);
        if (cramp.Type == CrampEventKind.SignalFault)
        {
            await publisher.PublishFaultAsync(ContractMapping.ToFaultMessage(cramp, at), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await publisher.PublishEventAsync(ContractMapping.ToEventMessage(cramp, at), cancellationToken).ConfigureAwait(false);
        }

        if (coach is null)
        {
            return [];
        }

        var prompts = coach.OnEvent(cramp);
        foreach (var prompt in prompts)
        {
            await publisher.PublishPromptAsync(ContractMapping.ToPromptMessage(prompt, publisher.Device), cancellationToken).ConfigureAwait(false);
        }

        return prompts;
    }
}

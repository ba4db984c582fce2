using System.Globalization;
using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;

namespace CrampSense.Wearable.Feedback;

/// <summary>What applying one feedback command gives: the result for <c>…/feedback/result</c> and, when an event's label changed, its <c>feedback_applied</c> event.</summary>
public sealed record FeedbackOutcome(FeedbackResultMessage Result, EventMessage? Applied);

/// <summary>
/// Applies the wearer's feedback commands (docs/mqtt.md, "Feedback") on the dispatcher's thread: confirm or reject
/// an event (its clip's label, the coach's and the durable cramp history), report a missed cramp (a clip from the
/// buffer, counted as a cramp), declare exercise (intent evidence for the detector) and snooze the coach. A command
/// that cannot be read or applied is refused with the reason and changes nothing. It remembers the recent events the
/// dispatcher saw (<see cref="OnEvent"/>), so a command names an event by id, or <c>last</c> for the latest cramp.
/// </summary>
/// <remarks>Not thread-safe: the dispatcher calls it from its one thread, in the order items come.</remarks>
public sealed class FeedbackApplier(
    CrampCoach coach,
    SessionClock clock,
    string device,
    ILiveSession? live = null,
    IClipLabels? clips = null,
    ICrampHistory? history = null,
    IDispatchObserver? observer = null)
{
    /// <summary>Events and command ids remembered; older ones are forgotten (a command about them is refused as unknown).</summary>
    public const int Remembered = 512;

    private readonly CrampCoach _coach = coach ?? throw new ArgumentNullException(nameof(coach));
    private readonly SessionClock _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    private readonly string _device = DeviceId.ThrowIfInvalid(device);
    private readonly BoundedMap<Known> _events = new(Remembered);
    private readonly BoundedMap<FeedbackOutcome> _applied = new(Remembered);
    private string? _lastCramp;

    /// <summary>Remembers a detector event the dispatcher handled (cramp starts, ends and warnings).</summary>
    public void OnEvent(CrampEvent cramp, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        switch (cramp.Type)
        {
            case CrampEventKind.CrampStarted or CrampEventKind.CrampWarning when !_events.ContainsKey(cramp.Id):
                // The start as the coach and the history reckon it: the emission less the confirmation delay it carries.
                var started = cramp.Type == CrampEventKind.CrampStarted ? at - TimeSpan.FromSeconds(Math.Max(0, cramp.DurationSeconds ?? 0)) : at;
                _events.Set(cramp.Id, new Known(cramp.Site, cramp.OnsetSeconds, started, cramp.Type == CrampEventKind.CrampStarted, cramp.ModelVersion));
                break;
            default:
                break;
        }

        if (cramp.Type == CrampEventKind.CrampStarted)
        {
            _lastCramp = cramp.Id;
        }
    }

    /// <summary>True when the wearer rejected <paramref name="eventId"/>: its later events are not counted as a cramp.</summary>
    public bool IsRejected(string eventId) => _events.TryGet(eventId, out var known) && known.Status == ClipStatus.Rejected;

    /// <summary>Reads and applies one command (received at <paramref name="now"/>, the session's wall time).</summary>
    public FeedbackOutcome Apply(FeedbackItem item, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!FeedbackCommand.TryParse(item.Payload, _device, now, out var command, out var reason, out var commandId, out var commandName))
        {
            return Refused(now, commandId, commandName, reason, item.Payload);
        }

        if (_applied.TryGet(command!.Id, out var earlier))
        {
            // Delivery is at least once: the same command again is answered again and changes nothing more.
            return earlier;
        }

        var outcome = command.Command switch
        {
            FeedbackCommands.Confirm or FeedbackCommands.Reject => Judge(command, now, item.Payload),
            FeedbackCommands.CrampNow or FeedbackCommands.CrampAt => Report(command, now, item.Payload),
            FeedbackCommands.Exercising => Exercise(command, now, item.Payload),
            _ => Snooze(command, now),
        };
        if (outcome.Result.Outcome == FeedbackResultMessage.Applied)
        {
            _applied.Set(command.Id, outcome);
        }

        return outcome;
    }

    private FeedbackOutcome Judge(FeedbackCommand command, DateTimeOffset now, byte[] payload)
    {
        var confirm = command.Command == FeedbackCommands.Confirm;
        var eventId = command.EventId!;
        if (eventId == FeedbackCommands.LastEvent)
        {
            if (_lastCramp is null)
            {
                return Refused(now, command.Id, command.Command, "event_id: 'last' names no cramp: none was detected since the service started", payload);
            }

            eventId = _lastCramp;
        }

        var status = confirm ? ClipStatus.Confirmed : ClipStatus.Rejected;
        Func<ClipLabel, ClipLabel> change = label => label.With(status, command.Site is { } site ? [.. label.Intervals.Select(i => new TruthInterval(i.Kind, site, i.StartSeconds, i.EndSeconds))] : null);
        if (!_events.TryGet(eventId, out var known))
        {
            // Not seen since the start (an older night): its clip on disk can still be labelled.
            if (!Guard("clip label", () => clips?.RelabelSaved(eventId, change) ?? false))
            {
                return Refused(now, command.Id, command.Command, $"event_id: '{eventId}' is no event this device remembers (the last {Remembered}) and no clip on it has that id", payload);
            }

            if (!confirm)
            {
                Guard("cramp history", () => Forget(eventId));
            }

            return Applied(now, command, eventId, new EventMessage
            {
                Id = FeedbackEventId(eventId, status),
                Time = ContractTime.Format(now),
                Device = _device,
                Site = command.Site ?? SiteOf(eventId),
                Type = EventMessage.FeedbackApplied,
                EventId = eventId,
                OnsetSeconds = OnsetOf(eventId),
                Feedback = confirm ? EventMessage.Confirmed : EventMessage.Rejected,
                CommandId = command.Id,
            });
        }

        if (command.Site is { } named && live is { } session && !session.Sites.Contains(named))
        {
            return Refused(now, command.Id, command.Command, $"site: '{named}' is not worn ({string.Join(", ", session.Sites)})", payload);
        }

        Guard("clip label", () =>
        {
            clips?.RelabelWhenSaved(eventId, change);
            return clips?.RelabelSaved(eventId, change) ?? false;
        });
        if (known.IsCramp)
        {
            var wasRejected = known.Status == ClipStatus.Rejected;
            if (!confirm && !wasRejected)
            {
                _coach.ForgetCramp(eventId, known.StartedAt);
                Guard("cramp history", () => Forget(eventId));
            }
            else if (confirm && wasRejected)
            {
                // Rejected first, confirmed after: counted again.
                _coach.OnCrampReported(known.StartedAt);
                Guard("cramp history", () => Record(eventId, command.Site ?? known.Site, known.StartedAt));
            }
        }

        _events.Set(eventId, known with { Status = status });
        return Applied(now, command, eventId, new EventMessage
        {
            Id = FeedbackEventId(eventId, status),
            Time = ContractTime.Format(now),
            Device = _device,
            Site = command.Site ?? known.Site,
            Type = EventMessage.FeedbackApplied,
            EventId = eventId,
            OnsetSeconds = known.OnsetSeconds,
            ModelVersion = known.ModelVersion,
            Feedback = confirm ? EventMessage.Confirmed : EventMessage.Rejected,
            CommandId = command.Id,
        });
    }

    private FeedbackOutcome Report(FeedbackCommand command, DateTimeOffset now, byte[] payload)
    {
        if (live is not { Sites.Count: > 0 })
        {
            return Refused(now, command.Id, command.Command, "command: no detection session is running to take the report", payload);
        }

        var site = command.Site ?? live.Sites[0];
        if (!live.Sites.Contains(site))
        {
            return Refused(now, command.Id, command.Command, $"site: '{site}' is not worn ({string.Join(", ", live.Sites)})", payload);
        }

        double? seconds = command.At is { } at ? (at - _clock.Start).TotalSeconds : null;
        if (seconds < 0)
        {
            return Refused(now, command.Id, command.Command, $"at: {ContractTime.Format(command.At!.Value)} is before this session started ({ContractTime.Format(_clock.Start)})", payload);
        }

        var onset = seconds ?? _clock.Seconds;
        var reportId = string.Create(CultureInfo.InvariantCulture, $"{_device}:{site}:report:{(long)Math.Round(onset * 1000)}");
        if (!live.ReportCramp(reportId, site, seconds))
        {
            return Refused(now, command.Id, command.Command, command.At is { } missed
                ? $"at: {ContractTime.Format(missed)} is no longer in the clip buffer"
                : "command: no detection session is running to take the report", payload);
        }

        var startedAt = command.At ?? now;
        _events.Set(reportId, new Known(site, onset, startedAt, IsCramp: true, ModelVersion: null) { Status = ClipStatus.Confirmed });
        _lastCramp = reportId;
        _coach.OnCrampReported(startedAt);
        Guard("cramp history", () => Record(reportId, site, startedAt));
        return Applied(now, command, reportId, new EventMessage
        {
            Id = FeedbackEventId(reportId, ClipStatus.Confirmed),
            Time = ContractTime.Format(now),
            Device = _device,
            Site = site,
            Type = EventMessage.FeedbackApplied,
            EventId = reportId,
            OnsetSeconds = Math.Max(0, onset),
            Feedback = EventMessage.Reported,
            CommandId = command.Id,
        });
    }

    private FeedbackOutcome Exercise(FeedbackCommand command, DateTimeOffset now, byte[] payload)
    {
        if (live is null)
        {
            return Refused(now, command.Id, command.Command, "command: no detection session is running to take the exercise", payload);
        }

        live.DeclareExercise((command.Until!.Value - _clock.Start).TotalSeconds);
        return Applied(now, command, null, null);
    }

    private FeedbackOutcome Snooze(FeedbackCommand command, DateTimeOffset now)
    {
        _coach.Snooze(command.Until!.Value);
        return Applied(now, command, null, null);
    }

    private bool Forget(string eventId)
    {
        history?.Forget(eventId);
        return true;
    }

    private bool Record(string eventId, string site, DateTimeOffset startedAt)
    {
        history?.RecordReported(eventId, site, startedAt);
        return true;
    }

    // A failing disk costs the label or the history of this command, never the command's other effects.
    private bool Guard(string part, Func<bool> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            observer?.OnPartFailed(part, ex.Message);
            return true;
        }
    }

    // An event id is device:site:kind:onset_ms (the detector's): the site and onset of one not remembered come from it.
    private static string SiteOf(string eventId) => eventId.Split(':') is [_, var site, ..] && SiteName.IsValid(site) ? site : "unknown";

    private static double OnsetOf(string eventId) =>
        eventId.Split(':') is [.., var ms] && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var onset) && onset >= 0 ? onset / 1000.0 : 0;

    // Deterministic, as the detector's message ids: the same answer again has the same id (consumers drop duplicates).
    private static string FeedbackEventId(string eventId, ClipStatus status) =>
        $"{eventId}:{EventMessage.FeedbackApplied}:{ClipLabel.StatusName(status)}" is var id && id.Length <= 200 ? id : id[..200];

    private FeedbackOutcome Applied(DateTimeOffset now, FeedbackCommand command, string? eventId, EventMessage? applied) =>
        new(new FeedbackResultMessage
        {
            // Deterministic for a re-sent command; a fresh id when the command's own is too long to extend (schema: 200).
            Id = command.Id.Length <= 193 ? $"{command.Id}:result" : ContractTime.NewId(now),
            Time = ContractTime.Format(now),
            Device = _device,
            Outcome = FeedbackResultMessage.Applied,
            CommandId = command.Id,
            Command = command.Command,
            EventId = eventId,
        }, applied);

    private FeedbackOutcome Refused(DateTimeOffset now, string? commandId, string? command, string reason, ReadOnlySpan<byte> payload) =>
        new(new FeedbackResultMessage
        {
            Id = ContractTime.NewId(now),
            Time = ContractTime.Format(now),
            Device = _device,
            Outcome = FeedbackResultMessage.Refused,
            CommandId = commandId,
            Command = command,
            Reason = reason.Length > 1000 ? reason[..1000] : reason,
            Payload = FeedbackCommand.Quote(payload),
        }, null);

    private sealed record Known(string Site, double OnsetSeconds, DateTimeOffset StartedAt, bool IsCramp, string? ModelVersion)
    {
        public ClipStatus Status { get; init; } = ClipStatus.Unconfirmed;
    }
}

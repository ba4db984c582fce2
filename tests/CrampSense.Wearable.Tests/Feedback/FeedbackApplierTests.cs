using System.Text;
using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using CrampSense.Wearable.Feedback;
using CrampSense.Wearable.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Wearable.Tests.Feedback;

/// <summary>Feedback commands through the dispatcher: what each changes (labels, history, coach, detector) and what a refused one leaves alone.</summary>
public sealed class FeedbackApplierTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero); // midday: no quiet hours

    private readonly RecordingPublisher _publisher = new();
    private readonly RecordingHistory _history = new();
    private readonly RecordingObserver _observer = new();
    private readonly SessionClock _clock = new(Start);
    private readonly Labels _labels = new();
    private readonly Live _live = new();
    private readonly CrampCoach _coach;
    private readonly OutgoingDispatcher _dispatcher;

    public FeedbackApplierTests()
    {
        _coach = new CrampCoach("pi-01", new CoachOptions(), _clock, TimeZoneInfo.Utc);
        var feedback = new FeedbackApplier(_coach, _clock, "pi-01", _live, _labels, _history, _observer);
        _dispatcher = new OutgoingDispatcher(_coach, _clock, _publisher, history: _history, observer: _observer, feedback: feedback);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reject_AfterTheCrampStarted_TakesItOutOfTheHistoryAndRelabelsItsClipRejected()
    {
        var started = DetectorSamples.Started();
        await _dispatcher.DispatchAsync(new DetectorEventItem(started, 17.5), Ct);
        Assert.Equal(1, _coach.History.Count);

        await SendAsync(Command("c-1", "reject", eventId: started.Id), 20);

        Assert.Equal(0, _coach.History.Count);
        Assert.Equal([started.Id], _history.Forgotten);
        Assert.Equal(ClipStatus.Rejected, _labels.Apply(started.Id, ClipStatus.Unconfirmed).Status);
        var applied = Assert.Single(_publisher.Messages.OfType<EventMessage>(), m => m.Type == EventMessage.FeedbackApplied);
        Assert.Equal((started.Id, EventMessage.Rejected, "c-1", "calf", started.OnsetSeconds), (applied.EventId, applied.Feedback, applied.CommandId, applied.Site, applied.OnsetSeconds));
        var result = Assert.Single(_publisher.Messages.OfType<FeedbackResultMessage>());
        Assert.Equal((FeedbackResultMessage.Applied, "c-1", started.Id), (result.Outcome, result.CommandId, result.EventId));
    }

    [Fact]
    public async Task Reject_BeforeTheCrampEnded_ItsEndIsNotCountedAndGivesNoAftercare()
    {
        var started = DetectorSamples.Started();
        await _dispatcher.DispatchAsync(new DetectorEventItem(started, 17.5), Ct);
        await SendAsync(Command("c-1", "reject", eventId: "last"), 20);
        _publisher.Messages.Clear();

        await _dispatcher.DispatchAsync(new DetectorEventItem(DetectorSamples.Ended(), 52.5), Ct);

        Assert.Equal(0, _coach.History.Count);
        Assert.Equal([started], _history.Recorded);
        Assert.Equal([EventMessage.CrampEnded], _publisher.Messages.Select(m => ((EventMessage)m).Type));
    }

    [Fact]
    public async Task Confirm_ByLast_LabelsTheLatestCrampConfirmedWithTheSiteGivenAndKeepsItCounted()
    {
        var first = DetectorSamples.Started(onset: 12.5);
        var second = DetectorSamples.Started(site: "shin", onset: 80);
        await _dispatcher.DispatchAsync(new DetectorEventItem(first, 17.5), Ct);
        await _dispatcher.DispatchAsync(new DetectorEventItem(second, 85), Ct);

        await SendAsync(Command("c-1", "confirm", eventId: "last", site: "calf"), 90);

        var label = _labels.Apply(second.Id, ClipStatus.Unconfirmed);
        Assert.Equal((ClipStatus.Confirmed, "calf"), (label.Status, label.Intervals[0].Site));
        Assert.Null(_labels.Find(first.Id));
        Assert.Equal(2, _coach.History.Count);
        Assert.Empty(_history.Forgotten);
        Assert.Equal((second.Id, EventMessage.Confirmed), _publisher.Messages.OfType<EventMessage>().Where(m => m.Type == EventMessage.FeedbackApplied).Select(m => (m.EventId, m.Feedback)).Single());
    }

    [Fact]
    public async Task Confirm_AfterAReject_CountsTheCrampAgain()
    {
        var started = DetectorSamples.Started();
        await _dispatcher.DispatchAsync(new DetectorEventItem(started, 17.5), Ct);
        await SendAsync(Command("c-1", "reject", eventId: started.Id), 20);

        await SendAsync(Command("c-2", "confirm", eventId: started.Id), 21);

        Assert.Equal(1, _coach.History.Count);
        Assert.Equal([started.Id], _history.Reported);
    }

    [Fact]
    public async Task CrampNow_WritesAReportClipOnTheFirstSiteAndCountsTheCramp()
    {
        await SendAsync(Command("c-1", "cramp_now"), 300);

        var report = Assert.Single(_live.Reports);
        Assert.Equal(("pi-01:calf:report:300000", "calf", (double?)null), report);
        Assert.Equal(1, _coach.History.Count);
        Assert.Equal([report.Id], _history.Reported);
        var applied = Assert.Single(_publisher.Messages.OfType<EventMessage>());
        Assert.Equal((EventMessage.FeedbackApplied, EventMessage.Reported, report.Id, 300.0), (applied.Type, applied.Feedback, applied.EventId, applied.OnsetSeconds));
    }

    [Fact]
    public async Task CrampAt_ATimeInTheSession_ReportsItAtThatSessionSecond()
    {
        await SendAsync(Command("c-1", "cramp_at", site: "shin", at: Start.AddSeconds(250)), 300);

        Assert.Equal(("pi-01:shin:report:250000", "shin", (double?)250), Assert.Single(_live.Reports));
    }

    [Fact]
    public async Task CrampAt_OlderThanTheBuffer_IsRefusedAndCountsNothing()
    {
        _live.BufferStartSeconds = 200;

        await SendAsync(Command("c-1", "cramp_at", site: "calf", at: Start.AddSeconds(100)), 300);

        Assert.Contains("no longer in the clip buffer", Refusal().Reason, StringComparison.Ordinal);
        Assert.Equal(0, _coach.History.Count);
        Assert.Empty(_history.Reported);
    }

    [Fact]
    public async Task CrampNow_OnASiteNotWorn_IsRefused()
    {
        await SendAsync(Command("c-1", "cramp_now", site: "forearm"), 300);

        Assert.Equal("site: 'forearm' is not worn (calf, shin)", Refusal().Reason);
        Assert.Empty(_live.Reports);
    }

    [Fact]
    public async Task Exercising_DeclaresExerciseUntilThatSessionSecond()
    {
        await SendAsync(Command("c-1", "exercising", until: Start.AddSeconds(300 + 3600)), 300);

        Assert.Equal(3900, _live.ExerciseUntil);
        Assert.Equal(FeedbackResultMessage.Applied, Assert.Single(_publisher.Messages.OfType<FeedbackResultMessage>()).Outcome);
    }

    [Fact]
    public async Task Snooze_HoldsTheCoachsPromptsUntilThenButNotTheCrampAlert()
    {
        await SendAsync(Command("c-1", "snooze", until: Start.AddHours(2)), 10);

        Assert.True(_coach.IsHeld(Start.AddHours(1)));
        Assert.False(_coach.IsHeld(Start.AddHours(2)));
        await _dispatcher.DispatchAsync(new DetectorEventItem(DetectorSamples.Started(), 17.5), Ct);
        Assert.Contains(_publisher.Messages.OfType<PromptMessage>(), p => p.Kind == "stretch");
    }

    [Fact]
    public async Task Reject_UnknownEvent_IsRefusedNamingItAndChangesNothing()
    {
        await _dispatcher.DispatchAsync(new DetectorEventItem(DetectorSamples.Started(), 17.5), Ct);
        _publisher.Messages.Clear();

        await SendAsync(Command("c-1", "reject", eventId: "pi-01:calf:cramp:999"), 20);

        Assert.StartsWith("event_id: 'pi-01:calf:cramp:999' is no event", Refusal().Reason, StringComparison.Ordinal);
        Assert.Equal(1, _coach.History.Count);
        Assert.Empty(_history.Forgotten);
        Assert.Empty(_labels.Changed);
        Assert.Empty(_publisher.Messages.OfType<EventMessage>());
    }

    [Fact]
    public async Task Reject_LastBeforeAnyCramp_IsRefused()
    {
        await SendAsync(Command("c-1", "reject", eventId: "last"), 20);

        Assert.StartsWith("event_id: 'last' names no cramp", Refusal().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_AnOlderEventWhoseClipIsOnDisk_RelabelsItAndForgetsItInTheHistory()
    {
        _labels.OnDisk.Add("pi-01:calf:cramp:5000");

        await SendAsync(Command("c-1", "reject", eventId: "pi-01:calf:cramp:5000"), 20);

        Assert.Equal(ClipStatus.Rejected, _labels.Apply("pi-01:calf:cramp:5000", ClipStatus.Unconfirmed).Status);
        Assert.Equal(["pi-01:calf:cramp:5000"], _history.Forgotten);
        var applied = Assert.Single(_publisher.Messages.OfType<EventMessage>());
        Assert.Equal(("calf", 5.0), (applied.Site, applied.OnsetSeconds));
    }

    [Fact]
    public async Task BadCommands_EachGetsARefusalAndTheNextGoodOneIsStillApplied()
    {
        var started = DetectorSamples.Started();
        await _dispatcher.DispatchAsync(new DetectorEventItem(started, 17.5), Ct);
        _publisher.Messages.Clear();

        await _dispatcher.DispatchAsync(new FeedbackItem(Encoding.UTF8.GetBytes("not json"), 20), Ct);
        await _dispatcher.DispatchAsync(new FeedbackItem(new byte[FeedbackCommand.MaxBytes + 1], 20), Ct);
        await SendAsync(Command("c-2", "reject", eventId: started.Id, device: "pi-02"), 20);
        await SendAsync(Command("c-3", "reject", eventId: started.Id), 21);

        var results = _publisher.Messages.OfType<FeedbackResultMessage>().ToList();
        Assert.Equal([FeedbackResultMessage.Refused, FeedbackResultMessage.Refused, FeedbackResultMessage.Refused, FeedbackResultMessage.Applied], results.Select(r => r.Outcome));
        Assert.Equal("not json", results[0].Payload);
        Assert.StartsWith("payload: ", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal("c-2", results[2].CommandId);
    }

    [Fact]
    public async Task SameCommandTwice_IsAppliedOnceAndAnsweredTwice()
    {
        var started = DetectorSamples.Started();
        await _dispatcher.DispatchAsync(new DetectorEventItem(started, 17.5), Ct);
        await SendAsync(Command("c-1", "reject", eventId: started.Id), 20);
        await SendAsync(Command("c-2", "confirm", eventId: started.Id), 21);

        await SendAsync(Command("c-1", "reject", eventId: started.Id), 22);

        Assert.Equal(1, _coach.History.Count);
        Assert.Equal(3, _publisher.Messages.OfType<FeedbackResultMessage>().Count());
        Assert.Equal(ClipStatus.Confirmed, _labels.Apply(started.Id, ClipStatus.Unconfirmed).Status);
    }

    [Fact]
    public async Task Result_OfACommandWithTheLongestId_HasAnIdTheSchemaAllows()
    {
        var id = new string('c', 200);

        await SendAsync(Command(id, "snooze", until: Start.AddHours(1)), 10);

        var result = Assert.Single(_publisher.Messages.OfType<FeedbackResultMessage>());
        Assert.Equal(id, result.CommandId);
        Assert.InRange(result.Id.Length, 1, 200);
    }

    private FeedbackResultMessage Refusal()
    {
        var result = Assert.Single(_publisher.Messages.OfType<FeedbackResultMessage>());
        Assert.Equal(FeedbackResultMessage.Refused, result.Outcome);
        Assert.NotNull(result.Reason);
        return result;
    }

    private ValueTask SendAsync(string json, double seconds) => _dispatcher.DispatchAsync(new FeedbackItem(Encoding.UTF8.GetBytes(json), seconds), Ct);

    private static string Command(string id, string command, string? eventId = null, string? site = null, DateTimeOffset? at = null, DateTimeOffset? until = null, string device = "pi-01")
    {
        var fields = new List<string> { "\"schema\":\"crampsense.feedback.v1\"", $"\"id\":\"{id}\"", $"\"time\":\"{ContractTime.Format(Start)}\"", $"\"device\":\"{device}\"", $"\"command\":\"{command}\"" };
        if (eventId is not null)
        {
            fields.Add($"\"event_id\":\"{eventId}\"");
        }

        if (site is not null)
        {
            fields.Add($"\"site\":\"{site}\"");
        }

        if (at is { } a)
        {
            fields.Add($"\"at\":\"{ContractTime.Format(a)}\"");
        }

        if (until is { } u)
        {
            fields.Add($"\"until\":\"{ContractTime.Format(u)}\"");
        }

        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>The clip labels as the feedback left them: the last change per event, applied to a sample label.</summary>
    private sealed class Labels : IClipLabels
    {
        public HashSet<string> OnDisk { get; } = [];

        public Dictionary<string, Func<ClipLabel, ClipLabel>> Changed { get; } = [];

        public Func<ClipLabel, ClipLabel>? Find(string eventId) => Changed.GetValueOrDefault(eventId);

        public ClipLabel Apply(string eventId, ClipStatus status) => Changed[eventId](new ClipLabel
        {
            Intervals = [new TruthInterval(TruthKind.Cramp, "shin", 60, 70)],
            Origin = ClipLabel.Detected,
            Status = status,
            Trigger = ClipRecorder.CrampTrigger,
            EventId = eventId,
            Device = "pi-01",
        });

        public bool RelabelSaved(string eventId, Func<ClipLabel, ClipLabel> change)
        {
            if (!OnDisk.Contains(eventId))
            {
                return false;
            }

            Changed[eventId] = change;
            return true;
        }

        public void RelabelWhenSaved(string eventId, Func<ClipLabel, ClipLabel> change) => Changed[eventId] = change;
    }

    private sealed class Live : ILiveSession
    {
        public List<(string Id, string Site, double? Seconds)> Reports { get; } = [];

        public double BufferStartSeconds { get; set; } = double.NegativeInfinity;

        public double ExerciseUntil { get; private set; } = double.NaN;

        public IReadOnlyList<string> Sites { get; } = ["calf", "shin"];

        public bool ReportCramp(string reportId, string site, double? sessionSeconds)
        {
            if (sessionSeconds < BufferStartSeconds)
            {
                return false;
            }

            Reports.Add((reportId, site, sessionSeconds));
            return true;
        }

        public void DeclareExercise(double untilSessionSeconds) => ExerciseUntil = untilSessionSeconds;
    }
}

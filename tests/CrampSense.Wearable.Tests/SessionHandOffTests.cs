using System.Text.Json;
using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Wearable.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Wearable.Tests;

/// <summary>
/// Issue 15 item 2: the service's path (the session on its own detection thread, a <see cref="SessionHandOff"/> to the
/// dispatcher's task) and <c>crampsense replay</c>'s (the session into a list, then the list through the dispatcher)
/// give the same contract messages for one recording.
/// </summary>
public sealed class SessionHandOffTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero); // midday: no quiet hours

    [Fact]
    public async Task RunAsync_SessionOnADetectionThread_GivesTheSameEventsPromptsAndTelemetryAsAReplaysList()
    {
        var ct = TestContext.Current.CancellationToken;
        var duration = TimeSpan.FromSeconds(90); // night-cramp seed 1: a calf cramp about 25 s in

        // The service: detection thread → queue → dispatcher task.
        var live = new RecordingPublisher();
        var queue = new SessionHandOff();
        var dispatching = Task.Run(() => queue.RunAsync(Dispatcher(live), ct), ct);
        await Task.Factory.StartNew(() => SimulatedRun.Run("night-cramp", 1, duration, queue), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        queue.Complete();
        await dispatching;

        // The replay: the session into a list, then every item through the dispatcher.
        var replayed = new RecordingPublisher();
        var items = new ItemList();
        SimulatedRun.Run("night-cramp", 1, duration, items);
        var dispatcher = Dispatcher(replayed);
        foreach (var item in items.Items)
        {
            await dispatcher.DispatchAsync(item, ct);
        }

        Assert.Contains(live.Messages, m => m is EventMessage { Type: EventMessage.CrampStarted, Site: "calf" });
        Assert.Contains(live.Messages, m => m is PromptMessage { Kind: "stretch" });
        Assert.InRange(live.Messages.Count(m => m is TelemetryMessage { Site: "calf" }), 89, 90); // 1 Hz over 90 s
        Assert.Equal(Json(replayed.Messages), Json(live.Messages));
    }

    private static OutgoingDispatcher Dispatcher(RecordingPublisher publisher)
    {
        var clock = new SessionClock(Start);
        return new OutgoingDispatcher(new CrampCoach(publisher.Device, new CoachOptions(), clock, TimeZoneInfo.Utc), clock, publisher);
    }

    /// <summary>Each message as its payload; telemetry ids are random by design (a time-ordered UUID), so they are left out.</summary>
    private static string[] Json(IEnumerable<ContractMessage> messages) =>
    [
        .. messages.Select(m => m switch
        {
            EventMessage e => JsonSerializer.Serialize(e, ContractJsonContext.Default.EventMessage),
            PromptMessage p => JsonSerializer.Serialize(p, ContractJsonContext.Default.PromptMessage),
            FaultMessage f => JsonSerializer.Serialize(f, ContractJsonContext.Default.FaultMessage),
            TelemetryMessage t => JsonSerializer.Serialize(t with { Id = "-" }, ContractJsonContext.Default.TelemetryMessage),
            _ => throw new ArgumentException("unexpected message " + m.GetType().Name),
        }),
    ];
}

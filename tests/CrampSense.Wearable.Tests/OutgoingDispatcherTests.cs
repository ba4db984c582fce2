using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Wearable.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class OutgoingDispatcherTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero); // midday: no quiet hours

    private readonly RecordingPublisher _publisher = new();
    private readonly RecordingHaptics _haptics = new();
    private readonly RecordingHistory _history = new();
    private readonly RecordingObserver _observer = new();
    private readonly SessionClock _clock = new(Start);

    private OutgoingDispatcher Dispatcher() =>
        new(new CrampCoach("pi-01", new CoachOptions(), _clock, TimeZoneInfo.Utc), _clock, _publisher, _haptics, _history, _observer);

    [Fact]
    public async Task DispatchAsync_CrampStarted_EventIsQueuedBeforeItIsAnnouncedRecordedAndAnsweredWithAStretch()
    {
        var started = DetectorSamples.Started();

        await Dispatcher().DispatchAsync(new DetectorEventItem(started, 17.5), TestContext.Current.CancellationToken);

        var message = Assert.IsType<EventMessage>(_publisher.Messages[0]);
        Assert.Equal(ContractTime.Format(Start.AddSeconds(17.5)), message.Time);
        var prompt = Assert.IsType<PromptMessage>(_publisher.Messages[1]);
        Assert.Equal(("stretch", started.Id), (prompt.Kind, prompt.EventId));
        Assert.Equal(["event CrampStarted", "prompt stretch"], _observer.Log);
        Assert.Same(started, Assert.Single(_history.Recorded));
        Assert.Equal([HapticCue.CrampAlert], _haptics.Cues);
    }

    [Fact]
    public async Task DispatchAsync_OutboxFails_ReportsItAndTheCoachStillAnswers()
    {
        _publisher.Failure = new IOException("disk full");

        await Dispatcher().DispatchAsync(new DetectorEventItem(DetectorSamples.Started(), 17.5), TestContext.Current.CancellationToken);

        Assert.Empty(_publisher.Messages);
        Assert.Equal(["failed outbox (event)", "event CrampStarted", "prompt stretch", "failed outbox (prompt)"], _observer.Log);
        Assert.Single(_history.Recorded);
    }

    [Fact]
    public async Task DispatchAsync_SensorFault_QueuesASensorFaultForTheDeviceAndBuzzesAWarning()
    {
        await Dispatcher().DispatchAsync(new SensorFaultItem(null, "MCP3008", FaultCodes.ChipMissing, "MCP3008 on SPI0: no answer", 3), TestContext.Current.CancellationToken);

        var fault = Assert.IsType<FaultMessage>(Assert.Single(_publisher.Messages));
        Assert.Equal(("device", FaultMessage.SensorSource, FaultCodes.ChipMissing), (fault.Site, fault.Source, Assert.Single(fault.Faults)));
        Assert.Equal([HapticCue.Warning], _haptics.Cues);
        Assert.Equal(["sensor chip_missing"], _observer.Log);
    }

    [Fact]
    public async Task DispatchAsync_Telemetry_OneMessagePerSiteAtTheItemsTime()
    {
        var sites = new[] { new SiteTelemetry("calf", 10, null, TelemetryClasses.Rest, false, 32.5, 0), new SiteTelemetry("shin", 60, 30, TelemetryClasses.Cramp, true, null, 1.5) };

        await Dispatcher().DispatchAsync(new TelemetryItem(sites, 41), TestContext.Current.CancellationToken);

        var messages = _publisher.Messages.Cast<TelemetryMessage>().ToList();
        Assert.Equal(["calf", "shin"], messages.Select(m => m.Site));
        Assert.All(messages, m => Assert.Equal(ContractTime.Format(Start.AddSeconds(41)), m.Time));
        Assert.Equal((60.0, 30.0, "cramp", true), (messages[1].EnvelopeMicrovolts, messages[1].PercentOfMax!.Value, messages[1].Class, messages[1].CrampActive));
    }

    [Fact]
    public async Task DispatchAsync_AnItem_MovesTheCoachsClockToItsTimeButNeverBack()
    {
        var dispatcher = Dispatcher();

        await dispatcher.DispatchAsync(new CoachTickItem(100), TestContext.Current.CancellationToken);
        await dispatcher.DispatchAsync(new CoachTickItem(40), TestContext.Current.CancellationToken);

        Assert.Equal(Start.AddSeconds(100), _clock.GetUtcNow());
    }
}

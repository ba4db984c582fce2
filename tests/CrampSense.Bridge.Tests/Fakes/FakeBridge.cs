using System.Text;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Contract;
using MQTTnet;

namespace CrampSense.Bridge.Tests.Fakes;

/// <summary>
/// A <see cref="MqttInfluxBridge"/> over <see cref="FakeMqttClient"/> and <see cref="FakePointWriter"/>, on a
/// <see cref="TimerRecordingTimeProvider"/> that only moves when the test advances it (or on the system clock).
/// Delays are far apart (reconnect 1 s, write retry 15–30 s, linger 5 ms), so a test can tell its loops' waits apart.
/// </summary>
internal sealed class FakeBridge : IAsyncDisposable
{
    private FakeBridge(Dictionary<string, string?> settings, bool systemTime)
    {
        Client = new FakeMqttClient(Changes);
        Database = new FakePointWriter(Changes);
        Time = new TimerRecordingTimeProvider(Changes);
        Options = BridgeSettings.Options(settings);
        Bridge = new MqttInfluxBridge(Options, Client, Database, systemTime ? TimeProvider.System : Time);
    }

    public ChangeSignal Changes { get; } = new();

    public FakeMqttClient Client { get; }

    public FakePointWriter Database { get; }

    public TimerRecordingTimeProvider Time { get; }

    public BridgeOptions Options { get; }

    public MqttInfluxBridge Bridge { get; }

    public IReadOnlyList<MqttApplicationMessage> DeadLetters => [.. Client.Published.Where(m => m.Topic == BridgeTopics.DeadLetter)];

    /// <summary>Settings for a fake bridge; <paramref name="configure"/> changes them.</summary>
    public static Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = BridgeSettings.For(1883, new Uri("http://127.0.0.1:8086"), "fake", "g-fake");
        settings["Mqtt:ReconnectMinSeconds"] = "1";
        settings["Mqtt:ReconnectMaxSeconds"] = "8";
        settings["Bridge:RetryMinSeconds"] = "30";
        settings["Bridge:RetryMaxSeconds"] = "60";
        settings["Bridge:StatusIntervalSeconds"] = "600";
        settings["Bridge:FlushIntervalMilliseconds"] = "1000";
        settings["Bridge:LingerMilliseconds"] = "5";
        configure?.Invoke(settings);
        return settings;
    }

    /// <summary>A bridge not started yet (on the fake clock).</summary>
    public static FakeBridge Create(Dictionary<string, string?> settings) => new(settings, systemTime: false);

    /// <summary>Starts a bridge and waits until it is subscribed.</summary>
    public static async Task<FakeBridge> StartAsync(Dictionary<string, string?> settings, CancellationToken ct, bool systemTime = false)
    {
        var fake = new FakeBridge(settings, systemTime);
        await fake.Bridge.StartAsync(ct);
        await fake.Bridge.WaitUntilConnectedAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);
        return fake;
    }

    public Task UntilAsync(Func<bool> condition, Func<string> what, CancellationToken ct) => Changes.UntilAsync(condition, what, ct);

    /// <summary>Waits until a timer of exactly <paramref name="dueTime"/> is made after the first <paramref name="seen"/> timers.</summary>
    public Task UntilTimerAsync(int seen, Func<TimeSpan, bool> dueTime, string what, CancellationToken ct) =>
        UntilAsync(() => Time.Timers.Skip(seen).Any(dueTime), () => $"a timer for {what} (made: {string.Join(", ", Time.Timers.Skip(seen))})", ct);

    /// <summary>
    /// Puts the point of the <paramref name="index"/>-th valid cramp_started of <paramref name="device"/> straight into
    /// the batch writer's queue, as a worker would (counted as received on the current connection); returns its packet id.
    /// </summary>
    public ushort QueuePoint(string device, int index)
    {
        var message = TestMessages.Started(device, index);
        var args = Client.Received(TestMessages.Topic(message), Encoding.UTF8.GetBytes(TestMessages.Json(message)));
        args.AutoAcknowledge = false;
        Bridge.Statistics.OnReceived();
        Bridge.Statistics.OnQueued();
        Bridge.Statistics.OnUnacknowledgedReceived();
        var queued = Bridge.Writer.Points.TryWrite(new PendingPoint(InfluxPointMapper.ToLineProtocol(message), new ReceivedMessage(args, Bridge.Subscription.Connection)));
        return queued ? args.PacketIdentifier : throw new InvalidOperationException("The point queue is full.");
    }

    /// <summary>
    /// Advances the clock by <paramref name="step"/> until <paramref name="condition"/> holds; between steps, waits for
    /// a loop to make a new timer (a step taken before the loop waits moves nothing for it).
    /// </summary>
    public async Task AdvanceUntilAsync(TimeSpan step, Func<bool> condition, Func<string> what, CancellationToken ct)
    {
        while (!condition())
        {
            var seen = Time.Timers.Count;
            Time.Advance(step);
            await UntilAsync(() => condition() || Time.Timers.Count > seen, what, ct);
        }
    }

    /// <summary>Delivers the <paramref name="index"/>-th valid cramp_started of <paramref name="device"/>.</summary>
    public Task<ushort> DeliverValidAsync(string device, int index)
    {
        var message = TestMessages.Started(device, index);
        return Client.DeliverAsync(TestMessages.Topic(message), Encoding.UTF8.GetBytes(TestMessages.Json(message)));
    }

    /// <summary>Delivers a payload that is not JSON on <paramref name="device"/>'s event topic.</summary>
    public Task<ushort> DeliverPoisonAsync(string device, int index) =>
        Client.DeliverAsync(new ContractTopics(device).Event, Encoding.UTF8.GetBytes($"{{\"id\": {index}, not json"));

    public ValueTask DisposeAsync() => Bridge.DisposeAsync();
}

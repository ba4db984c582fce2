using System.Text.Json;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Outbox;
using CrampSense.Messaging.Publishing;
using MQTTnet;

namespace CrampSense.Messaging.Tests.Infrastructure;

/// <summary>
/// A <see cref="MqttPublisher"/> over <see cref="FakeMqttClient"/> and a real outbox in a temporary folder, on a
/// <see cref="TimerRecordingTimeProvider"/> that moves only when the test advances it.
/// </summary>
internal sealed class FakePublisher : IAsyncDisposable
{
    private FakePublisher(int failConnects)
    {
        Client = new FakeMqttClient(Changes) { FailConnects = failConnects };
        Time = new TimerRecordingTimeProvider(Changes);
        Device = TestPublishers.NewDevice();
        Options = new MessagingOptions
        {
            Host = "127.0.0.1",
            Port = 1883,
            DeviceId = Device,
            OutboxPath = TestPublishers.TempOutbox(),
            OperationTimeout = TimeSpan.FromSeconds(5),
            Sites = ["calf", "hamstring"],
            ReconnectMinDelay = TimeSpan.FromSeconds(2),
            ReconnectMaxDelay = TimeSpan.FromSeconds(60),
            KeepAlive = TimeSpan.FromSeconds(600),
            StatusInterval = TimeSpan.FromSeconds(3600),
        };
        Outbox = SqliteOutbox.Open(OutboxOptions.From(Options), Time);
        Publisher = new MqttPublisher(Options, Outbox, Client, Time);
    }

    public ChangeSignal Changes { get; } = new();

    public FakeMqttClient Client { get; }

    public TimerRecordingTimeProvider Time { get; }

    public string Device { get; }

    public MessagingOptions Options { get; }

    public SqliteOutbox Outbox { get; }

    public MqttPublisher Publisher { get; }

    /// <summary>A publisher not started yet; the first <paramref name="failConnects"/> connection attempts fail.</summary>
    public static FakePublisher Create(int failConnects = 0) => new(failConnects);

    /// <summary>The ids of the prompts among <paramref name="messages"/>, in order.</summary>
    public List<string> PromptIds(IEnumerable<MqttApplicationMessage> messages) =>
        [.. messages.Where(m => m.Topic == Publisher.Topics.Prompt).Select(m => JsonDocument.Parse(m.ConvertPayloadToString()).RootElement.GetProperty("id").GetString()!)];

    public Task UntilAsync(Func<bool> condition, Func<string> what, CancellationToken ct) => Changes.UntilAsync(condition, what, ct);

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        Outbox.Dispose();
        TestPublishers.DeleteOutbox(Options);
    }
}

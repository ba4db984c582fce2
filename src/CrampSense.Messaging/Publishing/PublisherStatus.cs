using System.Globalization;
using System.Text;
using System.Text.Json;
using CrampSense.Contract;
using CrampSense.Messaging.Outbox;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The device's retained status: <c>online</c>/<c>offline</c> with cramps today (a counter in the outbox, per local
/// day) and the outbox counters. Marked due when those change, so the supervisor republishes it.
/// </summary>
internal sealed class PublisherStatus
{
    private readonly IMqttClient _client;
    private readonly SqliteOutbox _outbox;
    private readonly ContractTopics _topics;
    private readonly TimeProvider _time;
    private int _due = 1;

    public PublisherStatus(IMqttClient client, SqliteOutbox outbox, ContractTopics topics, TimeProvider time)
    {
        _client = client;
        _outbox = outbox;
        _topics = topics;
        _time = time;
    }

    /// <summary>Marks the status for republishing (a counter changed).</summary>
    public void MarkDue() => Interlocked.Exchange(ref _due, 1);

    /// <summary>True once after <see cref="MarkDue"/>.</summary>
    public bool TakeDue() => Interlocked.Exchange(ref _due, 0) == 1;

    /// <summary>Counts a cramp in today's counter.</summary>
    public void CountCramp()
    {
        _outbox.IncrementCounter(CrampsTodayCounter());
        MarkDue();
    }

    /// <summary>The status payload now.</summary>
    public StatusMessage Current(string state)
    {
        var now = _time.GetUtcNow();
        var stats = _outbox.Statistics;
        return new StatusMessage
        {
            Id = ContractTime.NewId(now),
            Time = ContractTime.Format(now),
            Device = _topics.Device,
            State = state,
            CrampsToday = (int)Math.Min(int.MaxValue, _outbox.ReadCounter(CrampsTodayCounter())),
            Outbox = new OutboxReport
            {
                Pending = stats.Pending,
                PendingBytes = stats.PendingBytes,
                DroppedTelemetry = stats.DroppedTelemetry,
                DroppedFault = stats.DroppedFault,
                DroppedEvent = stats.DroppedEvent,
                DroppedPrompt = stats.DroppedPrompt,
                Rejected = stats.Rejected,
            },
        };
    }

    /// <summary>Publishes the retained status with <paramref name="state"/>.</summary>
    public async Task PublishAsync(string state, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(Current(state), ContractJsonContext.Default.StatusMessage);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.Status)
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty("schema", Encoding.UTF8.GetBytes(SchemaNames.Status).AsMemory())
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private string CrampsTodayCounter()
    {
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _time.LocalTimeZone);
        return "cramps:" + local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

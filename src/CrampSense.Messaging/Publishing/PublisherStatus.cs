using System.Globalization;
using System.Text;
using System.Text.Json;
using CrampSense.Contract;
using CrampSense.Messaging.Outbox;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The device's retained status: <c>online</c>/<c>offline</c> with cramps today and the outbox counters. Cramps today
/// are counted in the outbox, one counter per cramp of the local day (<c>cramps:&lt;day&gt;:&lt;event id&gt;</c>, 1 or 0),
/// so the wearer's answers can take one back and give it again, and a repeated message counts once. Marked due when those change, so the supervisor republishes it.
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

    /// <summary>Counts the cramp <paramref name="eventId"/> today (a detected or a reported one); again, it counts once.</summary>
    public void CountCramp(string eventId)
    {
        _outbox.SetCounter(CrampCounter(eventId), 1);
        MarkDue();
    }

    /// <summary>
    /// The wearer's answer about a cramp counted today: rejected takes it out of today's count, confirmed (after a
    /// rejection) puts it back. An event not counted today (yesterday's, or no cramp) changes nothing.
    /// </summary>
    public void Answer(string eventId, bool isCramp)
    {
        if (_outbox.SetCounter(CrampCounter(eventId), isCramp ? 1 : 0, onlyIfPresent: true))
        {
            MarkDue();
        }
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
            // The prefix takes in the day's single counter of earlier versions too ("cramps:<day>").
            CrampsToday = (int)Math.Min(int.MaxValue, _outbox.SumCounters(CrampsTodayCounter())),
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

    private string CrampCounter(string eventId) => CrampsTodayCounter() + ":" + eventId;

    private string CrampsTodayCounter()
    {
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _time.LocalTimeZone);
        return "cramps:" + local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

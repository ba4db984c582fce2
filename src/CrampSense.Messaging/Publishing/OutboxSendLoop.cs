using System.Text;
using CrampSense.Messaging.Outbox;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// Delivers the outbox in order, one message in flight at a time: each is removed only after the broker's PUBACK
/// (QoS 1) or once written (QoS 0 telemetry), and counted as rejected when the broker refuses it. Waits while
/// disconnected and until the session has set itself up on a new connection; a send that fails leaves the message queued for after the reconnect (at least once).
/// </summary>
internal sealed partial class OutboxSendLoop
{
    /// <summary>How many queued messages are read from the outbox at a time (they are still sent one by one).</summary>
    public const int PeekBatch = 32;

    private readonly IMqttClient _client;
    private readonly SqliteOutbox _outbox;
    private readonly PublisherSignals _signals;
    private readonly TimeSpan _retryWait;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OutboxSendLoop(IMqttClient client, SqliteOutbox outbox, PublisherSignals signals, TimeSpan retryWait, TimeProvider time, ILogger logger)
    {
        _client = client;
        _outbox = outbox;
        _signals = signals;
        _retryWait = retryWait;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            _signals.Work.Reset();
            try
            {
                if (!_client.IsConnected || !_signals.SessionReady)
                {
                    await _signals.Work.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var batch = _outbox.PeekNext(PeekBatch);
                if (batch.Count == 0)
                {
                    _signals.Progress.Set();
                    await _signals.Work.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var queued in batch)
                {
                    var result = await _client.PublishAsync(ToMqtt(queued), cancellationToken).ConfigureAwait(false);
                    if (result.IsSuccess)
                    {
                        _outbox.Remove(queued.Sequence);
                    }
                    else
                    {
                        _outbox.Reject(queued.Sequence);
                        LogRejected(_logger, queued.MessageId, queued.Topic, result.ReasonCode.ToString(), result.ReasonString);
                    }

                    _signals.Progress.Set();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                // Not connected, or the PUBACK did not come: the message stays queued and is re-sent after the
                // reconnect (at least once). Wait for the supervisor rather than spinning.
                LogSendFailed(_logger, ex.Message);
                _signals.Supervisor.Set();
                await _signals.Work.WaitAsync(_retryWait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static MqttApplicationMessage ToMqtt(OutboxMessage message) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload.ToArray())
            .WithQualityOfServiceLevel(message.AtLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty("schema", Encoding.UTF8.GetBytes(message.Schema).AsMemory())
            .WithUserProperty("id", Encoding.UTF8.GetBytes(message.MessageId).AsMemory())
            .Build();

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT send interrupted, message stays queued: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT broker refused message {MessageId} on {Topic}: {ReasonCode} {ReasonString}; removed from the outbox and counted as rejected")]
    private static partial void LogRejected(ILogger logger, string messageId, string topic, string reasonCode, string? reasonString);
}

using System.Threading.Channels;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Validation;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// Checks and maps received messages in parallel: a bounded queue fed by the receive loop, read by one worker per core
/// (at most 8). A valid message's line goes to the batch writer; an invalid one, or one that checking or mapping cannot
/// handle, is dead-lettered and acknowledged at once.
/// </summary>
/// <remarks>
/// The queue never makes MQTTnet's dispatch wait for a QoS 0 message: its client goes on reading the socket into its
/// own unbounded queue while a handler waits, so a telemetry burst faster than the database would wait there in the
/// bridge's memory (164–252 MB peak RSS, docs/measurements.md, session 11), and MQTTnet 5 offers no way to stop
/// reading without also stopping the PUBACKs and PINGRESPs the same loop reads. So QoS 0 messages take at most
/// <see cref="Configuration.BridgeOptions.MaxInFlight"/> places and are shed (counted, logged) when those are taken:
/// QoS 0 promises no delivery. QoS 1 messages have <see cref="Configuration.BridgeOptions.ReceiveMaximum"/> places of
/// their own on top, as many as the broker may have unacknowledged, so they never wait behind telemetry and are never
/// dropped; only a broker that overruns the receive maximum makes one wait.
/// </remarks>
internal sealed partial class PayloadWorkers
{
    private readonly ContractPayloadValidator _validator;
    private readonly BridgeSubscription _subscription;
    private readonly ChannelWriter<PendingPoint> _points;
    private readonly BridgeStatistics _statistics;
    private readonly ILogger _logger;
    private readonly Channel<ReceivedMessage> _incoming;
    private readonly int _atMostOnceRoom;
    private long _shedInBurst;
    private string? _firstShedTopic;

    public PayloadWorkers(int maxPayloadBytes, int atMostOnceRoom, int receiveMaximum, BridgeSubscription subscription, ChannelWriter<PendingPoint> points, BridgeStatistics statistics, ILogger logger)
    {
        _validator = new ContractPayloadValidator(maxPayloadBytes);
        _subscription = subscription;
        _points = points;
        _statistics = statistics;
        _logger = logger;
        _atMostOnceRoom = atMostOnceRoom;
        _incoming = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(atMostOnceRoom + receiveMaximum)
        {
            SingleReader = false,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>How many workers run.</summary>
    public static int Count => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// Queues a received message. A QoS 0 message finding the queue's QoS 0 room taken is shed at once; a QoS 1 message
    /// waits only while the whole queue is full (a broker overrunning the receive maximum).
    /// </summary>
    public ValueTask AcceptAsync(ReceivedMessage received, CancellationToken stopping)
    {
        // One writer (MQTTnet's dispatch), so the count can only fall between this read and the write.
        if (received.Args.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            var queued = _incoming.Reader.Count;
            if (queued == 0)
            {
                EndOfBurst();
            }

            if (queued >= _atMostOnceRoom || !_incoming.Writer.TryWrite(received))
            {
                Shed(received);
            }

            return ValueTask.CompletedTask;
        }

        return _incoming.Writer.TryWrite(received) ? ValueTask.CompletedTask : QueueSlowlyAsync(received, stopping);
    }

    /// <summary>Takes no more messages; the workers end once they have handled what is queued.</summary>
    public void Complete() => _incoming.Writer.TryComplete();

    /// <summary>Starts the workers.</summary>
    public Task[] Start(CancellationToken cancellationToken) =>
        [.. Enumerable.Range(0, Count).Select(_ => Task.Run(() => ProcessLoopAsync(cancellationToken), CancellationToken.None))];

    private async ValueTask QueueSlowlyAsync(ReceivedMessage received, CancellationToken stopping)
    {
        try
        {
            // Full although QoS 1 has the receive maximum's room: the broker overruns it (logged by the subscription).
            await _incoming.Writer.WriteAsync(received, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Stopping: not acknowledged, so the broker keeps it for the next start.
            _statistics.OnLeftQueue(1);
        }
    }

    /// <summary>
    /// Drops a QoS 0 message (nothing to acknowledge) and says so once per burst, naming its topic. A burst lasts until a
    /// QoS 0 message finds the queue empty (the bridge has caught up), so a bridge that stays behind logs one line, not
    /// one each time a worker frees a place; the counter and the status carry the running total.
    /// </summary>
    private void Shed(ReceivedMessage received)
    {
        _statistics.OnShed();
        _statistics.OnLeftQueue(1);
        if (_shedInBurst++ == 0)
        {
            _firstShedTopic = received.Args.ApplicationMessage.Topic;
            LogShedding(_logger, _firstShedTopic, _atMostOnceRoom);
        }
    }

    private void EndOfBurst()
    {
        if (_shedInBurst > 0)
        {
            LogShedEnded(_logger, _shedInBurst, _firstShedTopic!);
            _shedInBurst = 0;
            _firstShedTopic = null;
        }
    }

    private async Task ProcessLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var received in _incoming.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await ProcessAsync(received, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ProcessAsync(ReceivedMessage received, CancellationToken cancellationToken)
    {
        var message = received.Args.ApplicationMessage;
        try
        {
            string? line = null;
            string? reason;
            try
            {
                var result = _validator.Validate(message.Topic, message.Payload);
                reason = result.Reason;
                if (result.IsValid)
                {
                    line = InfluxPointMapper.ToLineProtocol(result.Message!);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever makes checking or mapping fail is in the message, and would fail again on every redelivery:
                // held unacknowledged it would keep a receive-maximum slot for good, so it is dead-lettered too.
                reason = $"the bridge cannot check or map it ({ex.GetType().Name}): {ex.Message}";
            }

            if (line is null)
            {
                await _subscription.DeadLetterAsync(received, reason ?? "invalid", cancellationToken).ConfigureAwait(false);
                _statistics.OnLeftQueue(1);
                return;
            }

            await _points.WriteAsync(new PendingPoint(line, received), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is ChannelClosedException)
        {
            // Aborted: not acknowledged, so the broker keeps it for the next start.
            _statistics.OnLeftQueue(1);
            throw new OperationCanceledException("The bridge is stopping.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            // Only the dead letter's publish or the PUBACK can get here, and both fail only on a broken connection,
            // after which the broker sends the message again.
            _statistics.OnLeftQueue(1);
            LogHandlerFailed(_logger, message.Topic, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shedding QoS 0 messages, starting with one from {Topic}: the bridge's queue is at its limit of {Room} for QoS 0 (the bridge is behind the broker); QoS 1 messages are still taken.")]
    private static partial void LogShedding(ILogger logger, string topic, int room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shed {Count} QoS 0 messages (the first from {Topic}); taking QoS 0 messages again.")]
    private static partial void LogShedEnded(ILogger logger, long count, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Topic} failed: {Reason}; it stays unacknowledged.")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, string reason);
}

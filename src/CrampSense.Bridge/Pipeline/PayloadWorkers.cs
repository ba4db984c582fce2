using System.Threading.Channels;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Validation;
using Microsoft.Extensions.Logging;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// Checks and maps received messages in parallel: a bounded queue (<see cref="Configuration.BridgeOptions.MaxInFlight"/>)
/// fed by the receive loop, read by one worker per core (at most 8). A valid message's line goes to the batch writer;
/// an invalid one, or one that checking or mapping cannot handle, is dead-lettered and acknowledged at once.
/// </summary>
internal sealed partial class PayloadWorkers
{
    private readonly ContractPayloadValidator _validator;
    private readonly BridgeSubscription _subscription;
    private readonly ChannelWriter<PendingPoint> _points;
    private readonly BridgeStatistics _statistics;
    private readonly ILogger _logger;
    private readonly Channel<ReceivedMessage> _incoming;

    public PayloadWorkers(int maxPayloadBytes, int capacity, BridgeSubscription subscription, ChannelWriter<PendingPoint> points, BridgeStatistics statistics, ILogger logger)
    {
        _validator = new ContractPayloadValidator(maxPayloadBytes);
        _subscription = subscription;
        _points = points;
        _statistics = statistics;
        _logger = logger;
        _incoming = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = false,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>How many workers run.</summary>
    public static int Count => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>Queues a received message; waits only while the queue is full (the broker's receive maximum then holds QoS 1 back; QoS 0 piles up in MQTTnet's queue).</summary>
    public ValueTask AcceptAsync(ReceivedMessage received, CancellationToken stopping) =>
        _incoming.Writer.TryWrite(received) ? ValueTask.CompletedTask : QueueSlowlyAsync(received, stopping);

    /// <summary>Takes no more messages; the workers end once they have handled what is queued.</summary>
    public void Complete() => _incoming.Writer.TryComplete();

    /// <summary>Starts the workers.</summary>
    public Task[] Start(CancellationToken cancellationToken) =>
        [.. Enumerable.Range(0, Count).Select(_ => Task.Run(() => ProcessLoopAsync(cancellationToken), CancellationToken.None))];

    private async ValueTask QueueSlowlyAsync(ReceivedMessage received, CancellationToken stopping)
    {
        try
        {
            // Full: only QoS 0 telemetry can outrun the receive maximum. Waiting here holds MQTTnet's dispatch, but its
            // client keeps reading the socket into its own unbounded queue, so a QoS 0 burst waits in memory there
            // (docs/influxdb.md, "What the bridge does"; not bounded yet).
            await _incoming.Writer.WriteAsync(received, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Stopping: not acknowledged, so the broker keeps it for the next start.
            _statistics.OnLeftQueue(1);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Topic} failed: {Reason}; it stays unacknowledged.")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, string reason);
}

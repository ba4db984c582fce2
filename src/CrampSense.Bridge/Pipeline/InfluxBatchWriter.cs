using System.Threading.Channels;
using CrampSense.Bridge.Configuration;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// Writes the valid messages' points in batches and acknowledges each message only after its point is written. A
/// batch closes when it holds <see cref="BridgeOptions.BatchSize"/> points, when its first point has waited
/// <see cref="BridgeOptions.FlushInterval"/>, or when nothing came for <see cref="BridgeOptions.Linger"/>. A failed
/// write is retried after <see cref="ExponentialBackoff"/> and holds the acknowledgements; a batch the database
/// refuses for good is written point by point and the refused points are dead-lettered (and acknowledged).
/// </summary>
internal sealed partial class InfluxBatchWriter
{
    private readonly BridgeOptions _options;
    private readonly IInfluxPointWriter _writer;
    private readonly BridgeSubscription _subscription;
    private readonly BridgeStatistics _statistics;
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingPoint> _queue;
    private volatile bool _databaseFailing;

    public InfluxBatchWriter(BridgeOptions options, IInfluxPointWriter writer, BridgeSubscription subscription, BridgeStatistics statistics, TimeProvider time, ILogger logger)
    {
        _options = options;
        _writer = writer;
        _subscription = subscription;
        _statistics = statistics;
        _time = time;
        _logger = logger;
        _backoff = new ExponentialBackoff(options.RetryMinDelay, options.RetryMaxDelay);
        _queue = Channel.CreateBounded<PendingPoint>(new BoundedChannelOptions(options.MaxInFlight)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Where the workers put points (bounded by <see cref="BridgeOptions.MaxInFlight"/>).</summary>
    public ChannelWriter<PendingPoint> Points => _queue.Writer;

    /// <summary>True from a failed write until the next successful one.</summary>
    public bool DatabaseFailing => _databaseFailing;

    /// <summary>Takes no more points; the loop ends once it has written and acknowledged what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        var batch = new List<PendingPoint>(_options.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var started = _time.GetTimestamp();
                while (batch.Count < _options.BatchSize)
                {
                    while (batch.Count < _options.BatchSize && reader.TryRead(out var pending))
                    {
                        batch.Add(pending);
                    }

                    // Flush when full, when the first point has waited FlushInterval, or when nothing came for Linger:
                    // waiting longer then only delays the acknowledgements, and mosquitto refills a subscriber's window
                    // from its queue only as acknowledgements arrive, so a long wait on a half-empty batch would starve
                    // the pipe (measured: about 60 messages/s with 250 ms and a backlog in the broker).
                    var remaining = _options.FlushInterval - _time.GetElapsedTime(started);
                    var wait = remaining < _options.Linger ? remaining : _options.Linger;
                    if (batch.Count >= _options.BatchSize || remaining <= TimeSpan.Zero || !await MoreWithinAsync(reader, wait, cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                }

                await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                await AcknowledgeAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Aborted: what is held stays unacknowledged and comes again.
            _statistics.OnLeftQueue(batch.Count);
        }
    }

    /// <summary>True when more points arrived before <paramref name="remaining"/> passed.</summary>
    private async Task<bool> MoreWithinAsync(ChannelReader<PendingPoint> reader, TimeSpan remaining, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var more = reader.WaitToReadAsync(timeout.Token).AsTask();
        var deadline = Task.Delay(remaining, _time, timeout.Token);
        var first = await Task.WhenAny(more, deadline).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == more && more.IsCompletedSuccessfully && more.Result;
    }

    private async Task WriteAsync(List<PendingPoint> batch, CancellationToken cancellationToken)
    {
        var lines = new List<string>(batch.Count);
        foreach (var pending in batch)
        {
            lines.Add(pending.Line);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _writer.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
                _statistics.OnWritten(lines.Count);
                if (_databaseFailing)
                {
                    _databaseFailing = false;
                    _statistics.LastWriteError = null;
                    LogDatabaseBack(_logger, lines.Count);
                }

                return;
            }
            catch (InfluxPointsRefusedException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The database refuses some line for good (e.g. a field type conflict): retrying the batch would block
                // the pipe forever, so write the lines one by one and dead-letter those refused.
                LogBatchRefused(_logger, ex.Status, ex.Message);
                await WriteOneByOneAsync(batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _statistics.OnWriteFailed();
                _statistics.LastWriteError = ex.Message;
                _databaseFailing = true;
                var delay = _backoff.Delay(attempt);
                LogWriteFailed(_logger, lines.Count, attempt, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteOneByOneAsync(List<PendingPoint> batch, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _writer.WriteAsync([batch[i].Line], cancellationToken).ConfigureAwait(false);
                    _statistics.OnWritten(1);
                    break;
                }
                catch (InfluxPointsRefusedException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    await _subscription.DeadLetterAsync(batch[i].Received, $"InfluxDB refused the point ({ex.Status}): {ex.Message}", cancellationToken).ConfigureAwait(false);
                    _statistics.OnLeftQueue(1);
                    batch.RemoveAt(i);
                    i--;
                    break;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    _statistics.OnWriteFailed();
                    _statistics.LastWriteError = ex.Message;
                    await Task.Delay(_backoff.Delay(attempt), _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task AcknowledgeAsync(List<PendingPoint> batch, CancellationToken cancellationToken)
    {
        foreach (var pending in batch)
        {
            try
            {
                if (await _subscription.AcknowledgeAsync(pending.Received, cancellationToken).ConfigureAwait(false))
                {
                    _statistics.OnAcknowledged();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAcknowledgeFailed(_logger, ex.Message);
            }
        }

        _statistics.OnLeftQueue(batch.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Points} points failed (attempt {Attempt}): {Reason}; holding their acknowledgements, retrying in {DelaySeconds:F1} s.")]
    private static partial void LogWriteFailed(ILogger logger, int points, int attempt, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB accepts writes again ({Points} points written).")]
    private static partial void LogDatabaseBack(ILogger logger, int points);

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB refused a batch ({Status}): {Reason}; writing its points one by one.")]
    private static partial void LogBatchRefused(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging a written message failed: {Reason}; the broker will send it again.")]
    private static partial void LogAcknowledgeFailed(ILogger logger, string reason);
}

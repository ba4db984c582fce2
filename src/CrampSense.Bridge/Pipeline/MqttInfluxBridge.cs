using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.ServiceDefaults;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The MQTT → InfluxDB bridge. An MQTT 5 client with a persistent session subscribes to the contract topics through a
/// shared subscription (bridges in one group split the load); each valid message becomes one line of line protocol in
/// a bounded queue; a writer sends batches (by size or age) to InfluxDB and acknowledges the messages of a batch only
/// after InfluxDB accepted it, retrying with backoff and jitter while it fails. Invalid messages go to
/// <see cref="BridgeTopics.DeadLetter"/> and are acknowledged at once.
/// </summary>
/// <remarks>
/// Delivery is at least once: a message the bridge received but did not acknowledge (crash, database down at stop)
/// stays in the broker's session and comes again. Writes are idempotent (the point's series and timestamp come from the
/// payload), so a repeat overwrites itself. Memory is bounded: the broker sends at most <see cref="BridgeOptions.ReceiveMaximum"/>
/// unacknowledged QoS 1 messages (the MQTT 5 receive maximum; mosquitto before 2.0.13 overruns it, which the bridge
/// counts and logs), and the queues hold <see cref="BridgeOptions.MaxInFlight"/>. MQTTnet 5 has no managed client, so a
/// supervisor loop reconnects (deps-probe.md §3).
/// </remarks>
public sealed partial class MqttInfluxBridge : IAsyncDisposable
{
    private readonly BridgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContractPayloadValidator _validator;
    private readonly ExponentialBackoff _writeBackoff;
    private readonly ExponentialBackoff _connectBackoff;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly InfluxDBClient _influx;
    private readonly Channel<ReceivedMessage> _incoming;
    private readonly Channel<PendingPoint> _queue;
    private readonly int _workerCount = Math.Clamp(Environment.ProcessorCount, 1, 8);
    private Task[] _workers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private long _connection;
    private Task? _supervisor;
    private Task? _writer;
    private volatile bool _databaseFailing;
    private int _stopped;
    private int _receiveMaximumExceeded;

    /// <summary>Creates a bridge; nothing connects before <see cref="StartAsync"/>.</summary>
    public MqttInfluxBridge(BridgeOptions options, TimeProvider? time = null, ILogger<MqttInfluxBridge>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _validator = new ContractPayloadValidator(options.Mqtt.MaxPayloadBytes);
        _writeBackoff = new ExponentialBackoff(options.RetryMinDelay, options.RetryMaxDelay);
        _connectBackoff = new ExponentialBackoff(options.Mqtt.ReconnectMinDelay, options.Mqtt.ReconnectMaxDelay);
        _incoming = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(options.MaxInFlight)
        {
            SingleReader = false,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _queue = Channel.CreateBounded<PendingPoint>(new BoundedChannelOptions(options.MaxInFlight)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var now = _time.GetUtcNow();
        var will = JsonSerializer.SerializeToUtf8Bytes(
            new BridgeStatus
            {
                State = StatusMessage.Offline, Bridge = options.InstanceId, Time = ContractTime.Format(now),
                ShareGroup = options.ShareGroup, PersistentSession = options.PersistentSession, SessionExpirySeconds = SessionExpirySeconds(options),
            },
            BridgeJsonContext.Default.BridgeStatus);
        _clientOptions = MqttConnection.Configure(new MqttClientOptionsBuilder(), options.Mqtt, options.ClientId)
            .WithCleanStart(!options.PersistentSession)
            .WithSessionExpiryInterval((uint)SessionExpirySeconds(options))
            .WithReceiveMaximum((ushort)options.ReceiveMaximum)
            // An MQTT 5 broker must not send a larger packet (mosquitto drops it for this client), so one huge payload
            // never reaches the bridge's memory; what is over Mqtt:MaxPayloadBytes but under this is dead-lettered.
            .WithMaximumPacketSize(options.MaximumPacketSize)
            .WithWillTopic(options.StatusTopic)
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json")
            .Build();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !_stopping.IsCancellationRequested)
            {
                LogDisconnected(_logger, e.Reason.ToString(), e.ReasonString ?? e.Exception?.Message ?? "");
            }

            return Task.CompletedTask;
        };

        _influx = new InfluxDBClient(new InfluxDBClientOptions(options.InfluxUrl.ToString())
        {
            Token = options.InfluxToken,
            Org = options.InfluxOrg,
            Bucket = options.InfluxBucket,
            Timeout = options.InfluxTimeout,
        });
    }

    /// <summary>The counters.</summary>
    public BridgeStatistics Statistics { get; } = new();

    /// <summary>The settings it runs with.</summary>
    public BridgeOptions Options => _options;

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Starts connecting (in the background, retrying) and writing. Returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_supervisor is not null)
        {
            throw new InvalidOperationException("The bridge is already started.");
        }

        _writer = Task.Run(() => WriteLoopAsync(_abort.Token), CancellationToken.None);
        _workers = [.. Enumerable.Range(0, _workerCount).Select(_ => Task.Run(() => ProcessLoopAsync(_abort.Token), CancellationToken.None))];
        _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the bridge is connected and subscribed.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (!(_client.IsConnected && _subscribed))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops cleanly: takes no new messages, writes and acknowledges what it holds (until <paramref name="cancellationToken"/>
    /// fires; what is left then is not acknowledged and comes again), publishes <c>offline</c> and disconnects, keeping
    /// the session.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0 || _supervisor is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
        _incoming.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
            _queue.Writer.TryComplete();
            await _writer!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            try
            {
                await PublishStatusAsync(StatusMessage.Offline, cancellationToken).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogStopFailed(_logger, ex.Message);
            }
        }
    }

    /// <summary>Stops at once without writing or acknowledging what it holds (as a crash would; the broker keeps those messages).</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        _incoming.Writer.TryComplete();
        _queue.Writer.TryComplete();
        foreach (var task in _workers.Append(_supervisor).Append(_writer))
        {
            if (task is not null)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        _client.Dispose();
        _influx.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    private volatile bool _subscribed;

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var nextStatus = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _options.Mqtt.ReconnectMinDelay;
            try
            {
                if (!_client.IsConnected)
                {
                    _subscribed = false;

                    // Messages of an earlier connection must not be acknowledged on this one (packet ids are per
                    // connection). Numbered here, not in DisconnectedAsync: MQTTnet has handed over every message of the
                    // old connection before it reports the drop, but raises that event on another thread, possibly after
                    // this new connection's first messages.
                    Interlocked.Increment(ref _connection);
                    Statistics.OnNewConnection();
                    Interlocked.Exchange(ref _receiveMaximumExceeded, 0);
                    var result = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
                    Statistics.OnConnected();
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (var filter in _options.TopicFilters)
                    {
                        subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
                    }

                    // The other bridges' retained statuses, to see when the group is split (SplitFrom).
                    subscribe.WithTopicFilter(f => f.WithTopic(BridgeTopics.Status("+")).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce));

                    var granted = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
                    foreach (var item in granted.Items)
                    {
                        if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS0))
                        {
                            throw new InvalidOperationException($"the broker refused the subscription '{item.TopicFilter.Topic}': {item.ResultCode}");
                        }
                    }

                    _subscribed = true;
                    failures = 0;
                    LogConnected(_logger, _options.Mqtt.EffectiveHost, _options.Mqtt.EffectivePort, _options.ClientId, result.IsSessionPresent);
                    nextStatus = _time.GetTimestamp();
                }

                if (_time.GetTimestamp() >= nextStatus)
                {
                    await PublishStatusAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
                    nextStatus = _time.GetTimestamp() + (long)(_options.StatusInterval.TotalSeconds * _time.TimestampFrequency);
                }

                // Wake for the next status when it is due before the next connection check (a status interval
                // shorter than the reconnect delay was rounded up to it).
                var untilStatus = TimeSpan.FromSeconds((double)(nextStatus - _time.GetTimestamp()) / _time.TimestampFrequency);
                if (untilStatus < wait)
                {
                    wait = untilStatus > TimeSpan.Zero ? untilStatus : TimeSpan.Zero;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                wait = _connectBackoff.Delay(failures);
                LogConnectFailed(_logger, _options.Mqtt.EffectiveHost, _options.Mqtt.EffectivePort, ex.Message, wait.TotalSeconds);
            }

            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic.StartsWith(BridgeTopics.StatusPrefix, StringComparison.Ordinal))
        {
            OnPeerStatus(e.ApplicationMessage);
            return Task.CompletedTask;
        }

        // Set before returning: the acknowledgement is sent by the writer once the point is stored. The receive loop
        // only queues the message; checking and mapping run on the workers, in parallel.
        e.AutoAcknowledge = false;
        Statistics.OnReceived();
        Statistics.OnQueued();
        var received = new ReceivedMessage(e, Interlocked.Read(ref _connection));
        if (e.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            var unacknowledged = Statistics.OnUnacknowledgedReceived();
            if (unacknowledged > _options.ReceiveMaximum && Interlocked.Exchange(ref _receiveMaximumExceeded, 1) == 0)
            {
                // The MQTT client cannot stop reading, so only the broker's respect for the receive maximum bounds what
                // the bridge holds; say so once per connection instead of failing the pipe.
                LogReceiveMaximumExceeded(_logger, unacknowledged, _options.ReceiveMaximum);
            }
        }

        if (_incoming.Writer.TryWrite(received))
        {
            return Task.CompletedTask;
        }

        return QueueSlowlyAsync(received);
    }

    private async Task QueueSlowlyAsync(ReceivedMessage received)
    {
        try
        {
            // Full: only QoS 0 telemetry can outrun the receive maximum; waiting here stops reading from the socket.
            await _incoming.Writer.WriteAsync(received, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Stopping: not acknowledged, so the broker keeps it for the next start.
            Statistics.OnLeftQueue(1);
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
        var e = received.Args;
        try
        {
            var message = e.ApplicationMessage;
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
                await DeadLetterAsync(e, received.Connection, reason ?? "invalid", cancellationToken).ConfigureAwait(false);
                Statistics.OnLeftQueue(1);
                return;
            }

            await _queue.Writer.WriteAsync(new PendingPoint(line, e, received.Connection), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is ChannelClosedException)
        {
            // Aborted: not acknowledged, so the broker keeps it for the next start.
            Statistics.OnLeftQueue(1);
            throw new OperationCanceledException("The bridge is stopping.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            // Only the dead letter's publish or the PUBACK can get here, and both fail only on a broken connection,
            // after which the broker sends the message again.
            Statistics.OnLeftQueue(1);
            LogHandlerFailed(_logger, e.ApplicationMessage.Topic, ex.Message);
        }
    }

    private async Task DeadLetterAsync(MqttApplicationMessageReceivedEventArgs e, long connection, string reason, CancellationToken cancellationToken)
    {
        var message = e.ApplicationMessage;
        var letter = DeadLetter.For(reason, message.Topic, message.Payload, _options.InstanceId, ContractTime.Format(_time.GetUtcNow()));
        var published = await _client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(BridgeTopics.DeadLetter)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(letter, BridgeJsonContext.Default.DeadLetter))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .Build(),
            cancellationToken).ConfigureAwait(false);
        if (!published.IsSuccess)
        {
            // Refused (e.g. by the ACL): acknowledged anyway, or the message would hold its slot for good.
            LogDeadLetterRefused(_logger, published.ReasonCode.ToString());
        }

        Statistics.OnDeadLettered();
        LogDeadLettered(_logger, message.Topic, letter.Reason);
        await AcknowledgeAsync(e, connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
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
            Statistics.OnLeftQueue(batch.Count);
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

        var api = _influx.GetWriteApiAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.WriteRecordsAsync(lines, InfluxPointMapper.Precision, _options.InfluxBucket, _options.InfluxOrg, cancellationToken).ConfigureAwait(false);
                Statistics.OnWritten(lines.Count);
                if (_databaseFailing)
                {
                    _databaseFailing = false;
                    Statistics.LastWriteError = null;
                    LogDatabaseBack(_logger, lines.Count);
                }

                return;
            }
            catch (HttpException ex) when (ex.Status is 400 or 422 && !cancellationToken.IsCancellationRequested)
            {
                // The database refuses some line for good (e.g. a field type conflict): retrying the batch would block
                // the pipe forever, so write the lines one by one and dead-letter those refused.
                LogBatchRefused(_logger, ex.Status, ex.Message);
                await WriteOneByOneAsync(api, batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Statistics.OnWriteFailed();
                Statistics.LastWriteError = ex.Message;
                _databaseFailing = true;
                var delay = _writeBackoff.Delay(attempt);
                LogWriteFailed(_logger, lines.Count, attempt, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteOneByOneAsync(WriteApiAsync api, List<PendingPoint> batch, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await api.WriteRecordAsync(batch[i].Line, InfluxPointMapper.Precision, _options.InfluxBucket, _options.InfluxOrg, cancellationToken).ConfigureAwait(false);
                    Statistics.OnWritten(1);
                    break;
                }
                catch (HttpException ex) when (ex.Status is 400 or 422 && !cancellationToken.IsCancellationRequested)
                {
                    await DeadLetterAsync(batch[i].Received, batch[i].Connection, $"InfluxDB refused the point ({ex.Status}): {ex.Message}", cancellationToken).ConfigureAwait(false);
                    Statistics.OnLeftQueue(1);
                    batch.RemoveAt(i);
                    i--;
                    break;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Statistics.OnWriteFailed();
                    Statistics.LastWriteError = ex.Message;
                    await Task.Delay(_writeBackoff.Delay(attempt), _time, cancellationToken).ConfigureAwait(false);
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
                if (await AcknowledgeAsync(pending.Received, pending.Connection, cancellationToken).ConfigureAwait(false))
                {
                    Statistics.OnAcknowledged();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAcknowledgeFailed(_logger, ex.Message);
            }
        }

        Statistics.OnLeftQueue(batch.Count);
    }

    /// <summary>Sends the PUBACK of a QoS 1 message; false when it came on an earlier connection or there is none now.</summary>
    private async Task<bool> AcknowledgeAsync(MqttApplicationMessageReceivedEventArgs message, long connection, CancellationToken cancellationToken)
    {
        if (connection != Interlocked.Read(ref _connection) || !_client.IsConnected)
        {
            // Its packet id means nothing on this connection (it may name another message now). The broker sends it
            // again from the session; a written point is then rewritten with the same series and timestamp.
            Statistics.OnStaleAcknowledgement();
            return false;
        }

        if (message.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            // Released before the PUBACK goes out: the broker may answer it with the next message before this thread
            // runs again, and counting that one first would read as one over the receive maximum. A PUBACK that
            // cannot be sent means a broken connection, which starts the count again anyway.
            Statistics.OnUnacknowledgedReleased();
            await message.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static double SessionExpirySeconds(BridgeOptions options) =>
        options.PersistentSession ? Math.Min(uint.MaxValue, Math.Floor(options.SessionExpiry.TotalSeconds)) : 0;

    /// <summary>Remembers another bridge's retained status (an empty payload clears it).</summary>
    private void OnPeerStatus(MqttApplicationMessage message)
    {
        var instance = message.Topic.Split('/') is { Length: 5 } levels ? levels[3] : null;
        if (instance is null || instance == _options.InstanceId)
        {
            return;
        }

        BridgeStatus? status = null;
        try
        {
            status = message.Payload.IsEmpty ? null : ReadStatus(message.Payload);
        }
        catch (JsonException)
        {
            // Not a bridge status (anyone with write access could put one there): ignored.
        }

        lock (_peers)
        {
            if (status is null)
            {
                _peers.Remove(instance);
            }
            else
            {
                _peers[instance] = status;
            }
        }
    }

    private static BridgeStatus? ReadStatus(ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        return JsonSerializer.Deserialize(ref reader, BridgeJsonContext.Default.BridgeStatus);
    }

    /// <summary>
    /// The other bridges of this share group that are offline with a session the broker still keeps (by their last
    /// status: its time plus their session expiry is ahead), sorted; empty when the group is whole.
    /// </summary>
    private List<string> SplitFrom()
    {
        var now = _time.GetUtcNow();
        lock (_peers)
        {
            return [.. _peers.Values
                .Where(p => p.ShareGroup == _options.ShareGroup && p.State == StatusMessage.Offline && p.PersistentSession == true
                    && DateTimeOffset.TryParse(p.Time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                    && at.AddSeconds(p.SessionExpirySeconds ?? 0) > now)
                .Select(p => p.Bridge)
                .Order(StringComparer.Ordinal)];
        }
    }

    private readonly Dictionary<string, BridgeStatus> _peers = new(StringComparer.Ordinal);
    private string _reportedSplit = "";

    private async Task PublishStatusAsync(string state, CancellationToken cancellationToken)
    {
        var split = SplitFrom();
        var splitText = string.Join(", ", split);
        if (splitText != _reportedSplit)
        {
            _reportedSplit = splitText;
            if (split.Count > 0)
            {
                LogGroupSplit(_logger, _options.ShareGroup, splitText);
            }
        }

        var stats = Statistics;
        var status = new BridgeStatus
        {
            State = state,
            Bridge = _options.InstanceId,
            Time = ContractTime.Format(_time.GetUtcNow()),
            Database = _databaseFailing ? "failing" : "ok",
            Received = stats.Received,
            Written = stats.Written,
            Acknowledged = stats.Acknowledged,
            DeadLettered = stats.DeadLettered,
            WriteFailures = stats.WriteFailures,
            InFlight = stats.InFlight,
            Unacknowledged = stats.Unacknowledged,
            PeakUnacknowledged = stats.PeakUnacknowledged,
            LastWriteError = stats.LastWriteError,
            ShareGroup = _options.ShareGroup,
            PersistentSession = _options.PersistentSession,
            SessionExpirySeconds = SessionExpirySeconds(_options),
            Split = split.Count > 0 ? split : null,
        };
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(_options.StatusTopic)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(status, BridgeJsonContext.Default.BridgeStatus))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(true)
                .WithContentType("application/json")
                .Build(),
            cancellationToken).ConfigureAwait(false);
    }

    private readonly record struct ReceivedMessage(MqttApplicationMessageReceivedEventArgs Args, long Connection);

    private readonly record struct PendingPoint(string Line, MqttApplicationMessageReceivedEventArgs Received, long Connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT {Host}:{Port} as {ClientId} (session present: {SessionPresent}); subscribed.")]
    private static partial void LogConnected(ILogger logger, string host, int port, string clientId, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker has sent {Unacknowledged} unacknowledged QoS 1 messages, more than the receive maximum of {ReceiveMaximum}: it does not honour the MQTT 5 receive maximum (mosquitto before 2.0.13 does not when it refills from a backlog), so Bridge:ReceiveMaximum no longer bounds the bridge's memory. Use a broker that honours it (mosquitto 2.0.13 or later).")]
    private static partial void LogReceiveMaximumExceeded(ILogger logger, long unacknowledged, int receiveMaximum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share group {Group} is split: {Instances} offline with kept sessions; the broker holds their share of the messages until they come back or their sessions expire (remove a bridge for good by starting it once with Bridge:SessionExpirySeconds small, or wait out the expiry).")]
    private static partial void LogGroupSplit(ILogger logger, string group, string instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from MQTT ({Reason}) {Detail}; its unacknowledged messages come again after the reconnect.")]
    private static partial void LogDisconnected(ILogger logger, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT {Host}:{Port}: {Reason}; retrying in {DelaySeconds:F1} s.")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Points} points failed (attempt {Attempt}): {Reason}; holding their acknowledgements, retrying in {DelaySeconds:F1} s.")]
    private static partial void LogWriteFailed(ILogger logger, int points, int attempt, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB accepts writes again ({Points} points written).")]
    private static partial void LogDatabaseBack(ILogger logger, int points);

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB refused a batch ({Status}): {Reason}; writing its points one by one.")]
    private static partial void LogBatchRefused(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered a message from {Topic}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker refused a dead letter ({Reason}); the message is acknowledged and lost.")]
    private static partial void LogDeadLetterRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Topic} failed: {Reason}; it stays unacknowledged.")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging a written message failed: {Reason}; the broker will send it again.")]
    private static partial void LogAcknowledgeFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clean stop incomplete: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}

using System.Text.Json;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;
using CrampSense.Messaging.Configuration;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The bridge's MQTT side: a supervisor loop connects (persistent session, receive maximum, last will), subscribes
/// to the contract topics through the shared subscription, reconnects with <see cref="ExponentialBackoff"/> and
/// keeps the retained status fresh. It numbers connections so a message is acknowledged only on the connection it
/// came on, hands contract messages to a sink (the payload workers) and other bridges' statuses to
/// <see cref="BridgeStatusPublisher"/>, and publishes dead letters.
/// </summary>
internal sealed partial class BridgeSubscription
{
    private readonly BridgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly BridgeStatistics _statistics;
    private readonly BridgeStatusPublisher _status;
    private readonly ExponentialBackoff _connectBackoff;
    private readonly CancellationToken _stopping;
    private Func<ReceivedMessage, CancellationToken, ValueTask> _sink = (_, _) => ValueTask.CompletedTask;
    private long _connection;
    private int _receiveMaximumExceeded;
    private volatile bool _subscribed;
    private TaskCompletionSource _subscribedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BridgeSubscription(BridgeOptions options, IMqttClient client, BridgeStatistics statistics, BridgeStatusPublisher status, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _options = options;
        _client = client;
        _statistics = statistics;
        _status = status;
        _time = time;
        _logger = logger;
        _stopping = stopping;
        _connectBackoff = new ExponentialBackoff(options.Mqtt.ReconnectMinDelay, options.Mqtt.ReconnectMaxDelay);
        _clientOptions = MqttConnection.Configure(new MqttClientOptionsBuilder(), options.Mqtt, options.ClientId)
            .WithCleanStart(!options.PersistentSession)
            .WithSessionExpiryInterval((uint)BridgeStatusPublisher.SessionExpirySeconds(options))
            .WithReceiveMaximum((ushort)options.ReceiveMaximum)
            // An MQTT 5 broker must not send a larger packet (mosquitto drops it for this client), so one huge payload
            // never reaches the bridge's memory; what is over Mqtt:MaxPayloadBytes but under this is dead-lettered.
            .WithMaximumPacketSize(options.MaximumPacketSize)
            .WithWillTopic(options.StatusTopic)
            .WithWillPayload(status.WillPayload())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json")
            .Build();
        // Read-ahead and coalesced writes: fewer system calls per message and PUBACK (CoalescingSocketStream).
        CoalescingSocketStreamProvider.Use(_clientOptions);
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !_stopping.IsCancellationRequested)
            {
                LogDisconnected(_logger, e.Reason.ToString(), e.ReasonString ?? e.Exception?.Message ?? "");
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>True while connected and subscribed.</summary>
    public bool IsSubscribed => _client.IsConnected && _subscribed;

    /// <summary>The number of the current connection (messages of another one are not acknowledged on it).</summary>
    public long Connection => Interlocked.Read(ref _connection);

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Waits until connected and subscribed.</summary>
    public async Task WaitUntilSubscribedAsync(CancellationToken cancellationToken)
    {
        while (!IsSubscribed)
        {
            var signal = Volatile.Read(ref _subscribedSignal);
            if (signal.Task.IsCompleted)
            {
                // Subscribed before, and the connection dropped: the supervisor has yet to see it and start anew.
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Where contract messages go (set once, before the supervisor starts).</summary>
    public void DeliverTo(Func<ReceivedMessage, CancellationToken, ValueTask> sink) => _sink = sink;

    public async Task SuperviseAsync(CancellationToken cancellationToken)
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
                    await ConnectAndSubscribeAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    nextStatus = _time.GetTimestamp();
                }

                if (_time.GetTimestamp() >= nextStatus)
                {
                    await _status.PublishAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
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

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        _subscribed = false;
        var signal = Volatile.Read(ref _subscribedSignal);
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _subscribedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }

        // Messages of an earlier connection must not be acknowledged on this one (packet ids are per connection).
        // Numbered here, not in DisconnectedAsync: MQTTnet has handed over every message of the old connection before
        // it reports the drop, but raises that event on another thread, possibly after this new connection's first
        // messages.
        Interlocked.Increment(ref _connection);
        _statistics.OnNewConnection();
        Interlocked.Exchange(ref _receiveMaximumExceeded, 0);
        var result = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
        _statistics.OnConnected();
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
        Volatile.Read(ref _subscribedSignal).TrySetResult();
        LogConnected(_logger, _options.Mqtt.EffectiveHost, _options.Mqtt.EffectivePort, _options.ClientId, result.IsSessionPresent);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic.StartsWith(BridgeTopics.StatusPrefix, StringComparison.Ordinal))
        {
            _status.OnPeerStatus(e.ApplicationMessage);
            return;
        }

        // Set before returning: the acknowledgement is sent once the point is stored. The receive loop only queues
        // the message; checking and mapping run on the workers, in parallel.
        e.AutoAcknowledge = false;
        _statistics.OnReceived();
        _statistics.OnQueued();
        if (e.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            var unacknowledged = _statistics.OnUnacknowledgedReceived();
            if (unacknowledged > _options.ReceiveMaximum && Interlocked.Exchange(ref _receiveMaximumExceeded, 1) == 0)
            {
                // The MQTT client cannot stop reading, so only the broker's respect for the receive maximum bounds what
                // the bridge holds; say so once per connection instead of failing the pipe.
                LogReceiveMaximumExceeded(_logger, unacknowledged, _options.ReceiveMaximum);
            }
        }

        await _sink(new ReceivedMessage(e, Interlocked.Read(ref _connection)), _stopping).ConfigureAwait(false);
    }

    /// <summary>Sends the PUBACK of a QoS 1 message; false when it came on an earlier connection or there is none now.</summary>
    public async Task<bool> AcknowledgeAsync(ReceivedMessage received, CancellationToken cancellationToken)
    {
        if (received.Connection != Interlocked.Read(ref _connection) || !_client.IsConnected)
        {
            // Its packet id means nothing on this connection (it may name another message now). The broker sends it
            // again from the session; a written point is then rewritten with the same series and timestamp.
            _statistics.OnStaleAcknowledgement();
            return false;
        }

        if (received.Args.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            // Released before the PUBACK goes out: the broker may answer it with the next message before this thread
            // runs again, and counting that one first would read as one over the receive maximum. A PUBACK that
            // cannot be sent means a broken connection, which starts the count again anyway.
            _statistics.OnUnacknowledgedReleased();
            await received.Args.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Publishes the dead letter of a message the bridge cannot store, then acknowledges the message.</summary>
    public async Task DeadLetterAsync(ReceivedMessage received, string reason, CancellationToken cancellationToken)
    {
        var message = received.Args.ApplicationMessage;
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

        _statistics.OnDeadLettered();
        LogDeadLettered(_logger, message.Topic, letter.Reason);
        await AcknowledgeAsync(received, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes <c>offline</c> and disconnects cleanly, keeping the session.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await _status.PublishAsync(StatusMessage.Offline, cancellationToken).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStopFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT {Host}:{Port} as {ClientId} (session present: {SessionPresent}); subscribed.")]
    private static partial void LogConnected(ILogger logger, string host, int port, string clientId, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker has sent {Unacknowledged} unacknowledged QoS 1 messages, more than the receive maximum of {ReceiveMaximum}: it does not honour the MQTT 5 receive maximum (mosquitto before 2.0.13 does not when it refills from a backlog), so Bridge:ReceiveMaximum no longer bounds the bridge's memory. Use a broker that honours it (mosquitto 2.0.13 or later).")]
    private static partial void LogReceiveMaximumExceeded(ILogger logger, long unacknowledged, int receiveMaximum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from MQTT ({Reason}) {Detail}; its unacknowledged messages come again after the reconnect.")]
    private static partial void LogDisconnected(ILogger logger, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT {Host}:{Port}: {Reason}; retrying in {DelaySeconds:F1} s.")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered a message from {Topic}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker refused a dead letter ({Reason}); the message is acknowledged and lost.")]
    private static partial void LogDeadLetterRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clean stop incomplete: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}

using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.HomeAssistant;
using CrampSense.Messaging.Outbox;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// Publishes contract v1 messages for one device through the durable <see cref="SqliteOutbox"/>: each publish call
/// commits the message to the outbox and returns; a sender loop delivers queued messages in order and removes each
/// only after the broker's PUBACK (QoS 1) or once written (QoS 0 telemetry). A supervisor loop connects, reconnects
/// with exponential backoff, pings, keeps the retained status (with the outbox counters) fresh, publishes Home
/// Assistant discovery and answers Home Assistant's birth message.
/// </summary>
/// <remarks>
/// MQTTnet 5 has no managed client; this is the supervisor loop its maintainers recommend (deps-probe.md §3). The
/// publisher never throws because the broker is away: messages wait in the outbox and
/// <see cref="LastConnectionError"/> says why. Publish methods may be called from any thread.
/// </remarks>
public sealed partial class MqttPublisher : IContractPublisher, IAsyncDisposable
{
    private const int SendBatch = 32;

    private readonly MessagingOptions _options;
    private readonly SqliteOutbox _outbox;
    private readonly bool _ownsOutbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly AsyncSignal _work = new();
    private readonly AsyncSignal _supervisorWake = new();
    private readonly AsyncSignal _progress = new();
    private readonly string _softwareVersion;
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;
    private int _announceRequested;
    private int _statusDirty = 1;
    private volatile string? _lastConnectionError;
    private long _connectCount;

    /// <summary>A publisher over an outbox the caller owns.</summary>
    /// <exception cref="MessagingConfigurationException">The options are invalid, or a TLS file cannot be loaded.</exception>
    public MqttPublisher(MessagingOptions options, SqliteOutbox outbox, TimeProvider? time = null, ILogger<MqttPublisher>? logger = null)
        : this(options, outbox, ownsOutbox: false, time, logger)
    {
    }

    private MqttPublisher(MessagingOptions options, SqliteOutbox outbox, bool ownsOutbox, TimeProvider? time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outbox);
        _options = options.ThrowIfInvalid();
        _outbox = outbox;
        _ownsOutbox = ownsOutbox;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        Topics = new ContractTopics(options.DeviceId, options.HomeAssistantPrefix);
        _softwareVersion = typeof(MqttPublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        ClientOptions = BuildClientOptions(options, Topics, _time);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
        _outbox.StatisticsChanged += OnOutboxStatisticsChanged;
    }

    /// <summary>Opens the outbox at <see cref="MessagingOptions.OutboxPath"/> and makes a publisher that owns it.</summary>
    /// <exception cref="MessagingConfigurationException">The options are invalid.</exception>
    /// <exception cref="IOException">The outbox cannot be opened.</exception>
    public static MqttPublisher Create(MessagingOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var outbox = SqliteOutbox.Open(options.ToOutboxOptions(), time);
        try
        {
            return new MqttPublisher(options, outbox, ownsOutbox: true, time, loggerFactory?.CreateLogger<MqttPublisher>());
        }
        catch
        {
            outbox.Dispose();
            throw;
        }
    }

    /// <summary>The device's topics.</summary>
    public ContractTopics Topics { get; }

    /// <summary>The outbox the publisher sends from.</summary>
    public SqliteOutbox Outbox => _outbox;

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>How many times a connection was made (1 after the first).</summary>
    public long ConnectCount => Interlocked.Read(ref _connectCount);

    /// <summary>Why the last connection attempt failed (e.g. bad user name or password, connection refused); null once connected.</summary>
    public string? LastConnectionError => _lastConnectionError;

    /// <summary>The MQTTnet client options in use (host, TLS, will).</summary>
    internal MqttClientOptions ClientOptions { get; }

    /// <summary>Starts the supervisor and sender loops; returns at once (use <see cref="WaitUntilConnectedAsync"/> to wait).</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null)
        {
            throw new InvalidOperationException("The publisher is already started.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loops = Task.WhenAll(
            Task.Run(() => SuperviseAsync(token), CancellationToken.None),
            Task.Run(() => SendAsync(token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Queues a cramp event (QoS 1).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishEventAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sequence = Enqueue(message, Topics.Event, MessageClass.Event, ContractJsonContext.Default.EventMessage, cancellationToken);
        if (message.Type == EventMessage.CrampStarted)
        {
            _outbox.IncrementCounter(CrampsTodayCounter());
            Interlocked.Exchange(ref _statusDirty, 1);
            _supervisorWake.Set();
        }

        return ValueTask.FromResult(sequence);
    }

    /// <summary>Queues a coach prompt (QoS 1).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishPromptAsync(PromptMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Enqueue(message, Topics.Prompt, MessageClass.Prompt, ContractJsonContext.Default.PromptMessage, cancellationToken));

    /// <summary>Queues a fault (QoS 1).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishFaultAsync(FaultMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Enqueue(message, Topics.Fault, MessageClass.Fault, ContractJsonContext.Default.FaultMessage, cancellationToken));

    /// <summary>Queues a telemetry summary (QoS 0; dropped first when the outbox is full or the backlog is stale).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishTelemetryAsync(TelemetryMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Enqueue(message, Topics.Telemetry, MessageClass.Telemetry, ContractJsonContext.Default.TelemetryMessage, cancellationToken));

    string IContractPublisher.Device => Topics.Device;

    ValueTask IContractPublisher.PublishEventAsync(EventMessage message, CancellationToken cancellationToken) => Stored(() => PublishEventAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishPromptAsync(PromptMessage message, CancellationToken cancellationToken) => Stored(() => PublishPromptAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishFaultAsync(FaultMessage message, CancellationToken cancellationToken) => Stored(() => PublishFaultAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishTelemetryAsync(TelemetryMessage message, CancellationToken cancellationToken) => Stored(() => PublishTelemetryAsync(message, cancellationToken));

    /// <summary>The port's failure contract: the outbox's storage errors become <see cref="IOException"/>, so callers need not know SQLite.</summary>
    private static async ValueTask Stored(Func<ValueTask<long>> publish)
    {
        try
        {
            await publish().ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new IOException("The outbox could not store the message: " + e.Message, e);
        }
    }

    /// <summary>Waits until connected to the broker.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (!_client.IsConnected)
        {
            _progress.Reset();
            if (_client.IsConnected)
            {
                return;
            }

            await _progress.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the outbox is empty: everything queued so far was acknowledged (or dropped). For <c>replay --mqtt</c>.</summary>
    public async Task WaitUntilDeliveredAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _progress.Reset();
            if (_outbox.Statistics.Pending == 0)
            {
                return;
            }

            await _progress.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes the retained <c>offline</c> status, disconnects cleanly and stops the loops. Queued messages stay in
    /// the outbox for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        if (_client.IsConnected)
        {
            try
            {
                await PublishStatusAsync(StatusMessage.Offline, cancellationToken).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                LogStopFailed(_logger, ex.Message);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(_options.OperationTimeout))
        {
            try
            {
                await StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _outbox.StatisticsChanged -= OnOutboxStatisticsChanged;
        _client.Dispose();
        _stopping?.Dispose();
        if (_ownsOutbox)
        {
            _outbox.Dispose();
        }
    }

    /// <summary>The status payload now: online/offline with cramps today and the outbox counters.</summary>
    public StatusMessage CurrentStatus(string state)
    {
        var now = _time.GetUtcNow();
        var stats = _outbox.Statistics;
        return new StatusMessage
        {
            Id = ContractTime.NewId(now),
            Time = ContractTime.Format(now),
            Device = Topics.Device,
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

    internal static MqttClientOptions BuildClientOptions(MessagingOptions options, ContractTopics topics, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var will = JsonSerializer.SerializeToUtf8Bytes(
            new StatusMessage { Id = ContractTime.NewId(now), Time = ContractTime.Format(now), Device = topics.Device, State = StatusMessage.Offline },
            ContractJsonContext.Default.StatusMessage);
        var builder = MqttConnection.Configure(new MqttClientOptionsBuilder(), options, options.ClientId ?? $"crampsense-{topics.Device}")
            .WithCleanStart(true)
            .WithWillTopic(topics.Status)
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json")
            .WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        return builder.Build();
    }

    private static string Describe(Exception exception) => exception switch
    {
        MqttConnectingFailedException failed => $"the broker refused the connection: {failed.Message}",
        _ when exception.InnerException is { } inner && exception is MqttCommunicationException => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };

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

    private long Enqueue<T>(T message, string topic, MessageClass messageClass, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : ContractMessage
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (!string.Equals(message.Device, Topics.Device, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The message '{message.Id}' is for device '{message.Device}', but this publisher sends for '{Topics.Device}' (Device:Id).", nameof(message));
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);
        var schema = message switch
        {
            EventMessage m => m.Schema,
            PromptMessage m => m.Schema,
            TelemetryMessage m => m.Schema,
            FaultMessage m => m.Schema,
            StatusMessage m => m.Schema,
            _ => throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message)),
        };
        var sequence = _outbox.Enqueue(topic, payload, atLeastOnce: messageClass != MessageClass.Telemetry, messageClass, message.Id, schema);
        _work.Set();
        return sequence;
    }

    private string CrampsTodayCounter()
    {
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _time.LocalTimeZone);
        return "cramps:" + local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        // Equal jitter (ExponentialBackoff) so a fleet does not reconnect in lock-step after a broker restart.
        var backoff = new ExponentialBackoff(_options.ReconnectMinDelay, _options.ReconnectMaxDelay);
        var failures = 0;
        var nextStatus = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            _supervisorWake.Reset();
            try
            {
                if (!_client.IsConnected)
                {
                    try
                    {
                        await ConnectAsync(cancellationToken).ConfigureAwait(false);
                        failures = 0;
                        nextStatus = _time.GetUtcNow() + _options.StatusInterval;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        _lastConnectionError = Describe(ex);
                        var delay = backoff.Delay(++failures);
                        LogConnectFailed(_logger, _options.EffectiveHost, _options.EffectivePort, _lastConnectionError, Math.Round(delay.TotalSeconds, 1));
                        _progress.Set();
                        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if (Interlocked.Exchange(ref _announceRequested, 0) == 1)
                {
                    await PublishDiscoveryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (Interlocked.Exchange(ref _statusDirty, 0) == 1 || _time.GetUtcNow() >= nextStatus)
                {
                    await PublishStatusAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
                    nextStatus = _time.GetUtcNow() + _options.StatusInterval;
                }

                var wait = TimeSpan.FromTicks(Math.Max(0, Math.Min(_options.KeepAlive.Ticks, (nextStatus - _time.GetUtcNow()).Ticks)));
                if (!await _supervisorWake.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false)
                    && _client.IsConnected
                    && !await _client.TryPingAsync(cancellationToken).ConfigureAwait(false))
                {
                    LogPingFailed(_logger);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                // Lost the connection mid-way; the next round reconnects.
                LogSupervisorError(_logger, ex.Message);
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        var result = await _client.ConnectAsync(ClientOptions, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
        }

        _lastConnectionError = null;
        Interlocked.Increment(ref _connectCount);
        LogConnected(_logger, _options.EffectiveHost, _options.EffectivePort);
        await PublishStatusAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
        if (_options.HomeAssistantDiscovery)
        {
            await PublishDiscoveryAsync(cancellationToken).ConfigureAwait(false);
            await _client.SubscribeAsync(ContractTopics.HomeAssistantStatus, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        }

        _work.Set();
        _progress.Set();
    }

    private async Task PublishStatusAsync(string state, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(CurrentStatus(state), ContractJsonContext.Default.StatusMessage);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Status)
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithUserProperty("schema", Encoding.UTF8.GetBytes(SchemaNames.Status).AsMemory())
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishDiscoveryAsync(CancellationToken cancellationToken)
    {
        var config = HomeAssistantDiscovery.Build(Topics, _options.DeviceName ?? Topics.Device, _options.Sites, _softwareVersion);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.HomeAssistantDiscovery)
            .WithPayload(Encoding.UTF8.GetBytes(config.ToJsonString()))
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        LogDiscoveryPublished(_logger, Topics.HomeAssistantDiscovery);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            _work.Reset();
            try
            {
                if (!_client.IsConnected)
                {
                    await _work.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var batch = _outbox.PeekNext(SendBatch);
                if (batch.Count == 0)
                {
                    _progress.Set();
                    await _work.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
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

                    _progress.Set();
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
                _supervisorWake.Set();
                await _work.WaitAsync(_options.ReconnectMinDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected)
        {
            LogDisconnected(_logger, e.Reason.ToString());
        }

        _supervisorWake.Set();
        _progress.Set();
        return Task.CompletedTask;
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Only flag the work here: publishing from inside the receive handler can deadlock (MQTTnet samples).
        if (e.ApplicationMessage.Topic == ContractTopics.HomeAssistantStatus
            && string.Equals(e.ApplicationMessage.ConvertPayloadToString()?.Trim(), "online", StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _announceRequested, 1);
            _supervisorWake.Set();
        }

        return Task.CompletedTask;
    }

    private void OnOutboxStatisticsChanged(object? sender, EventArgs e)
    {
        Interlocked.Exchange(ref _statusDirty, 1);
        _supervisorWake.Set();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connect to {Host}:{Port} failed: {Reason}; retrying in about {DelaySeconds} s")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT disconnected: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT ping failed; reconnecting")]
    private static partial void LogPingFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT supervisor: {Reason}")]
    private static partial void LogSupervisorError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT send interrupted, message stays queued: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT broker refused message {MessageId} on {Topic}: {ReasonCode} {ReasonString}; removed from the outbox and counted as rejected")]
    private static partial void LogRejected(ILogger logger, string messageId, string topic, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Home Assistant discovery published to {Topic}")]
    private static partial void LogDiscoveryPublished(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT clean stop failed: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}

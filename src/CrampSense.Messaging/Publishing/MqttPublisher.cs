using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
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
/// <see cref="LastConnectionError"/> says why. Publish methods may be called from any thread. The loops are their own
/// classes: <see cref="MqttSession"/> (connect, reconnect, ping, clean stop), <see cref="OutboxSendLoop"/>,
/// <see cref="PublisherStatus"/> and <see cref="DiscoveryAnnouncer"/>; this class queues and wires them.
/// </remarks>
public sealed class MqttPublisher : IContractPublisher, IAsyncDisposable
{
    private readonly MessagingOptions _options;
    private readonly SqliteOutbox _outbox;
    private readonly bool _ownsOutbox;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly PublisherSignals _signals = new();
    private readonly PublisherStatus _status;
    private readonly FeedbackListener _feedback;
    private readonly MqttSession _session;
    private readonly OutboxSendLoop _sender;
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;

    /// <summary>A publisher over an outbox the caller owns.</summary>
    /// <exception cref="MessagingConfigurationException">The options are invalid, or a TLS file cannot be loaded.</exception>
    public MqttPublisher(MessagingOptions options, SqliteOutbox outbox, TimeProvider? time = null, ILogger<MqttPublisher>? logger = null)
        : this(options, outbox, ownsOutbox: false, new MqttClientFactory().CreateMqttClient(), time, logger)
    {
    }

    /// <summary>A publisher over an outbox the caller owns and <paramref name="client"/>, which it owns (disposes).</summary>
    /// <exception cref="MessagingConfigurationException">The options are invalid, or a TLS file cannot be loaded.</exception>
    public MqttPublisher(MessagingOptions options, SqliteOutbox outbox, IMqttClient client, TimeProvider? time = null, ILogger<MqttPublisher>? logger = null)
        : this(options, outbox, ownsOutbox: false, client ?? throw new ArgumentNullException(nameof(client)), time, logger)
    {
    }

    private MqttPublisher(MessagingOptions options, SqliteOutbox outbox, bool ownsOutbox, IMqttClient client, TimeProvider? time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outbox);
        _options = options.ThrowIfInvalid();
        _outbox = outbox;
        _ownsOutbox = ownsOutbox;
        _time = time ?? TimeProvider.System;
        logger ??= NullLogger.Instance;
        Topics = new ContractTopics(options.DeviceId, options.HomeAssistantPrefix);
        ClientOptions = BuildClientOptions(options, Topics, _time);
        _client = client;
        _status = new PublisherStatus(client, outbox, Topics, _time);
        _feedback = new FeedbackListener(client, Topics, options.MaxPayloadBytes);
        _session = new MqttSession(client, ClientOptions, options, _signals, _status, new DiscoveryAnnouncer(client, options, Topics, logger), _feedback, _time, logger);
        _sender = new OutboxSendLoop(client, outbox, _signals, options.ReconnectMinDelay, _time, logger);
        _outbox.StatisticsChanged += OnOutboxStatisticsChanged;
    }

    /// <summary>Opens the outbox at <see cref="MessagingOptions.OutboxPath"/> and makes a publisher that owns it.</summary>
    /// <exception cref="MessagingConfigurationException">The options are invalid.</exception>
    /// <exception cref="IOException">The outbox cannot be opened.</exception>
    public static MqttPublisher Create(MessagingOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var outbox = SqliteOutbox.Open(OutboxOptions.From(options), time);
        try
        {
            return new MqttPublisher(options, outbox, ownsOutbox: true, new MqttClientFactory().CreateMqttClient(), time, loggerFactory?.CreateLogger<MqttPublisher>());
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
    public long ConnectCount => _session.ConnectCount;

    /// <summary>Why the last connection attempt failed (e.g. bad user name or password, connection refused); null once connected.</summary>
    public string? LastConnectionError => _session.LastConnectionError;

    /// <summary>The MQTTnet client options in use (host, TLS, will).</summary>
    internal MqttClientOptions ClientOptions { get; }

    /// <summary>
    /// Subscribes to the device's feedback topic (now when connected, and after every connect) and hands each
    /// command's payload to <paramref name="handler"/>, on MQTTnet's receive thread: it must only queue it. A later
    /// call replaces the handler. Commands the broker kept while the device was offline (persistent session) come
    /// first, also those that arrived before this call.
    /// </summary>
    public void ListenForFeedback(Action<byte[]> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _feedback.Listen(handler);
        _session.ListenForFeedback();
    }

    /// <summary>
    /// How long the broker keeps the device's session (its feedback subscription and the QoS 1 commands sent to it)
    /// after the device went offline: a week of a device left in a drawer; commands older than that are lost.
    /// </summary>
    public static readonly TimeSpan SessionExpiry = TimeSpan.FromDays(7);

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
            Task.Run(() => _session.SuperviseAsync(token), CancellationToken.None),
            Task.Run(() => _sender.RunAsync(token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Queues a cramp event (QoS 1).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishEventAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sequence = Enqueue(message, Topics.Event, MessageClass.Event, ContractJsonContext.Default.EventMessage, cancellationToken);
        switch (message.Type, message.Feedback)
        {
            case (EventMessage.CrampStarted, _):
            case (EventMessage.FeedbackApplied, EventMessage.Reported):
                _status.CountCramp(message.EventId);
                _signals.Supervisor.Set();
                break;
            case (EventMessage.FeedbackApplied, EventMessage.Rejected or EventMessage.Confirmed):
                _status.Answer(message.EventId, message.Feedback == EventMessage.Confirmed);
                _signals.Supervisor.Set();
                break;
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

    /// <summary>Queues the answer to a feedback command on <c>…/feedback/result</c> (QoS 1, in the event class: it answers a person).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishFeedbackResultAsync(FeedbackResultMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Enqueue(message, Topics.FeedbackResult, MessageClass.Event, ContractJsonContext.Default.FeedbackResultMessage, cancellationToken));

    /// <summary>Queues a telemetry summary (QoS 0; dropped first when the outbox is full or the backlog is stale).</summary>
    /// <exception cref="ArgumentException">The message is for another device, or too large.</exception>
    public ValueTask<long> PublishTelemetryAsync(TelemetryMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Enqueue(message, Topics.Telemetry, MessageClass.Telemetry, ContractJsonContext.Default.TelemetryMessage, cancellationToken));

    string IContractPublisher.Device => Topics.Device;

    ValueTask IContractPublisher.PublishEventAsync(EventMessage message, CancellationToken cancellationToken) => Stored(() => PublishEventAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishPromptAsync(PromptMessage message, CancellationToken cancellationToken) => Stored(() => PublishPromptAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishFaultAsync(FaultMessage message, CancellationToken cancellationToken) => Stored(() => PublishFaultAsync(message, cancellationToken));

    ValueTask IContractPublisher.PublishFeedbackResultAsync(FeedbackResultMessage message, CancellationToken cancellationToken) => Stored(() => PublishFeedbackResultAsync(message, cancellationToken));

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
            _signals.Progress.Reset();
            if (_client.IsConnected)
            {
                return;
            }

            await _signals.Progress.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the outbox is empty: everything queued so far was acknowledged (or dropped). For <c>replay --mqtt</c>.</summary>
    public async Task WaitUntilDeliveredAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _signals.Progress.Reset();
            if (_outbox.Statistics.Pending == 0)
            {
                return;
            }

            await _signals.Progress.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
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

        await _session.DisconnectAsync(cancellationToken).ConfigureAwait(false);
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
        _session.Detach();
        _client.Dispose();
        _stopping?.Dispose();
        if (_ownsOutbox)
        {
            _outbox.Dispose();
        }
    }

    /// <summary>The status payload now: online/offline with cramps today and the outbox counters.</summary>
    public StatusMessage CurrentStatus(string state) => _status.Current(state);

    internal static MqttClientOptions BuildClientOptions(MessagingOptions options, ContractTopics topics, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var will = JsonSerializer.SerializeToUtf8Bytes(
            new StatusMessage { Id = ContractTime.NewId(now), Time = ContractTime.Format(now), Device = topics.Device, State = StatusMessage.Offline },
            ContractJsonContext.Default.StatusMessage);
        var builder = MqttConnection.Configure(new MqttClientOptionsBuilder(), options, options.ClientId ?? $"crampsense-{topics.Device}")
            // A persistent session: the broker queues the feedback commands sent while the device is offline.
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)SessionExpiry.TotalSeconds)
            .WithWillTopic(topics.Status)
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json")
            .WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        return builder.Build();
    }

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
            FeedbackResultMessage m => m.Schema,
            _ => throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message)),
        };
        var sequence = _outbox.Enqueue(topic, payload, atLeastOnce: messageClass != MessageClass.Telemetry, messageClass, message.Id, schema);
        _signals.Work.Set();
        return sequence;
    }

    private void OnOutboxStatisticsChanged(object? sender, EventArgs e)
    {
        _status.MarkDue();
        _signals.Supervisor.Set();
    }
}

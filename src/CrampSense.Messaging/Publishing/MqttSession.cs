using CrampSense.Contract;
using CrampSense.Messaging.Configuration;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// The publisher's connection: a supervisor loop connects (a persistent session, last will), reconnects with
/// <see cref="ExponentialBackoff"/>, pings when idle for the keep-alive, republishes the status when it is due and
/// the discovery when Home Assistant asks; it disconnects cleanly on stop.
/// </summary>
/// <remarks>MQTTnet 5 has no managed client; this is the supervisor loop its maintainers recommend (deps-probe.md §3).</remarks>
internal sealed partial class MqttSession
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly MessagingOptions _options;
    private readonly PublisherSignals _signals;
    private readonly PublisherStatus _status;
    private readonly DiscoveryAnnouncer _discovery;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile string? _lastConnectionError;
    private long _connectCount;

    public MqttSession(IMqttClient client, MqttClientOptions clientOptions, MessagingOptions options, PublisherSignals signals, PublisherStatus status, DiscoveryAnnouncer discovery, FeedbackListener feedback, TimeProvider time, ILogger logger)
    {
        _feedback = feedback;
        _client = client;
        _clientOptions = clientOptions;
        _options = options;
        _signals = signals;
        _status = status;
        _discovery = discovery;
        _time = time;
        _logger = logger;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
    }

    public bool IsConnected => _client.IsConnected;

    private readonly FeedbackListener _feedback;
    private int _feedbackDue;

    /// <summary>The feedback subscription, once it has a listener: subscribed at once when connected (the supervisor's next round) and after every connect.</summary>
    public void ListenForFeedback()
    {
        Interlocked.Exchange(ref _feedbackDue, 1);
        _signals.Supervisor.Set();
    }

    public long ConnectCount => Interlocked.Read(ref _connectCount);

    public string? LastConnectionError => _lastConnectionError;

    public async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        // Equal jitter (ExponentialBackoff) so a fleet does not reconnect in lock-step after a broker restart.
        var backoff = new ExponentialBackoff(_options.ReconnectMinDelay, _options.ReconnectMaxDelay);
        var failures = 0;
        var nextStatus = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            _signals.Supervisor.Reset();
            try
            {
                if (!_client.IsConnected || !_signals.SessionReady)
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
                        _signals.Progress.Set();
                        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if (_client.IsConnected && _feedback.IsListening && Interlocked.Exchange(ref _feedbackDue, 0) == 1)
                {
                    await _feedback.OnConnectedAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_discovery.TakeRequest())
                {
                    await _discovery.PublishAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_status.TakeDue() || _time.GetUtcNow() >= nextStatus)
                {
                    await _status.PublishAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
                    nextStatus = _time.GetUtcNow() + _options.StatusInterval;
                }

                var wait = TimeSpan.FromTicks(Math.Max(0, Math.Min(_options.KeepAlive.Ticks, (nextStatus - _time.GetUtcNow()).Ticks)));
                if (!await _signals.Supervisor.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false)
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

    /// <summary>Publishes the retained <c>offline</c> status and disconnects cleanly.</summary>
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
        catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            LogStopFailed(_logger, ex.Message);
        }
    }

    /// <summary>Stops listening to the client's events.</summary>
    public void Detach()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync -= OnMessageReceivedAsync;
    }

    private static string Describe(Exception exception) => exception switch
    {
        MqttConnectingFailedException failed => $"the broker refused the connection: {failed.Message}",
        _ when exception.InnerException is { } inner && exception is MqttCommunicationException => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _signals.SessionReady = false;
        // Connected already but not set up: the set-up failed last time with the connection still up (e.g. the
        // status publish timed out), so only the set-up is repeated.
        if (!_client.IsConnected)
        {
            var result = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
            }

            _lastConnectionError = null;
            Interlocked.Increment(ref _connectCount);
            LogConnected(_logger, _options.EffectiveHost, _options.EffectivePort);
        }

        await _status.PublishAsync(StatusMessage.Online, cancellationToken).ConfigureAwait(false);
        if (_discovery.Enabled)
        {
            await _discovery.OnConnectedAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_feedback.IsListening)
        {
            Interlocked.Exchange(ref _feedbackDue, 0);
            await _feedback.OnConnectedAsync(cancellationToken).ConfigureAwait(false);
        }

        _signals.SessionReady = true;
        _signals.Work.Set();
        _signals.Progress.Set();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        _signals.SessionReady = false;
        if (e.ClientWasConnected)
        {
            LogDisconnected(_logger, e.Reason.ToString());
        }

        _signals.Supervisor.Set();
        _signals.Progress.Set();
        return Task.CompletedTask;
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (_feedback.OnMessage(e.ApplicationMessage))
        {
            return Task.CompletedTask;
        }

        if (_discovery.OnMessage(e.ApplicationMessage))
        {
            _signals.Supervisor.Set();
        }

        return Task.CompletedTask;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT clean stop failed: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}

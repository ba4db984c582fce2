using CrampSense.Bridge.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

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
/// counts and logs), and the queues hold <see cref="BridgeOptions.MaxInFlight"/>; QoS 0 messages, which the receive
/// maximum does not count, are shed beyond that (<see cref="BridgeStatistics.Shed"/>; <see cref="PayloadWorkers"/>). MQTTnet 5 has no managed client, so a
/// supervisor loop reconnects (deps-probe.md §3).
/// The loops are their own classes: <see cref="BridgeSubscription"/> (connection, subscription, acknowledgements, dead
/// letters), <see cref="PayloadWorkers"/> (check and map), <see cref="InfluxBatchWriter"/> (batch, write, retry) and
/// <see cref="BridgeStatusPublisher"/>; this class wires them and runs their start and stop.
/// </remarks>
public sealed class MqttInfluxBridge : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly IInfluxPointWriter _pointWriter;
    private readonly BridgeSubscription _subscription;
    private readonly PayloadWorkers _workers;
    private readonly InfluxBatchWriter _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Task[] _workerLoops = [];
    private Task? _supervisor;
    private Task? _writeLoop;
    private int _stopped;

    /// <summary>Creates a bridge over MQTTnet's client and InfluxDB.Client; nothing connects before <see cref="StartAsync"/>.</summary>
    public MqttInfluxBridge(BridgeOptions options, TimeProvider? time = null, ILogger<MqttInfluxBridge>? logger = null)
        : this(options, new MqttClientFactory().CreateMqttClient(), new InfluxDbPointWriter(options ?? throw new ArgumentNullException(nameof(options))), time, logger)
    {
    }

    /// <summary>
    /// Creates a bridge over <paramref name="client"/> and <paramref name="pointWriter"/>, which it owns (disposes);
    /// nothing connects before <see cref="StartAsync"/>.
    /// </summary>
    public MqttInfluxBridge(BridgeOptions options, IMqttClient client, IInfluxPointWriter pointWriter, TimeProvider? time = null, ILogger<MqttInfluxBridge>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pointWriter);
        Options = options;
        time ??= TimeProvider.System;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        _client = client;
        _pointWriter = pointWriter;
        InfluxBatchWriter? writer = null;
        var status = new BridgeStatusPublisher(options, client, Statistics, () => writer?.DatabaseFailing == true, time, log);
        _subscription = new BridgeSubscription(options, client, Statistics, status, time, log, _stopping.Token);
        writer = new InfluxBatchWriter(options, pointWriter, _subscription, Statistics, time, log);
        _writer = writer;
        _workers = new PayloadWorkers(options.Mqtt.MaxPayloadBytes, options.MaxInFlight, options.ReceiveMaximum, _subscription, writer.Points, Statistics, log);
        _subscription.DeliverTo(_workers.AcceptAsync);
    }

    /// <summary>The counters.</summary>
    public BridgeStatistics Statistics { get; } = new();

    /// <summary>The settings it runs with.</summary>
    public BridgeOptions Options { get; }

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _subscription.IsConnected;

    /// <summary>The MQTT side (for tests over a fake client).</summary>
    internal BridgeSubscription Subscription => _subscription;

    /// <summary>The batch writer (for tests over a fake point writer).</summary>
    internal InfluxBatchWriter Writer => _writer;

    /// <summary>Starts connecting (in the background, retrying) and writing. Returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_supervisor is not null)
        {
            throw new InvalidOperationException("The bridge is already started.");
        }

        _writeLoop = Task.Run(() => _writer.RunAsync(_abort.Token), CancellationToken.None);
        _workerLoops = _workers.Start(_abort.Token);
        _supervisor = Task.Run(() => _subscription.SuperviseAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the bridge is connected and subscribed.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _subscription.WaitUntilSubscribedAsync(cancellationToken);

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
        _workers.Complete();
        try
        {
            await Task.WhenAll(_workerLoops).WaitAsync(cancellationToken).ConfigureAwait(false);
            _writer.Complete();
            await _writeLoop!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        await _subscription.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops at once without writing or acknowledging what it holds (as a crash would; the broker keeps those messages).</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        _workers.Complete();
        _writer.Complete();
        foreach (var task in _workerLoops.Append(_supervisor).Append(_writeLoop))
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
        _pointWriter.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }
}

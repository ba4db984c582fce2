using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using CrampSense.Messaging.Broker;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace CrampSense.Benchmarks;

/// <summary>
/// Event → subscriber latency through the durable outbox on loopback (issue 5 §6; target p99 ≤ 20 ms): each operation
/// queues one event (fsync'ed SQLite commit), the sender publishes it at QoS 1, and the operation ends when an
/// independent MQTTnet subscriber has received it. One operation per iteration (InvocationCount = UnrollFactor = 1),
/// so the P50/P95/P99 columns are percentiles of single events, not of averages.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*OutboxLatency*'
/// </summary>
[Config(typeof(LatencyConfig))]
public class OutboxLatencyBenchmarks
{
    private OutboxRig _rig = null!;

    /// <summary><c>embedded</c>: MQTTnet's in-process broker; <c>mosquitto</c>: a mosquitto child process.</summary>
    [Params("embedded", "mosquitto")]
    public string Broker { get; set; } = "embedded";

    [GlobalSetup]
    public void Setup() => _rig = OutboxRig.StartAsync(Broker).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task EventToSubscriber() => _rig.PublishAndAwaitAsync(1);

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            // Outliers are the point of a p99: keep every measurement.
            AddJob(Job.Default.WithOutlierMode(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove).WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(50).WithIterationCount(1000).WithLaunchCount(1));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max);
        }
    }
}

/// <summary>
/// Outbox throughput: 1000 events queued back to back and the time until the subscriber has all of them; the Mean is
/// per message, so messages/s = 1e9 / Mean(ns).
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*OutboxThroughput*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class OutboxThroughputBenchmarks
{
    private const int Batch = 1000;
    private OutboxRig _rig = null!;

    [Params("embedded", "mosquitto")]
    public string Broker { get; set; } = "embedded";

    [GlobalSetup]
    public void Setup() => _rig = OutboxRig.StartAsync(Broker).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task QueueAndDeliver() => _rig.PublishAndAwaitAsync(Batch);
}

/// <summary>A P-th percentile column for single-operation iterations (BenchmarkDotNet ships P0…P100 in steps, no P99).</summary>
internal sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => "P" + percentile.ToString(CultureInfo.InvariantCulture);

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"{percentile}th percentile of all measurements";

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        return statistics is null
            ? "NA"
            : (statistics.Percentiles.Percentile(percentile) / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;
}

/// <summary>Broker + publisher (with its outbox in a temp folder) + an independent subscriber, all on loopback.</summary>
internal sealed class OutboxRig : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> _pending = new();
    private EmbeddedBroker? _embedded;
    private Process? _mosquitto;
    private string _folder = "";
    private MqttPublisher _publisher = null!;
    private IMqttClient _subscriber = null!;
    private TaskCompletionSource _allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _device = "bench";
    private long _next;

    public static async Task<OutboxRig> StartAsync(string broker)
    {
        var rig = new OutboxRig();
        await rig.InitializeAsync(broker);
        return rig;
    }

    public async Task PublishAndAwaitAsync(int count)
    {
        _allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var time = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _next);
            var id = "bench-" + n.ToString(CultureInfo.InvariantCulture);
            _pending[id] = 0;
            await _publisher.PublishEventAsync(
                new EventMessage
                {
                    Id = id,
                    Time = ContractTime.Format(time),
                    Device = _device,
                    Site = "calf",
                    Type = EventMessage.CrampStarted,
                    EventId = $"{_device}:calf:cramp:{n}",
                    OnsetSeconds = n,
                    ConfirmedSeconds = n + 5,
                    PeakMicrovolts = 180,
                    Confidence = 0.9,
                },
                CancellationToken.None);
        }

        await _allReceived.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        _subscriber.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_mosquitto is not null)
        {
            _mosquitto.Kill();
            await _mosquitto.WaitForExitAsync();
            _mosquitto.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task InitializeAsync(string broker)
    {
        _folder = Directory.CreateTempSubdirectory("crampsense-bench-").FullName;
        var port = LocalServers.FreePort();
        _device = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var options = new MessagingOptions
        {
            Host = broker == "embedded" ? null : "127.0.0.1",
            Port = port,
            BrokerPort = port,
            DeviceId = _device,
            OutboxPath = Path.Combine(_folder, "outbox.db"),
            HomeAssistantDiscovery = false,
        };
        if (broker == "embedded")
        {
            _embedded = await EmbeddedBroker.StartAsync(options, CancellationToken.None);
        }
        else
        {
            _mosquitto = await StartMosquittoAsync(_folder, port);
        }

        var factory = new MqttClientFactory();
        _subscriber = factory.CreateMqttClient();
        _subscriber.ApplicationMessageReceivedAsync += e =>
        {
            var id = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == "id")?.ReadValueAsString();
            if (id is not null && _pending.TryRemove(id, out _) && _pending.IsEmpty)
            {
                _allReceived.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await _subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-sub-" + _device).Build());
        await _subscriber.SubscribeAsync(new ContractTopics(_device).Event, MqttQualityOfServiceLevel.AtLeastOnce);

        _publisher = MqttPublisher.Create(options);
        await _publisher.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _publisher.WaitUntilConnectedAsync(timeout.Token);
    }

    private static async Task<Process> StartMosquittoAsync(string folder, int port)
    {
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(config, [$"listener {port} 127.0.0.1", "allow_anonymous true", "persistence false", $"user {Environment.UserName}", "log_type error"]);
        var process = Process.Start(new ProcessStartInfo(LocalServers.Binary("mosquitto"), ["-c", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await LocalServers.WaitForPortAsync(port, process);
        return process;
    }
}

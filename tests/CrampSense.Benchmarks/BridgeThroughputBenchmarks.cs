using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CrampSense.Contract;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Benchmarks;

/// <summary>
/// Sustained bridge throughput (issue 6 §5; target ≥ 20 000 messages/s, peak RSS ≤ 150 MB per bridge): mosquitto →
/// 1 or 2 crampsense-bridge processes (one share group) → VictoriaMetrics (InfluxDB write API). Each operation
/// publishes <see cref="MessagesPerOperation"/> messages from <see cref="Devices"/> simulated wearables over four
/// publisher connections, as the wearable's outbox sends them (content type, payload format, <c>schema</c> and
/// <c>id</c> user properties; <see cref="Mix"/>: all QoS 1 cramp events, or the wearable's mix of QoS 0 telemetry and
/// QoS 1 events), and ends when the bridges report (retained status, every 0.1 s) that all were written
/// and acknowledged, or shed (QoS 0 only, when a bridge's intake is full; column <c>shed</c>) (<see cref="PublishAndStore"/>: publishers, broker, database and bridges share the machine, so this
/// is the sustained rate of the whole pipe). <see cref="DrainBacklog"/> publishes the same while the bridges are paused
/// (SIGSTOP) and times only their catch-up after SIGCONT: the bridges' own rate against a backlog in their sessions.
/// Columns: messages/s from the mean, and the bridges' peak resident memory (VmHWM) over the whole run.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*BridgeThroughput*'
/// Needs mosquitto and victoria-metrics (apt-get install -y mosquitto victoria-metrics).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class BridgeThroughputBenchmarks
{
    public const int MessagesPerOperation = 100_000;
    public const int Devices = 1000;
    private const int Publishers = 4;

    private readonly List<Process> _bridges = [];
    private readonly List<IMqttClient> _publishers = [];
    private readonly Dictionary<string, (long Acknowledged, long Shed)> _acknowledged = [];
    private IMqttClient _monitor = null!;
    private Process _mosquitto = null!;
    private Process _victoria = null!;
    private string _folder = "";
    private int _round;
    private long _drainTarget;
    private MqttApplicationMessage[][] _next = [];
    private string _method = "";
    private Dictionary<string, double> _cpuAtStart = [];
    private long _acknowledgedAtStart;
    private long _shedAtStart;

    [Params(1, 2)]
    public int Instances { get; set; } = 1;

    /// <summary>
    /// <c>events</c>: every message a QoS 1 cramp event (the worst case: a PUBACK each way and the longest line).
    /// <c>product</c>: what the wearable publishes — telemetry (one message per site and second) at QoS 0, events,
    /// prompts and faults at QoS 1 (MqttPublisher: at least once for all but telemetry). A wearable sends a few events a
    /// night against 3 600 telemetry messages an hour per site, so one event in <see cref="TelemetryPerEvent"/> + 1
    /// messages is many times the product's share of QoS 1: the harness is not cheaper than the devices.
    /// </summary>
    [Params(EventsMix, ProductMix)]
    public string Mix { get; set; } = ProductMix;

    public const string EventsMix = "events";
    public const string ProductMix = "product";
    public const int TelemetryPerEvent = 9;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationSetup(Target = nameof(PublishAndStore))]
    public void BuildMessages() => _next = Messages(_round++, Mix);

    [Benchmark]
    public void PublishAndStore()
    {
        _method = nameof(PublishAndStore);
        PublishAndStoreAsync().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(DrainBacklog))]
    public void PauseBridgesAndPublish()
    {
        // A paused bridge sends nothing (no acknowledgement, no status), so mosquitto fills its window and keeps the
        // rest in its session. 100 000 messages take a few seconds, well inside the 22.5-s keep-alive limit.
        foreach (var bridge in _bridges)
        {
            Signal(bridge, Sigstop);
        }

        _drainTarget = Handled(out _) + MessagesPerOperation;
        PublishAsync(Messages(_round++, Mix)).GetAwaiter().GetResult();
    }

    [Benchmark]
    public void DrainBacklog()
    {
        _method = nameof(DrainBacklog);
        foreach (var bridge in _bridges)
        {
            Signal(bridge, Sigcont);
        }

        WaitUntilAcknowledgedAsync(_drainTarget).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Peak resident set of each bridge process, for the PeakRss column (read by the host process from this file).
        var peaks = _bridges.Select(PeakResidentMegabytes).ToList();
        File.WriteAllText(RssFile(_method, Instances, Mix), string.Join(",", peaks.Select(p => p.ToString("F0", CultureInfo.InvariantCulture))));
        // CPU per stored message of each party over the whole run (warm-up included): on 2 cores they compete.
        var cpu = CpuSeconds();
        var messages = Math.Max(1, Acknowledged(out _) - _acknowledgedAtStart);
        var shed = Shed() - _shedAtStart;
        File.WriteAllText(ShedFile(_method, Instances, Mix), string.Create(CultureInfo.InvariantCulture, $"{shed} ({100.0 * shed / (shed + messages):F1} %)"));
        File.WriteAllText(CpuFile(_method, Instances, Mix), string.Join(" ", cpu.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Key} {(c.Value - _cpuAtStart[c.Key]) * 1e6 / messages:F1}"))));
        foreach (var client in _publishers.Append(_monitor))
        {
            client.Dispose();
        }

        foreach (var process in _bridges.Append(_mosquitto).Append(_victoria))
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    internal static string CpuFile(string method, int instances, string mix) => Path.Combine(Path.GetTempPath(), $"crampsense-bridge-bench-cpu-{method}-{instances}-{mix}.txt");

    /// <summary>CPU seconds (user + system) so far of the bridges (together), mosquitto, VictoriaMetrics and this process (the publishers).</summary>
    private Dictionary<string, double> CpuSeconds() => new()
    {
        ["bridge"] = _bridges.Sum(ProcessCpuSeconds),
        ["mosquitto"] = ProcessCpuSeconds(_mosquitto),
        ["victoria"] = ProcessCpuSeconds(_victoria),
        ["publisher"] = ProcessCpuSeconds(Process.GetCurrentProcess()),
    };

    private static double ProcessCpuSeconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    internal static string ShedFile(string method, int instances, string mix) => Path.Combine(Path.GetTempPath(), $"crampsense-bridge-bench-shed-{method}-{instances}-{mix}.txt");

    internal static string RssFile(string method, int instances, string mix) => Path.Combine(Path.GetTempPath(), $"crampsense-bridge-bench-rss-{method}-{instances}-{mix}.txt");

    private async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("crampsense-bridge-bench-").FullName;
        var mqttPort = LocalServers.FreePort();
        var vmPort = LocalServers.FreePort();
        var config = Path.Combine(_folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(config, [$"listener {mqttPort} 127.0.0.1", "allow_anonymous true", "persistence false", $"user {Environment.UserName}", "log_type error", "max_queued_messages 1000000"]);
        _mosquitto = Start(LocalServers.Binary("mosquitto"), ["-c", config]);
        _victoria = Start(LocalServers.Binary("victoria-metrics"), [$"-httpListenAddr=127.0.0.1:{vmPort}", $"-storageDataPath={_folder}/vm", "-retentionPeriod=100y", "-loggerLevel=ERROR"]);
        await LocalServers.WaitForPortAsync(mqttPort);
        await LocalServers.WaitForPortAsync(vmPort);

        _monitor = await ConnectAsync(mqttPort, "bench-monitor");
        _monitor.ApplicationMessageReceivedAsync += e =>
        {
            using var status = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
            if (status.RootElement.TryGetProperty("acknowledged", out var acknowledged))
            {
                // QoS 0 messages a bridge shed (its intake full) are handled too, never stored; a build without
                // shedding reports none.
                var shed = status.RootElement.TryGetProperty("shed", out var s) ? s.GetInt64() : 0;
                lock (_acknowledged)
                {
                    _acknowledged[e.ApplicationMessage.Topic] = (acknowledged.GetInt64(), shed);
                }
            }

            return Task.CompletedTask;
        };
        await _monitor.SubscribeAsync("crampsense/v1/_bridge/+/status", MqttQualityOfServiceLevel.AtMostOnce);

        var group = "bench-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < Instances; i++)
        {
            _bridges.Add(Start("dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "crampsense-bridge.dll"),
                "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={mqttPort}",
                $"--InfluxDB:Url=http://127.0.0.1:{vmPort}", "--InfluxDB:Token=bench", "--InfluxDB:Org=bench", "--InfluxDB:Bucket=bench",
                $"--Bridge:InstanceId={group}-{i}", $"--Bridge:ShareGroup={group}", "--Bridge:StatusIntervalSeconds=0.1",
                "--Logging:LogLevel:Default=Warning",
            ], Path.Combine(Path.GetTempPath(), $"crampsense-bridge-bench-{Instances}-{i}.log")));
        }

        var stopwatch = Stopwatch.StartNew();
        while (Acknowledged(out var count) is var _ && count < Instances)
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the bridges did not come online");
            }

            await Task.Delay(50);
        }

        for (var i = 0; i < Publishers; i++)
        {
            _publishers.Add(await ConnectAsync(mqttPort, $"bench-pub-{i}"));
        }

        _acknowledgedAtStart = Acknowledged(out _);
        _shedAtStart = Shed();
        _cpuAtStart = CpuSeconds();
    }

    private long Acknowledged(out int bridges)
    {
        lock (_acknowledged)
        {
            bridges = _acknowledged.Count;
            return _acknowledged.Values.Sum(v => v.Acknowledged);
        }
    }

    private long Shed()
    {
        lock (_acknowledged)
        {
            return _acknowledged.Values.Sum(v => v.Shed);
        }
    }

    /// <summary>Messages the bridges are done with: stored and acknowledged, or shed.</summary>
    private long Handled(out int bridges) => Acknowledged(out bridges) + Shed();

    private async Task PublishAndStoreAsync()
    {
        var target = Handled(out _) + MessagesPerOperation;
        await PublishAsync(_next);
        await WaitUntilAcknowledgedAsync(target);
    }

    /// <summary>
    /// The messages of a round, built before it is timed, so that the publishers' CPU in the timed part is the
    /// sending only (their share is in the CPU column).
    /// </summary>
    private static MqttApplicationMessage[][] Messages(int round, string mix)
    {
        var perPublisher = MessagesPerOperation / Publishers;
        return [.. Enumerable.Range(0, Publishers).Select(p => Enumerable.Range(0, perPublisher).Select(i =>
        {
            var index = (p * perPublisher) + i;
            var device = $"bench-{index % Devices:D4}";
            var sequence = index / Devices;
            var telemetry = mix == ProductMix && sequence % (TelemetryPerEvent + 1) != 0;
            var (topic, payload, schema, id) = telemetry ? TelemetryPayload(device, round, sequence) : EventPayload(device, round, sequence);
            // As OutboxSendLoop sends it.
            return new MqttApplicationMessageBuilder()
                .WithTopic($"crampsense/v1/{device}/{topic}")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(telemetry ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                .WithUserProperty("schema", Encoding.UTF8.GetBytes(schema).AsMemory())
                .WithUserProperty("id", Encoding.UTF8.GetBytes(id).AsMemory())
                .Build();
        }).ToArray())];
    }

    private static (string Topic, byte[] Payload, string Schema, string Id) EventPayload(string device, int round, int sequence) =>
        ("event", Payload(device, round, sequence), SchemaNames.Event, $"{device}:calf:cramp:{round}-{sequence}:cramp_started");

    /// <summary>A telemetry message as the wearable serialises it (ContractMapping), each (round, sequence) its own millisecond.</summary>
    private static (string Topic, byte[] Payload, string Schema, string Id) TelemetryPayload(string device, int round, int sequence)
    {
        var time = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero).AddMinutes(round).AddMilliseconds(sequence);
        var message = new TelemetryMessage
        {
            Id = ContractTime.NewId(time),
            Time = ContractTime.Format(time),
            Device = device,
            Site = "calf",
            EnvelopeMicrovolts = 12.5 + (sequence % 50),
            PercentOfMax = 4.25,
            Class = "rest",
            CrampActive = false,
            SkinTemperatureCelsius = 32.75,
            HumMicrovolts = 0.4,
        };
        return ("telemetry", JsonSerializer.SerializeToUtf8Bytes(message, ContractJsonContext.Default.TelemetryMessage), SchemaNames.Telemetry, message.Id);
    }

    private async Task PublishAsync(MqttApplicationMessage[][] messages)
    {
        await Task.WhenAll(_publishers.Select((client, p) => Task.Run(async () =>
        {
            var window = new List<Task>(500);
            foreach (var message in messages[p])
            {
                window.Add(client.PublishAsync(message));
                if (window.Count == 500)
                {
                    await Task.WhenAll(window);
                    window.Clear();
                }
            }

            await Task.WhenAll(window);
        })));
    }

    private async Task WaitUntilAcknowledgedAsync(long target)
    {
        var stopwatch = Stopwatch.StartNew();
        while (Handled(out _) < target)
        {
            if (stopwatch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"only {Handled(out _) - target + MessagesPerOperation} of {MessagesPerOperation} stored or shed");
            }

            await Task.Delay(10);
        }
    }

    private const int Sigcont = 18;
    private const int Sigstop = 19;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static void Signal(Process process, int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>A contract event; each (round, sequence) of a device has its own millisecond, so every point is new.</summary>
    internal static byte[] Payload(string device, int round, int sequence)
    {
        var time = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero).AddMinutes(round).AddMilliseconds(sequence);
        var eventId = $"{device}:calf:cramp:{round}-{sequence}";
        return Encoding.UTF8.GetBytes(
            $$"""{"schema":"crampsense.event.v1","id":"{{eventId}}:cramp_started","time":"{{ContractTime.Format(time)}}","device":"{{device}}","site":"calf","type":"cramp_started","event_id":"{{eventId}}","onset_s":{{sequence}},"confirmed_s":{{sequence + 5}},"duration_s":5,"peak_uv":180,"mean_uv":140,"peak_pct_max":61.5,"mean_pct_max":48.2,"skin_temp_c":33.4,"confidence":0.91,"model_version":"m-2026.11"}""");
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).WithCleanStart(true).Build());
        return client;
    }

    private static double PeakResidentMegabytes(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    private static Process Start(string file, string[] arguments, string? log = null)
    {
        var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var writer = log is null ? null : TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { writer?.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { writer?.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            // Seconds-long end-to-end operations: one per iteration, a warm-up round, three measured rounds. In process:
            // what is measured runs in the bridge processes it starts, and BenchmarkDotNet's build of a separate host
            // project took minutes on the loaded 2-core machine.
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
                .WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(
                new MessagesPerSecondColumn(),
                new FileColumn("BridgePeakRss", "bridge peak RSS MB", 1, "VmHWM of each bridge process at the end of the run.", RssFile),
                new FileColumn("BridgeShed", "shed", 3, "QoS 0 messages the bridges shed over the whole run (their intake full), and their share of the messages handled; msg/s counts stored and shed messages alike.", ShedFile),
                new FileColumn("BridgeCpu", "CPU µs/msg", 2, "CPU time (user + system) per stored message over the whole run, warm-up included: the bridges together, mosquitto, VictoriaMetrics, the benchmark's publishers.", CpuFile));
        }
    }

    private sealed class MessagesPerSecondColumn : IColumn
    {
        public string Id => "MessagesPerSecond";
        public string ColumnName => "msg/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"Messages stored and acknowledged, or shed (see that column), per second ({MessagesPerOperation} per operation / mean).";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } statistics
                ? (MessagesPerOperation / (statistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture)
                : "-";
    }

    /// <summary>A column whose value a benchmark run left in a file (the host process reads it after the run).</summary>
    private sealed class FileColumn(string id, string name, int priority, string legend, Func<string, int, string, string> file) : IColumn
    {
        public string Id => id;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => priority;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend;
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var instances = benchmarkCase.Parameters["Instances"] is int n ? n : 0;
            var mix = benchmarkCase.Parameters["Mix"] as string ?? "";
            var path = file(benchmarkCase.Descriptor.WorkloadMethod.Name, instances, mix);
            return File.Exists(path) ? File.ReadAllText(path) : "-";
        }
    }
}

using System.Globalization;
using System.Text.Json;
using CrampSense.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace CrampSense.EndToEnd.Tests;

/// <summary>Real mosquitto (persistent), real VictoriaMetrics and the crampsense-bridge program, shared by the end-to-end tests.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    private ChildProgram? _bridge;
    private Exception? _skipped;

    public MosquittoBroker Broker { get; private set; } = null!;

    public VictoriaMetricsServer Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            Broker = await MosquittoBroker.StartAsync(CancellationToken.None, persistence: true);
            Database = await VictoriaMetricsServer.CreateAsync(start: true, CancellationToken.None);
        }
        catch (Exception e) when (e.Message.StartsWith("$XunitDynamicSkip$", StringComparison.Ordinal))
        {
            _skipped = e; // a skip thrown here would count as a failure: each test skips instead
            return;
        }

        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        _bridge = ChildProgram.StartDotnet("BridgeProgram",
        [
            "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={P(Broker.Port)}", "--Mqtt:ReconnectMinSeconds=0.1", "--Mqtt:ReconnectMaxSeconds=0.5",
            $"--InfluxDB:Url={Database.Url}", "--InfluxDB:Org=crampsense", "--InfluxDB:Bucket=crampsense",
            "--Bridge:InstanceId=e2e", "--Bridge:FlushIntervalMilliseconds=50", "--Bridge:StatusIntervalSeconds=1",
        ],
        new Dictionary<string, string> { ["CRAMPSENSE_InfluxDB__Token"] = "e2e-token-not-secret" });
    }

    public void RequireServers()
    {
        if (_skipped is not null)
        {
            Assert.Skip(_skipped.Message.Replace("$XunitDynamicSkip$", string.Empty, StringComparison.Ordinal));
        }

        Assert.False(_bridge!.HasExited, "crampsense-bridge exited: " + _bridge.Output);
    }

    public string BridgeOutput => _bridge?.Output ?? string.Empty;

    public async ValueTask DisposeAsync()
    {
        _bridge?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>
/// The whole product path on real parts: crampsense-host (simulated sensors) → mosquitto → an alert subscriber
/// (mosquitto_sub) and crampsense-bridge → VictoriaMetrics (InfluxDB write API), as docker-compose wires it.
/// </summary>
public sealed class WearableToDashboardTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // Numeric fields of a cramp event that the bridge stores (text fields are not kept by VictoriaMetrics).
    private static readonly string[] CrampNumbers = ["onset_s", "confirmed_s", "end_s", "duration_s", "peak_uv", "mean_uv", "confidence", "skin_temp_c"];

    private Dictionary<string, string> HostEnvironment(string outbox) => new()
    {
        ["CRAMPSENSE_Mqtt__Host"] = "127.0.0.1",
        ["CRAMPSENSE_Mqtt__Port"] = stack.Broker.Port.ToString(CultureInfo.InvariantCulture),
        ["CRAMPSENSE_Mqtt__ReconnectMinSeconds"] = "0.2",
        ["CRAMPSENSE_Mqtt__ReconnectMaxSeconds"] = "1",
        ["CRAMPSENSE_Mqtt__Outbox__Path"] = outbox,

        // The coach holds prompts back in its quiet hours (22:00–07:00 local); the tests wait for prompts at any hour.
        ["CRAMPSENSE_Coach__QuietHours__Start"] = "00:00",
        ["CRAMPSENSE_Coach__QuietHours__End"] = "00:00",
    };

    private static string NewDevice() => "e2e-" + Guid.NewGuid().ToString("N")[..10];

    private static string TempOutbox() => Path.Combine(Path.GetTempPath(), "crampsense-e2e", Guid.NewGuid().ToString("N")[..10] + "-outbox.db");

    [Fact]
    public async Task SimulatedNight_CrampEventsAndStretchPromptReachTheSubscriberAndTheDatabaseWithTheirFields()
    {
        stack.RequireServers();
        var ct = TestContext.Current.CancellationToken;
        var device = NewDevice();
        using var subscriber = await TopicSubscriber.StartAsync(stack.Broker.Port, device, ct);

        // The default simulated night (calf cramp 25.4–36.4 s) at ten times real time, to its 45-s end.
        using (var host = ChildProgram.StartDotnet("HostProgram", ["--simulate", "--speed", "10", "--no-live", "--duration", "45s", "--device", device], HostEnvironment(TempOutbox())))
        {
            await host.WaitForExitAsync(Timeout, ct);
            Assert.True(host.ExitCode == 0, "crampsense-host failed: " + host.Output);
        }

        await Poll.UntilAsync(() => subscriber.Messages.Any(m => m.Kind == "status" && Text(m.Payload, "state") == "offline"), Timeout, () => "offline at the subscriber: " + subscriber.Output, ct);
        var messages = subscriber.Messages;
        var started = Assert.Single(messages, m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_started").Payload;
        var ended = Assert.Single(messages, m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_ended").Payload;
        var stretch = Assert.Single(messages, m => m.Kind == "prompt" && Text(m.Payload, "kind") == "stretch").Payload;
        Assert.Equal("calf", Text(started, "site"));
        Assert.Equal(Text(started, "event_id"), Text(ended, "event_id"));
        Assert.Equal(Text(started, "event_id"), Text(stretch, "event_id"));
        Assert.InRange(Number(started, "onset_s")!.Value, 25.4 - 0.5, 25.4 + 0.5); // simulator truth 25.4 s

        // In the database, each message is one point at its own time, every number as sent.
        foreach (var crampEvent in new[] { started, ended })
        {
            var points = await WaitForPointsAsync("cramp_event", s => s.Tag("device") == device && s.Tag("type") == Text(crampEvent, "type"), ct);
            long time = TimeMs(crampEvent);
            foreach (var field in CrampNumbers)
            {
                if (Number(crampEvent, field) is not { } expected)
                {
                    continue;
                }

                var sample = Assert.Single(points, p => p.Name == "cramp_event_" + field);
                Assert.Equal(time, sample.TimestampMilliseconds);
                Assert.Equal("calf", sample.Tag("site"));
                Assert.Equal(expected, sample.Value, 9);
            }
        }

        var prompt = Assert.Single(await WaitForPointsAsync("prompt", s => s.Tag("device") == device && s.Tag("kind") == "stretch", ct), p => p.Name == "prompt_count");
        Assert.Equal(TimeMs(stretch), prompt.TimestampMilliseconds);
        Assert.Equal(Text(stretch, "urgency"), prompt.Tag("urgency"));
        Assert.Equal("calf", prompt.Tag("site"));
    }

    [Fact]
    public async Task ServiceKilledWhileTheBrokerHangs_RestartDeliversEveryMessageOfTheKilledRunToSubscriberAndDatabase()
    {
        stack.RequireServers();
        var ct = TestContext.Current.CancellationToken;
        var device = NewDevice();
        var outbox = TempOutbox();
        using var subscriber = await TopicSubscriber.StartAsync(stack.Broker.Port, device, ct);

        // Run 1: once cramp_started is out, the broker hangs (SIGSTOP: connections open, nothing acknowledged);
        // the cramp ends and its prompts go into the outbox only; then the service is killed without warning.
        // Twice real time: the 7 s between cramp_started and cramp_ended leave 3.5 s to hang the broker in between.
        using (var first = ChildProgram.StartDotnet("HostProgram", ["--simulate", "--speed", "2", "--no-live", "--device", device], HostEnvironment(outbox)))
        {
            await Poll.UntilAsync(() => subscriber.Messages.Any(m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_started"), Timeout, () => "cramp_started at the subscriber: " + first.Output, ct);
            Tools.Signal(stack.Broker.ProcessId, "STOP");
            try
            {
                // The after-care prompt is logged once cramp_ended is in the outbox and the coach has answered it.
                await Poll.UntilAsync(() => first.Output.Contains("Prompt hydrate for calf", StringComparison.Ordinal), Timeout, () => "the after-care prompt: " + first.Output, ct);
                await first.KillAsync();
            }
            finally
            {
                Tools.Signal(stack.Broker.ProcessId, "CONT");
            }
        }

        Assert.DoesNotContain(subscriber.Messages, m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_ended");

        // Run 2: another night (seed 5) for a few seconds; what run 1 left in the outbox goes out first.
        using (var second = ChildProgram.StartDotnet("HostProgram", ["--simulate", "--seed", "5", "--speed", "10", "--no-live", "--duration", "10s", "--device", device], HostEnvironment(outbox)))
        {
            await second.WaitForExitAsync(Timeout, ct);
            Assert.True(second.ExitCode == 0, "crampsense-host (restart) failed: " + second.Output);
        }

        await Poll.UntilAsync(() => subscriber.Messages.Any(m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_ended"), Timeout, () => "cramp_ended at the subscriber: " + subscriber.Output, ct);
        var messages = subscriber.Messages;
        var started = messages.First(m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_started").Payload;
        var ended = messages.First(m => m.Kind == "event" && Text(m.Payload, "type") == "cramp_ended").Payload;
        Assert.Equal(Text(started, "event_id"), Text(ended, "event_id"));
        Assert.Contains(messages, m => m.Kind == "prompt" && Text(m.Payload, "kind") == "stretch" && Text(m.Payload, "event_id") == Text(started, "event_id"));

        // Nothing lost, nothing counted twice: every event and prompt of the killed run is one point in the database.
        var runOne = messages.Where(m => m.Kind is "event" or "prompt" && Text(m.Payload, "time") is { } t && DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) <= DateTimeOffset.Parse(Text(ended, "time")!, CultureInfo.InvariantCulture))
            .GroupBy(m => Text(m.Payload, "id")).Select(g => g.First()).ToList();
        Assert.Contains(runOne, m => Text(m.Payload, "type") == "cramp_started");
        foreach (var (kind, payload) in runOne)
        {
            var measurement = kind == "prompt" ? "prompt" : Text(payload, "type") == "cramp_warning" ? "cramp_warning" : "cramp_event";
            var field = kind == "prompt" ? "prompt_count" : measurement + "_onset_s";
            var points = await WaitForPointsAsync(measurement, s => s.Tag("device") == device && s.Name == field && s.TimestampMilliseconds == TimeMs(payload)
                && (kind == "prompt" ? s.Tag("kind") == Text(payload, "kind") : s.Tag("site") == Text(payload, "site")), ct);
            Assert.True(points.Count == 1, $"{kind} {Text(payload, "id")}: {points.Count} points");
        }
    }

    private async Task<IReadOnlyList<VictoriaMetricsServer.Sample>> WaitForPointsAsync(string measurement, Func<VictoriaMetricsServer.Sample, bool> match, CancellationToken ct)
    {
        IReadOnlyList<VictoriaMetricsServer.Sample> found = [];
        await Poll.UntilAsync(
            async () =>
            {
                found = [.. (await stack.Database.ExportAsync(measurement, ct)).Where(match)];
                return found.Count > 0;
            },
            Timeout,
            () => $"{measurement} points in VictoriaMetrics; bridge: {stack.BridgeOutput}",
            ct);
        return found;
    }

    private static string? Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long TimeMs(JsonElement payload) => DateTimeOffset.Parse(Text(payload, "time")!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}

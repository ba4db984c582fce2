using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The crampsense-bridge program (Generic Host) as a child process and in-process.</summary>
public sealed class BridgeHostTests(BridgeServersFixture servers) : IClassFixture<BridgeServersFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Process_KilledMidStreamAndRestarted_StoresEveryIdOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var instance = "p-" + Guid.NewGuid().ToString("N")[..8];
        var settings = BridgeSettings.For(servers.Broker.Port, servers.Database.Url, instance, "g-" + instance);
        // The token comes from the environment, the way a container gets it.
        settings.Remove("InfluxDB:Token");
        var environment = new Dictionary<string, string> { ["CRAMPSENSE_InfluxDB__Token"] = "token-from-environment" };
        var arguments = BridgeSettings.Arguments(settings);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        await publisher.SubscribeAsync(BridgeTopics.Status(instance), ct);
        var device = TestMessages.NewDevice();
        var messages = Enumerable.Range(0, 4000).Select(i => TestMessages.Started(device, i)).ToList();

        using (var first = BridgeProcess.Start(arguments, environment))
        {
            await Poll.UntilAsync(() => publisher.Received(BridgeTopics.Status(instance)).Any(s => s.Payload.Contains("\"online\"", StringComparison.Ordinal)) || first.HasExited,
                Timeout, () => "the bridge process online", ct);
            Assert.False(first.HasExited, first.Output);
            var publishing = publisher.PublishManyAsync(messages, ct);
            var stored = 0;
            await Poll.UntilAsync(
                async () => (stored = (await StoredPoints.OnsetCountsAsync(servers.Database, messages, ct)).Values.Count(c => c > 0)) >= 300,
                Timeout, () => $"{stored} stored before the kill", ct);
            await first.KillAsync();
            await publishing;
            Assert.True(stored < messages.Count, "the kill should come while messages are still in flight");
        }

        // The last will says the process died.
        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.Status(instance)).Any(s => s.Payload.Contains("\"offline\"", StringComparison.Ordinal)),
            Timeout, () => "offline (last will)", ct);

        var statusesBefore = publisher.Received(BridgeTopics.Status(instance)).Count;
        using var second = BridgeProcess.Start(arguments, environment);
        Dictionary<string, int> counts = [];
        await Poll.UntilAsync(
            async () => (counts = await StoredPoints.OnsetCountsAsync(servers.Database, messages, ct)).Values.All(c => c == 1),
            Timeout, () => StoredPoints.Describe(counts) + Environment.NewLine + second.Output, ct);
        // Terminated only once it is online: when the first process had stored the last points just before its kill, the
        // poll above passes at once, and a SIGTERM during start-up, before the host handles it, ends the process with 143.
        await Poll.UntilAsync(() => publisher.Received(BridgeTopics.Status(instance)).Skip(statusesBefore).Any(s => s.Payload.Contains("\"online\"", StringComparison.Ordinal)) || second.HasExited,
            Timeout, () => "the second bridge process online", ct);
        await second.TerminateAsync(ct);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("token-from-environment", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_InvalidConfiguration_ExitsWithCode2NamingEachKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = BridgeProcess.Start(["--Mqtt:Host=127.0.0.1", "--InfluxDB:Url=localhost:8086", "--Bridge:BatchSize=lots"]);

        await process.WaitForExitAsync(ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("InfluxDB:Url: 'localhost:8086' is not an absolute http:// or https:// URL.", process.Output, StringComparison.Ordinal);
        Assert.Contains("InfluxDB:Token: required", process.Output, StringComparison.Ordinal);
        Assert.Contains("Bridge:BatchSize: 'lots'", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBuilder_InProcessWithSettings_RunsTheBridgeUntilStopped()
    {
        var ct = TestContext.Current.CancellationToken;
        var instance = "h-" + Guid.NewGuid().ToString("N")[..8];
        using var host = BridgeHost.CreateBuilder([], BridgeSettings.For(servers.Broker.Port, servers.Database.Url, instance, "g-" + instance)).Build();
        await host.StartAsync(ct);
        var bridge = host.Services.GetRequiredService<Pipeline.MqttInfluxBridge>();
        await bridge.WaitUntilConnectedAsync(ct).WaitAsync(Timeout, ct);
        await using var publisher = await TestPublisher.ConnectAsync(servers.Broker.Port, ct);
        var device = TestMessages.NewDevice();
        var messages = Enumerable.Range(0, 50).Select(i => TestMessages.Started(device, i)).ToList();

        await publisher.PublishManyAsync(messages, ct);

        Dictionary<string, int> counts = [];
        await Poll.UntilAsync(
            async () => (counts = await StoredPoints.OnsetCountsAsync(servers.Database, messages, ct)).Values.All(c => c == 1),
            Timeout, () => StoredPoints.Describe(counts), ct);
        await host.StopAsync(ct);
        Assert.Equal(50, bridge.Statistics.Acknowledged);
        Assert.Equal(instance, host.Services.GetRequiredService<BridgeOptions>().InstanceId);
    }
}

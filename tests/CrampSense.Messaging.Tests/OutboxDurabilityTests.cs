using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CrampSense.Contract;
using CrampSense.Messaging.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>
/// The outbox under SIGKILL and a broker outage: a child process queues numbered events, prompts and faults and is
/// killed at random points (12 times); the broker is stopped for several rounds and restarted. Afterwards every
/// message the child reported as queued arrives at a subscriber with a kept session, in order per topic, with
/// duplicates only where at-least-once allows them (a re-send of something already seen).
/// </summary>
public sealed class OutboxDurabilityTests
{
    private const int Rounds = 12;

    [Fact]
    public async Task KilledPublisherAndBrokerOutage_EveryQueuedMessageArrivesInOrderPerTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(ct, persistence: true);
        var device = TestPublishers.NewDevice();
        var topics = new ContractTopics(device);
        var outbox = TestPublishers.TempOutbox();
        var subscriberId = "phone-" + device;
        await PersistentSubscriber.CreateSessionAsync(broker.Port, subscriberId, $"crampsense/v1/{device}/+", ct);
        var random = new Random(20261126);
        var queued = new SortedSet<int>();
        var next = 0;
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                if (round == 4)
                {
                    await broker.StopAsync(ct);
                }
                else if (round == 8)
                {
                    await broker.RestartAsync(ct);
                }

                // Kill anywhere from right after start-up to 40 messages in (mid-send, mid-PUBACK, mid-commit).
                var killAfter = random.Next(0, 41);
                // Round 0 checks the last will, which the broker holds only once the child is connected: that child
                // is killed no earlier (a kill before its CONNECT leaves no will and no status to read).
                var reported = await RunChildUntilKilledAsync(broker.Port, device, outbox, next, killAfter, connectedFirst: round == 0, ct);
                queued.UnionWith(reported);
                next = reported.Count > 0 ? reported.Max() + 1 : next;

                if (round == 0)
                {
                    await AssertStatusBecomesOfflineAsync(broker.Port, topics.Status, ct);
                }
            }

            var drained = await RunChildToDrainAsync(broker.Port, device, outbox, ct);
            Assert.True(drained, "the drain run did not empty the outbox");

            var received = await ReceiveUntilAsync(broker.Port, subscriberId, queued.Select(Id).ToHashSet(), ct);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"queued {queued.Count} (reported by {Rounds} killed children), received {received.Count}, duplicates {received.Count - received.Select(m => m.Id).Distinct().Count()}");
            Assert.True(queued.Count >= 20, $"only {queued.Count} messages were queued; the test did not exercise much");
            Assert.Empty(queued.Select(Id).Except(received.Select(m => m.Id)));
            foreach (var topic in received.GroupBy(m => m.Topic))
            {
                var firstSeen = topic.Select(m => m.Index).Distinct().ToList();
                Assert.True(firstSeen.SequenceEqual(firstSeen.Order()), $"{topic.Key}: first arrivals out of order: {string.Join(',', firstSeen)}");
            }

            Assert.All(received, m => Assert.InRange(m.Index, 0, next));
            Assert.All(received, m => SchemaValidator.AssertValid(m.Payload));
        }
        finally
        {
            var folder = Path.GetDirectoryName(outbox)!;
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Id(int index) => "seq-" + index.ToString("D6", CultureInfo.InvariantCulture);

    private static Process StartChild(params string[] arguments)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "CrampSense.Messaging.Tests.Publisher.dll");
        var info = new ProcessStartInfo("dotnet", [child, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info)!;
    }

    private static async Task<List<int>> RunChildUntilKilledAsync(int port, string device, string outbox, int first, int killAfter, bool connectedFirst, CancellationToken ct)
    {
        string[] arguments = [port.ToString(CultureInfo.InvariantCulture), device, outbox, first.ToString(CultureInfo.InvariantCulture), "1000"];
        using var process = StartChild(connectedFirst ? [.. arguments, "--connected-first"] : arguments);
        var reported = new List<int>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                enough.TrySetResult();
                return;
            }

            lock (reported)
            {
                if (e.Data.StartsWith("queued ", StringComparison.Ordinal))
                {
                    reported.Add(int.Parse(e.Data[7..], CultureInfo.InvariantCulture));
                }

                if ((e.Data == "started" && killAfter == 0) || reported.Count >= killAfter && killAfter > 0)
                {
                    enough.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await enough.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.False(process.HasExited, "the publisher child exited by itself: " + string.Join(Environment.NewLine, errors));
        process.Kill(); // SIGKILL on Unix
        await process.WaitForExitAsync(ct);
        lock (reported)
        {
            return [.. reported];
        }
    }

    private static async Task<bool> RunChildToDrainAsync(int port, string device, string outbox, CancellationToken ct)
    {
        using var process = StartChild(port.ToString(CultureInfo.InvariantCulture), device, outbox, "--drain");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(90), ct);
        Assert.True(process.ExitCode == 0, await errors);
        return (await output).Contains("drained", StringComparison.Ordinal);
    }

    private static async Task AssertStatusBecomesOfflineAsync(int port, string statusTopic, CancellationToken ct)
    {
        // The broker publishes the last will when it notices the dead connection; read the retained status until then.
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var sub = await MosquittoSub.StartAsync(port, statusTopic, 1, 5, "mqttv311", ct);
            var status = (await sub.CompletionAsync(ct)).Single();
            if ((string?)JsonNode.Parse(status.Payload)!["state"] == "offline")
            {
                SchemaValidator.AssertValid(status.Payload);
                return;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the last will (status offline) never came after SIGKILL");
        }
    }

    private sealed record Arrival(string Topic, string Id, int Index, string Payload);

    private static async Task<List<Arrival>> ReceiveUntilAsync(int port, string clientId, HashSet<string> expected, CancellationToken ct)
    {
        var arrivals = new List<Arrival>();
        var complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var missing = new HashSet<string>(expected);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.ConvertPayloadToString();
            var node = JsonNode.Parse(payload)!;
            var id = (string)node["id"]!;
            if (e.ApplicationMessage.Topic.EndsWith("/status", StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            lock (arrivals)
            {
                arrivals.Add(new Arrival(e.ApplicationMessage.Topic, id, int.Parse(id[4..], CultureInfo.InvariantCulture), payload));
                missing.Remove(id);
                if (missing.Count == 0)
                {
                    complete.TrySetResult();
                }
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(false)
                .WithSessionExpiryInterval(3600)
                .Build(),
            ct);
        try
        {
            await complete.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch (TimeoutException)
        {
            lock (arrivals)
            {
                Assert.Fail($"{missing.Count} queued messages never arrived, e.g. {string.Join(", ", missing.Order().Take(10))}");
            }
        }

        await client.DisconnectAsync(cancellationToken: ct);
        lock (arrivals)
        {
            return [.. arrivals];
        }
    }
}

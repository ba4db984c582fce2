using System.Diagnostics;
using System.Text.Json.Nodes;
using CrampSense.Messaging.Broker;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>The in-process broker with the publisher, and mosquitto_sub / an MQTTnet client as subscribers.</summary>
public sealed class EmbeddedBrokerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("mqttv5")]
    [InlineData("mqttv311")]
    public async Task Publisher_WithEmbeddedBroker_MosquittoSubReceivesSchemaValidPayloads(string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.EmbeddedOptions(MosquittoBroker.FreePort(), device);
        Assert.True(options.UsesEmbeddedBroker);
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        var topics = new ContractTopics(device);
        using var sub = await MosquittoSub.StartAsync(broker.Port, $"{topics.Event} {topics.Prompt} {topics.Fault} {topics.Telemetry}", 6, 20, protocol, ct);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            var sent = await TestPublishers.PublishOneOfEachAsync(publisher, device, ct);

            var received = await sub.CompletionAsync(ct);

            Assert.Equal(sent.Select(m => m.Id).Order(), received.Select(m => (string)JsonNode.Parse(m.Payload)!["id"]!).Order());
            Assert.All(received, m => SchemaValidator.AssertValid(m.Payload));
            Assert.Equal(
                sent.OfType<EventMessage>().Select(e => e.Id),
                received.Where(m => m.Topic == topics.Event).Select(m => (string)JsonNode.Parse(m.Payload)!["id"]!));
            if (protocol == "mqttv5")
            {
                Assert.All(received, m => Assert.Equal("application/json", m.ContentType));
            }
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task PersistentSession_SubscriberAway_GetsTheEventsItMissedOnReturn()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.EmbeddedOptions(MosquittoBroker.FreePort(), device);
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        var topics = new ContractTopics(device);
        var factory = new MqttClientFactory();
        var subscriberOptions = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithClientId("phone-" + device)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .Build();
        using (var away = factory.CreateMqttClient())
        {
            await away.ConnectAsync(subscriberOptions, ct);
            await away.SubscribeAsync(topics.Event, MqttQualityOfServiceLevel.AtLeastOnce, ct);
            await away.DisconnectAsync(cancellationToken: ct);
        }

        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            var started = Samples.Started(device);
            await publisher.PublishEventAsync(started, ct);
            await publisher.WaitUntilDeliveredAsync(ct).WaitAsync(Timeout, ct);

            var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var back = factory.CreateMqttClient();
            back.ApplicationMessageReceivedAsync += e =>
            {
                got.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
                return Task.CompletedTask;
            };
            var result = await back.ConnectAsync(subscriberOptions, ct);

            Assert.True(result.IsSessionPresent);
            var payload = await got.Task.WaitAsync(Timeout, ct);
            Assert.Equal(started.Id, (string?)JsonNode.Parse(payload)!["id"]);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.20")]
    public async Task Start_BeyondLoopbackWithoutCredentials_RefusesNamingTheKeys(string address)
    {
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerBindAddress = address, BrokerPort = MosquittoBroker.FreePort() };

        var ex = await Assert.ThrowsAsync<MessagingConfigurationException>(() => EmbeddedBroker.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("Mqtt:Broker:BindAddress", ex.Message);
        Assert.Contains("Mqtt:Username", ex.Message);
    }

    [Fact]
    public async Task Start_WithCredentials_RefusesWrongPasswordAndAcceptsTheRightOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerPort = MosquittoBroker.FreePort(), Username = "wearable", Password = "right" };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        var factory = new MqttClientFactory();

        using var wrong = factory.CreateMqttClient();
        var refused = await wrong.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("wearable", "wrong").Build(), ct);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ResultCode);
        Assert.False(wrong.IsConnected);

        using var right = factory.CreateMqttClient();
        var accepted = await right.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("wearable", "right").Build(), ct);
        Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
    }

    [Fact]
    public async Task Start_PortInUse_ThrowsIOExceptionNamingThePort()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerPort = MosquittoBroker.FreePort() };
        await using var first = await EmbeddedBroker.StartAsync(options, ct);

        var ex = await Assert.ThrowsAsync<IOException>(() => EmbeddedBroker.StartAsync(options, ct));

        Assert.Contains("Mqtt:Broker:Port", ex.Message);
    }

    [Fact]
    public async Task Broker_WithCredentials_ClientPublishingBeyondTheWearablesOwnTopics_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = new MessagingOptions { DeviceId = device, BrokerPort = MosquittoBroker.FreePort(), Username = device, Password = "pw" };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithCredentials(device, "pw").Build(), ct);
        var topics = new ContractTopics(device);

        // Accepted with nobody subscribed is still accepted.
        async Task<MqttClientPublishReasonCode> PublishAsync(string topic) =>
            (await client.PublishStringAsync(topic, "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct)).ReasonCode is var code && code == MqttClientPublishReasonCode.NoMatchingSubscribers
                ? MqttClientPublishReasonCode.Success : code;

        Assert.Equal(MqttClientPublishReasonCode.Success, await PublishAsync(topics.Event));
        Assert.Equal(MqttClientPublishReasonCode.Success, await PublishAsync(topics.HomeAssistantDiscovery));
        Assert.Equal(MqttClientPublishReasonCode.Success, await PublishAsync(ContractTopics.HomeAssistantStatus));
        Assert.Equal(MqttClientPublishReasonCode.Success, await PublishAsync(topics.Feedback));
        Assert.Equal(MqttClientPublishReasonCode.Success, await PublishAsync(topics.FeedbackResult));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAsync(new ContractTopics("someone-else").Feedback));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAsync(new ContractTopics("someone-else").Event));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAsync(topics.Event + "/below"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAsync("crampsense/v1/_deadletter"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAsync("homeassistant/device/someone-else/config"));
    }

    [Fact]
    public async Task Publisher_EmbeddedBrokerBoundToAnotherLocalAddress_ConnectsThere()
    {
        // 127.0.0.2 is this host too, but not 127.0.0.1: the publisher used to dial 127.0.0.1 whatever the bind address.
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = new MessagingOptions
        {
            BrokerPort = MosquittoBroker.FreePort(), BrokerBindAddress = "127.0.0.2", DeviceId = device, OutboxPath = TestPublishers.TempOutbox(),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(500), OperationTimeout = TimeSpan.FromSeconds(5),
        };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);

            await Poll.UntilAsync(() => publisher.IsConnected, Timeout, "the publisher connected to 127.0.0.2", ct);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task ReadmeWatchCommand_AgainstEmbeddedBroker_PrintsThePublishedMessage()
    {
        // The watch line exactly as README.md prints it, run by a shell. mosquitto_sub (Debian's mosquitto-clients)
        // connects with MQTT 3.1.1 and an empty client id. Its one difference from a user's run, the port, comes from
        // the clients' own options file ($XDG_CONFIG_HOME/mosquitto_sub), so the command text stays untouched.
        var ct = TestContext.Current.CancellationToken;
        var command = ReadmeWatchCommand();
        Assert.Equal("mosquitto_sub -h 127.0.0.1 -t 'crampsense/v1/#' -v", command);
        var device = TestPublishers.NewDevice();
        var options = new MessagingOptions { DeviceId = device, BrokerPort = MosquittoBroker.FreePort() };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        var topic = new ContractTopics(device).Status;

        // Retained, so it reaches the subscriber whenever it subscribes: no race between subscribing and publishing.
        using (var publisher = new MqttClientFactory().CreateMqttClient())
        {
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build(), ct);
            await publisher.PublishStringAsync(topic, "online", MqttQualityOfServiceLevel.AtLeastOnce, retain: true, cancellationToken: ct);
            await publisher.DisconnectAsync(cancellationToken: ct);
        }

        var config = Directory.CreateTempSubdirectory("crampsense-watch-");
        File.WriteAllText(Path.Combine(config.FullName, "mosquitto_sub"), $"-p {broker.Port}\n");
        var mosquittoSub = Tools.Require("mosquitto_sub");
        var info = new ProcessStartInfo(Tools.Require("stdbuf"), ["-oL", "/bin/sh", "-c", "exec " + command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["XDG_CONFIG_HOME"] = config.FullName;
        info.Environment["PATH"] = Path.GetDirectoryName(mosquittoSub) + ":" + Environment.GetEnvironmentVariable("PATH");
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } text && text.StartsWith(topic, StringComparison.Ordinal))
            {
                line.TrySetResult(text);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } text)
            {
                errors.Enqueue(text);
                line.TrySetException(new InvalidOperationException("mosquitto_sub: " + text));
            }
        };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var printed = await line.Task.WaitAsync(Timeout, ct);

            Assert.Equal($"{topic} online", printed);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            config.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Connect_Mqtt311EmptyClientIdCleanSession_IsAcceptedWithAnAssignedId()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerPort = MosquittoBroker.FreePort() };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V311).WithClientId("").WithCleanSession(true).Build(), ct);

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var clients = await broker.Server.GetClientsAsync();
        Assert.StartsWith("auto-", Assert.Single(clients).Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_Mqtt311EmptyClientIdKeptSession_IsRefusedAsIdentifierRejected()
    {
        // MQTT 3.1.1 §3.1.3.1: a zero-byte client id with CleanSession=0 must get CONNACK return code 0x02. MQTTnet's
        // client will not send that CONNECT, so it is written by hand.
        var ct = TestContext.Current.CancellationToken;
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerPort = MosquittoBroker.FreePort() };
        await using var broker = await EmbeddedBroker.StartAsync(options, ct);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, broker.Port, ct);
        var stream = tcp.GetStream();
        byte[] connect =
        [
            0x10, 12, // CONNECT, remaining length
            0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, // protocol name, level 4 = 3.1.1
            0x00, // connect flags: CleanSession=0
            0, 60, // keep alive
            0, 0, // client id: zero bytes
        ];
        await stream.WriteAsync(connect, ct);

        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack, ct).AsTask().WaitAsync(Timeout, ct);

        Assert.Equal(new byte[] { 0x20, 2, 0, 0x02 }, connack);
        Assert.Empty(await broker.Server.GetClientsAsync());
    }

    /// <summary>The watch command in README.md's first section: the inline code that starts with mosquitto_sub.</summary>
    private static string ReadmeWatchCommand()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CrampSense.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        var readme = File.ReadAllText(Path.Combine(folder.FullName, "README.md"));
        var match = System.Text.RegularExpressions.Regex.Match(readme, "`(mosquitto_sub [^`]+)`");
        Assert.True(match.Success, "README.md has no `mosquitto_sub …` watch command");
        return match.Groups[1].Value;
    }
}
